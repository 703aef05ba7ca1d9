"""Statuses of alerts and next actions on the pages and the API (kundenwert.dynamics.status).

The facts a status is given on are taken from the snapshot's current rows, never from the
request. Statuses are read per request, so setting one does not recompute the analysis.
"""

from __future__ import annotations

from typing import Any

from kundenwert.dynamics.labels import ALERT_NAMES, STATUS_NAMES, name_of
from kundenwert.dynamics.status import (
    KINDS,
    Hold,
    describe,
    facts_of,
    mark_rows,
    set_status,
    status_history,
)
from kundenwert.errors import InputError, NotFoundError
from kundenwert.web.deps import require
from kundenwert.web.state import AppState, RequestStore
from kundenwert.web.users import User


def for_page(
    app: AppState,
    store: RequestStore,
    kind: str,
    rows: list[dict] | None,
    lang: str,
    *,
    with_handled: bool,
) -> list[dict[str, Any]] | None:
    """Rows with their status, its text and (alerts) the alert's name: no code on a page."""
    if rows is None:
        return None
    out = mark_rows(store, kind, rows, with_handled=with_handled, hold=Hold.of(app.settings))
    for row in out:
        row["status_text"] = describe(row, lang)
        if kind == "alert":
            row["alert_name"] = name_of(ALERT_NAMES, row["alert"], lang)
    return out


def may_handle(user: User) -> bool:
    """Administrators and managers on every customer, account managers on their own."""
    return user.role in ("admin", "manager", "account-manager")


def give_status(
    app: AppState,
    store: RequestStore,
    user: User,
    kind: str,
    customer_id: str,
    code: str,
    status: str,
    note: str | None,
) -> dict[str, Any]:
    """Set the status of a current alert or action of a customer the user may see."""
    from kundenwert.web.views import frame

    require(user, may_handle(user))
    if kind not in KINDS:
        raise InputError(f"Unbekannte Art {kind!r}.", hint="Erlaubt: alert, action.")
    f, _ = frame(app, store, user)
    if f is None:
        raise NotFoundError("Es gibt noch kein Review.", hint="Starten Sie ein Review.")
    try:
        f.customer(customer_id)  # another account manager's customer is not found
        rows = f.dynamics(f"{kind}s", customer_id)
    finally:
        f.close()
    if rows is None:
        raise InputError(
            "Warnungen und nächste Schritte werden noch berechnet.",
            hint="Versuchen Sie es in einer Minute erneut.",
        )
    facts, stake = facts_of(rows, kind, customer_id, code)
    return set_status(store, kind, customer_id, code, status, note, user.name, facts, stake=stake)


def status_log(app: AppState, store: RequestStore, customer_id: str, lang: str) -> list[dict]:
    """One customer's statuses, newest first, in words."""
    labels = {r.action: getattr(r, lang, r.de) for r in app.settings.dynamics.actions}
    rows = status_history(store, customer_id=customer_id)
    for row in rows:
        row["what"] = (
            name_of(ALERT_NAMES, row["code"], lang)
            if row["kind"] == "alert"
            else labels.get(row["code"], row["code"])
        )
        row["status_name"] = name_of(STATUS_NAMES, row["status"], lang)
    return rows[::-1]
