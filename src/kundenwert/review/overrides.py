"""Documented exceptions (DOMAIN.md point 10): overrides of class, quadrant, service level or
the strategic flag.

Two kinds (issue 14.9): an ``exception`` (the company decides) and a ``purchased`` service level
(the customer buys a higher package, or does not want the level of its class), which needs a
note on how the cost is shared. The strategic flag (issue 14.8) is set and ended like any
other field: with reason, author and optional expiry; while it is active the strategic floor
of the service levels applies (or, set to no, no longer applies).

An override has a reason, an author, a creation time and an optional expiry. Setting a new one
for the same customer and field replaces (ends) the previous one; every change is written to
``override_audit`` (who, when, old value, new value, reason). Overrides live outside the review
snapshots and are applied when a review is read, so they survive new reviews.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kundenwert.errors import InputError, NotFoundError
from kundenwert.review._base import CLASSES, QUADRANTS

FIELDS = ("service_level", "quadrant", "abc_class", "strategic")
KINDS = ("exception", "purchased")
_YES = {"ja", "yes", "true", "1", "j", "y", "wahr"}
_NO = {"nein", "no", "false", "0", "n", "falsch"}


def _normalise_value(settings, field: str, value: str) -> str:
    cfg = settings.review
    text = value.strip()
    if field == "strategic":
        if text.lower() in _YES | _NO:
            return "true" if text.lower() in _YES else "false"
        raise InputError(f"Ungültiger Wert {value!r} für strategic.", hint="Erlaubt: ja oder nein.")
    if field == "abc_class":
        choices = {c.lower(): c for c in CLASSES}
    elif field == "quadrant":
        choices = {q: q for q in QUADRANTS}
        for key, label in cfg.matrix.labels.items():
            choices[label.de.lower()] = key
            choices[label.en.lower()] = key
    else:
        choices = {}
        for level in cfg.service.levels:
            choices[level.key.lower()] = level.key
            choices[level.label.de.lower()] = level.key
            choices[level.label.en.lower()] = level.key
    if text.lower() not in choices:
        raise InputError(
            f"Ungültiger Wert {value!r} für {field}.",
            hint=f"Erlaubt: {', '.join(sorted(set(choices.values())))}.",
        )
    return choices[text.lower()]


def _computed_value(con, customer_id: str, field: str) -> str | None:
    row = con.execute(
        f"SELECT {field} FROM review_customers WHERE customer_id = ? "
        "ORDER BY review_id DESC LIMIT 1",
        [customer_id],
    ).fetchone()
    if not row or row[0] is None:
        return None
    return str(row[0]).lower() if field == "strategic" else row[0]


def _audit(con, override_id, customer_id, field, action, old, new, reason, by, when) -> None:
    con.execute(
        "INSERT INTO override_audit VALUES (nextval('override_audit_seq'), ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        [override_id, customer_id, field, action, old, new, reason, by, when],
    )


def set_override(
    store,
    settings,
    customer_id: str,
    field: str,
    value: str,
    *,
    reason: str,
    by: str,
    until: date | None = None,
    now: datetime | None = None,
    kind: str = "exception",
    note: str | None = None,
) -> dict[str, Any]:
    """Set (or replace) the override of ``field`` for one customer; returns it.

    ``kind = "purchased"``: a service level the customer buys; ``note`` says how the cost is
    shared (required).
    """
    con = store.con
    now = now or datetime.now()
    if field not in FIELDS:
        raise InputError(f"Unbekanntes Feld {field!r}.", hint=f"Erlaubt: {', '.join(FIELDS)}.")
    if kind not in KINDS:
        raise InputError(f"Unbekannte Art {kind!r}.", hint=f"Erlaubt: {', '.join(KINDS)}.")
    if kind == "purchased" and field != "service_level":
        raise InputError(
            "Nur ein Servicelevel kann gekauft werden.",
            hint="Geben Sie --service-level mit --purchased an.",
        )
    if kind == "purchased" and not (note or "").strip():
        raise InputError(
            "Ein gekaufter Servicelevel braucht eine Notiz zur Kostenteilung.",
            hint="Geben Sie --note an, z. B. 'Aufpreis 2.400 EUR pro Jahr'.",
        )
    if not reason.strip() or not by.strip():
        raise InputError(
            "Eine Ausnahme braucht einen Grund und einen Namen.",
            hint="Geben Sie --reason und --by an.",
        )
    if until is not None and until < now.date():
        raise InputError(
            f"Das Enddatum {until} liegt in der Vergangenheit.",
            hint="Geben Sie ein Datum ab heute an.",
        )
    if (
        con.execute("SELECT 1 FROM customers WHERE customer_id = ?", [customer_id]).fetchone()
        is None
    ):
        raise NotFoundError(
            f"Kunde {customer_id} gibt es nicht.", hint="Prüfen Sie die Kundennummer."
        )
    value = _normalise_value(settings, field, value)
    con.execute("BEGIN TRANSACTION")
    try:
        previous = con.execute(
            "SELECT override_id, value FROM overrides WHERE customer_id = ? AND field = ? "
            "AND ended_at IS NULL",
            [customer_id, field],
        ).fetchall()
        old = previous[-1][1] if previous else _computed_value(con, customer_id, field)
        for prev_id, _ in previous:
            con.execute(
                "UPDATE overrides SET ended_at = ?, ended_by = ?, end_reason = ? "
                "WHERE override_id = ?",
                [now, by, "ersetzt", prev_id],
            )
        override_id = int(con.execute("SELECT nextval('override_seq')").fetchone()[0])
        con.execute(
            "INSERT INTO overrides (override_id, customer_id, field, value, reason, created_by, "
            "created_at, valid_until, kind, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [override_id, customer_id, field, value, reason, by, now, until, kind, note],
        )
        action = "replace" if previous else "set"
        logged = reason if kind == "exception" else f"{reason} (gekauft; Kosten: {note})"
        _audit(con, override_id, customer_id, field, action, old, value, logged, by, now)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return _get(con, override_id, now.date())


def end_override(
    store,
    override_id: int,
    *,
    by: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """End an override now; the computed value applies again."""
    con = store.con
    now = now or datetime.now()
    current = _get(con, override_id, now.date())
    if current["ended_at"] is not None:
        raise InputError(
            f"Die Ausnahme {override_id} ist bereits beendet.",
            hint="`kundenwert override list --all` zeigt alle Ausnahmen.",
        )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "UPDATE overrides SET ended_at = ?, ended_by = ?, end_reason = ? WHERE override_id = ?",
            [now, by, reason, override_id],
        )
        new = _computed_value(con, current["customer_id"], current["field"])
        _audit(
            con,
            override_id,
            current["customer_id"],
            current["field"],
            "end",
            current["value"],
            new,
            reason,
            by,
            now,
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return _get(con, override_id, now.date())


_SELECT = """
    SELECT *, CASE WHEN ended_at IS NOT NULL THEN 'ended'
                   WHEN valid_until IS NOT NULL AND valid_until < ? THEN 'expired'
                   ELSE 'active' END AS status
    FROM overrides
"""


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _get(con, override_id: int, today: date) -> dict[str, Any]:
    rows = _rows(con.execute(_SELECT + " WHERE override_id = ?", [today, override_id]))
    if not rows:
        raise NotFoundError(
            f"Die Ausnahme {override_id} gibt es nicht.",
            hint="`kundenwert override list --all` zeigt alle Ausnahmen.",
        )
    return rows[0]


def list_overrides(
    store,
    *,
    customer_id: str | None = None,
    include_ended: bool = False,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Overrides with their status (active, expired, ended), newest first."""
    where: list[str] = []
    params: list[object] = [today or date.today()]
    if customer_id is not None:
        where.append("customer_id = ?")
        params.append(customer_id)
    if not include_ended:
        where.append("ended_at IS NULL")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return _rows(store.con.execute(sql + " ORDER BY override_id DESC", params))


def audit_trail(store, *, customer_id: str | None = None) -> list[dict[str, Any]]:
    """Every change to overrides, oldest first."""
    sql = "SELECT * FROM override_audit"
    params: list[Any] = []
    if customer_id is not None:
        sql += " WHERE customer_id = ?"
        params.append(customer_id)
    return _rows(store.con.execute(sql + " ORDER BY audit_id", params))
