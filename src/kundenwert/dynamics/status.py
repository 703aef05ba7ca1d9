"""What was done about an alert or a next action: acknowledged, done or dismissed, with a note.

A status belongs to one alert or action of one customer (``kind``, ``customer_id``, ``code``)
and records who gave it, when, why (``note``, required for dismissed), the money at stake then
and a fingerprint of the facts (:func:`fingerprint`: the code, the customer and the alert's
reason or the action's ``because`` text, with their figures). Statuses are only ever added
(table ``list_status``, migrations 0010 and 0014): the table is the audit trail, and the
current status is the latest row of a key.

A status hides its alert or action from the default lists while it *holds* (:class:`Hold`):
for at most ``dynamics.alerts.hold_days`` (180) days after it was given, and only while the
money at stake has not grown by more than ``dynamics.alerts.come_back_growth`` (25 %) since.
A review a month later, whose revenue windows moved a little, does not bring a dismissed alert
back; a decline that deepens by a quarter, or half a year without a new look, does, showing
the earlier status. (Comparing the figures exactly, as the first version did, brought every
handled alert back with every new as-of date, and every action with its new due date.)
Statuses given before the stake was recorded hold while their fingerprint is unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.labels import STATUS_NAMES, name_of
from kundenwert.errors import InputError, NotFoundError
from kundenwert.i18n import translate

KINDS = ("alert", "action")
STATUSES = ("acknowledged", "done", "dismissed")
#: The column of the code in the alert and action tables.
CODE_COLUMN = {"alert": "alert", "action": "action"}
#: The columns the status adds to a list (``status_current``: the status still holds).
STATUS_SCHEMA = pa.schema(
    [
        ("status", pa.string()),
        ("status_by", pa.string()),
        ("status_at", pa.timestamp("us")),
        ("status_note", pa.string()),
        ("status_current", pa.bool_()),
    ]
)


@dataclass(frozen=True)
class Hold:
    """How long a status keeps its alert or action off the default lists (module text)."""

    growth: float = 0.25
    days: int = 180

    @classmethod
    def of(cls, settings) -> Hold:
        """From the settings' ``dynamics.alerts`` section."""
        a = settings.dynamics.alerts
        return cls(growth=a.come_back_growth, days=a.hold_days)

    def holds(self, given: dict[str, Any], row: dict[str, Any], now: datetime) -> bool:
        """Whether the status ``given`` (a ``list_status`` row) still holds for ``row``."""
        if given["stake"] is None:  # given before the stake was recorded
            return given["facts"] == fingerprint(given["kind"], row)
        if now - given["at"] > timedelta(days=self.days):
            return False
        stake = float(row.get("stake") or 0.0)
        return stake <= float(given["stake"]) * (1.0 + self.growth) + 0.005


def fingerprint(kind: str, row: dict[str, Any]) -> str:
    """The facts of one alert or action row, as a stable hash (see the module text)."""
    _check_kind(kind)
    if kind == "alert":
        parts = (row["alert"], row["customer_id"], row["reason"])
    else:
        parts = (row["action"], row["customer_id"], row["because"])
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"Unbekannte Art {kind!r}.", hint="Erlaubt: alert, action.")


def status_code(status: str) -> str:
    """The status code of ``status`` given as code or as its German or English name."""
    text = status.strip().lower()
    for code, names in STATUS_NAMES.items():
        if text == code or text in (n.lower() for n in names.values()):
            return code
    raise InputError(
        f"Unbekannter Status {status!r}.",
        hint="Erlaubt: acknowledged (zur Kenntnis genommen), done (erledigt), "
        "dismissed (verworfen).",
    )


def set_status(
    store,
    kind: str,
    customer_id: str,
    code: str,
    status: str,
    note: str | None,
    by: str,
    facts: str,
    *,
    stake: float | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record a status of one alert or action given on ``facts`` (:func:`facts_of`) with its
    money at ``stake``; returns the stored row."""
    _check_kind(kind)
    status = status_code(status)
    note = (note or "").strip() or None
    if not by or not by.strip():
        raise InputError(
            "Ein Status braucht einen Namen (wer).",
            hint="Geben Sie --by an, z. B. --by 'A. Muster'.",
        )
    if status == "dismissed" and note is None:
        raise InputError(
            "Wer verwirft, sagt warum: eine Notiz fehlt.",
            hint="Geben Sie eine Notiz an (--note), z. B. 'Kunde stellt Betrieb um, erwartet'.",
        )
    if not facts:
        raise InputError(
            "Die Fakten (Fingerabdruck) fehlen.", hint="Wählen Sie eine Zeile der Liste."
        )
    found = store.con.execute("SELECT 1 FROM customers WHERE customer_id = ?", [customer_id])
    if found.fetchone() is None:
        raise NotFoundError(
            f"Kunde {customer_id} gibt es nicht.", hint="Prüfen Sie die Kundennummer."
        )
    status_id = int(store.con.execute("SELECT nextval('list_status_seq')").fetchone()[0])
    store.con.execute(
        "INSERT INTO list_status (status_id, kind, customer_id, code, status, note, set_by, "
        "set_at, facts, stake) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            status_id,
            kind,
            customer_id,
            code,
            status,
            note,
            by.strip(),
            now or datetime.now(),
            facts,
            stake,
        ],
    )
    return status_history(store, status_id=status_id)[0]


_SELECT = (
    "SELECT status_id, kind, customer_id, code, status, note, set_by AS by, set_at AS at, facts, "
    "stake FROM list_status"
)


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def status_history(
    store,
    *,
    kind: str | None = None,
    customer_id: str | None = None,
    code: str | None = None,
    status_id: int | None = None,
) -> list[dict[str, Any]]:
    """Every status given (the audit trail), oldest first, optionally of one key's parts."""
    where, params = [], []
    for column, value in (
        ("kind", kind),
        ("customer_id", customer_id),
        ("code", code),
        ("status_id", status_id),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return _rows(store.con.execute(sql + " ORDER BY status_id", params))


def latest_statuses(store, kind: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The current status of every (customer_id, code) of ``kind``."""
    _check_kind(kind)
    rows = _rows(
        store.con.execute(
            f"SELECT DISTINCT ON (customer_id, code) * FROM ({_SELECT}) WHERE kind = ? "
            "ORDER BY customer_id, code, status_id DESC",
            [kind],
        )
    )
    return {(r["customer_id"], r["code"]): r for r in rows}


def status_columns(
    store,
    kind: str,
    rows: list[dict[str, Any]],
    hold: Hold | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """For each alert or action row its status fields (all None when it never had one);
    ``status_current``: the status still holds (:class:`Hold`, defaults when None)."""
    hold, now = hold or Hold(), now or datetime.now()
    latest = latest_statuses(store, kind) if rows else {}
    out = []
    for row in rows:
        found = latest.get((row["customer_id"], row[CODE_COLUMN[kind]]))
        if found is None:
            out.append(dict.fromkeys(STATUS_SCHEMA.names))
            continue
        out.append(
            {
                "status": found["status"],
                "status_by": found["by"],
                "status_at": found["at"],
                "status_note": found["note"],
                "status_current": hold.holds(found, row, now),
            }
        )
    return out


def mark(store, kind: str, table: pa.Table, hold: Hold | None = None) -> pa.Table:
    """The alert or action table with the status columns of :data:`STATUS_SCHEMA` added."""
    marks = pa.Table.from_pylist(
        status_columns(store, kind, table.to_pylist(), hold), STATUS_SCHEMA
    )
    for name in STATUS_SCHEMA.names:
        table = table.append_column(STATUS_SCHEMA.field(name), marks[name])
    return table


def mark_rows(
    store,
    kind: str,
    rows: list[dict[str, Any]],
    *,
    with_handled: bool = False,
    hold: Hold | None = None,
) -> list[dict[str, Any]]:
    """Rows (dicts) with their status fields; handled ones left out unless ``with_handled``."""
    marks = status_columns(store, kind, rows, hold)
    return [
        {**row, **m}
        for row, m in zip(rows, marks, strict=True)
        if with_handled or not m["status_current"]
    ]


def open_only(table: pa.Table) -> pa.Table:
    """Rows without a status that holds (never handled, or come back)."""
    return table.filter(pc.invert(pc.fill_null(table["status_current"], False)))


def with_status(store, result, *, with_handled: bool = False, hold: Hold | None = None):
    """The result with status columns on its alerts and actions; handled rows left out
    unless ``with_handled``."""
    alerts = mark(store, "alert", result.alerts, hold)
    actions = mark(store, "action", result.actions, hold)
    if not with_handled:
        alerts, actions = open_only(alerts), open_only(actions)
    return replace(result, alerts=alerts, actions=actions)


def facts_of(
    rows: list[dict[str, Any]], kind: str, customer_id: str, code: str
) -> tuple[str, float | None]:
    """The fingerprint and the money at stake of the current alert or action ``code`` of one
    customer among ``rows``."""
    _check_kind(kind)
    for row in rows:
        if row["customer_id"] == customer_id and row[CODE_COLUMN[kind]] == code:
            stake = row.get("stake")
            return fingerprint(kind, row), None if stake is None else float(stake)
    what = "Warnung" if kind == "alert" else "Aufgabe"
    raise NotFoundError(
        f"Kunde {customer_id} hat derzeit keine {what} {code!r}.",
        hint=f"`kundenwert {kind}s --all --with-handled` zeigt die aktuellen Zeilen.",
    )


TEXT = {
    "current": {"de": "{status} – {by}, {at}", "en": "{status} – {by}, {at}"},
    "earlier": {
        "de": "zurück: früher {status} – {by}, {at}",
        "en": "back: earlier {status} – {by}, {at}",
    },
}


def describe(row: dict[str, Any], lang: str = "de") -> str:
    """The status of a marked row in words ('' when it never had one), with its note."""
    if row.get("status") is None:
        return ""
    at = row["status_at"]
    text = translate(
        TEXT,
        "current" if row["status_current"] else "earlier",
        lang,
        status=name_of(STATUS_NAMES, row["status"], lang),
        by=row["status_by"],
        at=at.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d") if at else "",
    )
    return f"{text}: {row['status_note']}" if row.get("status_note") else text
