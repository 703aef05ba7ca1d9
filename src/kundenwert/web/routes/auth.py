"""Log-in and log-out."""

from __future__ import annotations

import math
import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from kundenwert.web.deps import (
    SESSION_COOKIE,
    Forbidden,
    csrf_checked,
    db,
    language,
    render,
    state,
)
from kundenwert.web.state import RequestStore
from kundenwert.web.text import t
from kundenwert.web.users import User, authenticate, create_session, end_session, login_name

router = APIRouter()


def _safe_next(target: str) -> str:
    # Only local paths: an open redirect would let a link log people in and send them away.
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _secure(request: Request) -> bool:
    """Cookies only over HTTPS: when asked over HTTPS, or when configured (behind a proxy)."""
    return request.url.scheme == "https" or state(request).file_settings.web.secure_cookies


LOGIN_CSRF = "kw_login_csrf"
# Form fields are bounded: nothing a stranger sends before logging in is kept at any size.
NAME_MAX, PASSWORD_MAX, URL_MAX, TOKEN_MAX = 200, 1024, 2000, 100


def _login_form(request: Request, status: int, next: str, message: str | None):
    """The log-in form with a fresh double-submit CSRF token (there is no session yet)."""
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", status, next=_safe_next(next), message=message, login_csrf=token
    )
    response.set_cookie(
        LOGIN_CSRF,
        token,
        httponly=True,
        samesite="strict",
        max_age=3600,
        secure=_secure(request),
    )
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return _login_form(request, 200, next, None)


@router.post("/login")
def login(
    request: Request,
    name: str = Form("", max_length=NAME_MAX),
    password: str = Form("", max_length=PASSWORD_MAX),
    next: str = Form("/", max_length=URL_MAX),
    csrf_token: str = Form("", max_length=TOKEN_MAX),
    store: RequestStore = Depends(db),
):
    app = state(request)
    address = request.client.host if request.client else "-"
    lang = language(request)
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        raise Forbidden("Ungültiges Formular-Token (CSRF).", hint="Laden Sie die Anmeldeseite neu.")
    name = login_name(name)
    wait = app.limiter.wait(name, address)
    if wait > 0:
        response = _login_form(request, 429, next, t("login_blocked", lang))
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    user = authenticate(store, name, password)
    if user is None:
        app.limiter.failed(name, address)
        return _login_form(request, 401, next, t("login_failed", lang))
    app.limiter.succeeded(name, address)
    token, _ = create_session(store, user, app.file_settings.web.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.delete_cookie(LOGIN_CSRF)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=app.file_settings.web.session_hours * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request, user: User = Depends(csrf_checked), store: RequestStore = Depends(db)):
    token = request.cookies.get(SESSION_COOKIE, "")
    end_session(store, token)
    state(request).sessions.forget(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
