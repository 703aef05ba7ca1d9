"""Request plumbing shared by the routers: who is asking, in which language, with which rights."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from kundenwert.dynamics.labels import ALERT_NAMES, PHASE_NAMES, TRAJECTORY_NAMES, name_of
from kundenwert.errors import KundenwertError
from kundenwert.formatting import day
from kundenwert.i18n import format_number
from kundenwert.web import control
from kundenwert.web.state import AppState, RequestStore
from kundenwert.web.text import t
from kundenwert.web.users import User, session_user, token_user

#: Longest form fields: a short value (a date, a key, a name) and a free text (a reason).
SHORT, TEXT = 200, 2000
SESSION_COOKIE = "kw_session"
LANG_COOKIE = "kw_lang"
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Templates ship with the package: no need to look at their files' times on every page.
templates.env.auto_reload = False


@pass_context
def _number(context, value: object, decimals: int = 0) -> str:
    """The ``num`` filter: a number as the page's language writes it."""
    return "" if value is None else format_number(value, context.get("lang", "de"), decimals)


templates.env.filters["num"] = _number


@pass_context
def _day(context, value: object) -> str:
    """The ``day`` filter: a date (or the date of a time) as the page's language writes it;
    a time keeps its hours and minutes."""
    if value is None:
        return ""
    lang = context.get("lang", "de")
    if isinstance(value, str):  # an ISO date of JSON-ready data
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return f"{day(value, lang)} {value:%H:%M}"
    return day(value, lang)  # type: ignore[arg-type]


templates.env.filters["day"] = _day


@pass_context
def _share(context, value: object) -> str:
    """The ``pct`` filter: a share (0.525) as the page's language writes a percentage."""
    from kundenwert.formatting import MISSING, percent

    return MISSING if value is None else percent(value, context.get("lang", "de"))


templates.env.filters["pct"] = _share

_CATALOGUES = {"trajectory": TRAJECTORY_NAMES, "phase": PHASE_NAMES, "alert": ALERT_NAMES}


@pass_context
def _named(context, code: object, kind: str) -> str:
    """The ``named`` filter: a trajectory type, phase or alert in words (never the code)."""
    if not code:
        return "–"
    return name_of(_CATALOGUES[kind], str(code), context.get("lang", "de"))


templates.env.filters["named"] = _named


def options(values: list[str], selected: str | None) -> Markup:
    """<option> elements of a filter (hundreds of account managers: faster than a loop in Jinja)."""
    return Markup(
        "".join(
            f'<option value="{v}"{" selected" if v == selected else ""}>{v}</option>'
            for v in map(escape, values)
        )
    )


class Unauthorized(KundenwertError):
    code = "unauthorized"


class Forbidden(KundenwertError):
    code = "forbidden"


class LoginRequired(Exception):
    """A page was asked for without a session: the answer is a redirect to the log-in."""


def state(request: Request) -> AppState:
    return request.app.state.kw


def db(request: Request) -> Iterator[RequestStore]:
    """The request's own database cursor, closed when the answer is sent."""
    cur = state(request).cursor()
    try:
        yield cur
    finally:
        cur.close()


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return lang if lang in ("de", "en") else state(request).file_settings.language


def page_user(request: Request, store: RequestStore = Depends(db)) -> User:
    token = request.cookies.get(SESSION_COOKIE)
    found = (
        state(request).sessions.get(token, lambda: session_user(store, token)) if token else None
    )
    if found is None:
        raise LoginRequired()
    user = _mapped(request, found[0])
    request.state.user, request.state.csrf = user, found[1]
    return user


def _mapped(request: Request, user: User) -> User:
    """Apply ``web.account_managers`` (log-in name -> name in the customer data)."""
    mapping = state(request).file_settings.web.account_managers
    if user.account_manager is None and user.name in mapping:
        return replace(user, account_manager=mapping[user.name])
    return user


def api_user(request: Request, store: RequestStore = Depends(db)) -> User:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        local = _local_admin(request, header[7:].strip())
        if local is not None:
            return local
        days = state(request).file_settings.web.token_days
        user = token_user(store, header[7:].strip(), days)
        if user is not None:
            return _mapped(request, user)
    raise Unauthorized(
        "Anmeldung erforderlich.",
        hint="Senden Sie den Kopf `Authorization: Bearer <Token>` "
        "(Token mit `kundenwert user token NAME`).",
    )


def _local_admin(request: Request, token: str) -> User | None:
    """The local administrator when ``token`` is the secret of the server's control file
    (web/control.py): the CLI administering users while the server holds the database."""
    secret = state(request).local_secret
    if not secret or not token.startswith(control.PREFIX):
        return None
    if not secrets.compare_digest(token[len(control.PREFIX) :], secret):
        return None
    return User(user_id=0, name=control.LOCAL_ADMIN, role="admin")


async def csrf_checked(request: Request, user: User = Depends(page_user)) -> User:
    """Every form post carries the session's CSRF token; without it nothing changes."""
    form = await request.form()
    sent = str(form.get("csrf_token") or request.headers.get("x-csrf-token") or "")
    if not secrets.compare_digest(sent, request.state.csrf):
        raise Forbidden(
            "Ungültiges Formular-Token (CSRF).",
            hint="Laden Sie die Seite neu und senden Sie erneut.",
        )
    return user


def require(user: User, allowed: bool) -> None:
    if not allowed:
        raise Forbidden(
            f"Der Benutzer {user.name} ({user.role}) darf das nicht.",
            hint="Bitten Sie einen Administrator oder Manager.",
        )


def _other_language(request: Request, lang: str) -> str:
    """This page in the other language: the same path and filters, only ``lang`` changed."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "partial")]
    params.append(("lang", "en" if lang == "de" else "de"))
    return f"{request.url.path}?{urlencode(params)}"


def render(request: Request, name: str, status_code: int = 200, **context: Any):
    lang = language(request)
    context.update(
        request=request,
        lang=lang,
        t=lambda key, **v: t(key, lang, **v),
        user=getattr(request.state, "user", None),
        csrf=getattr(request.state, "csrf", ""),
        options=options,
        lang_url=_other_language(request, lang),
    )
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if request.query_params.get("lang") in ("de", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
