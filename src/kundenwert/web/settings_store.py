"""Versioned settings: every change saved in the browser is a new row with author and time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kundenwert.settings import Settings, settings_from_dict

#: The sections edited in the browser: indicators and weights, split points, the service
#: catalogue (all in ``review``), the action catalogue (``dynamics``, when present) and the
#: forecast.
EDITABLE = tuple(s for s in ("review", "dynamics", "forecast") if s in Settings.model_fields)


def latest_version(store) -> dict[str, Any] | None:
    row = store.con.execute(
        "SELECT version_id, created_at, created_by, comment, settings_json "
        "FROM settings_versions ORDER BY version_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {
        "version_id": row[0],
        "created_at": row[1],
        "created_by": row[2],
        "comment": row[3],
        "settings": json.loads(row[4]),
    }


def versions(store) -> list[dict[str, Any]]:
    rows = store.con.execute(
        "SELECT version_id, created_at, created_by, comment FROM settings_versions "
        "ORDER BY version_id DESC"
    ).fetchall()
    keys = ("version_id", "created_at", "created_by", "comment")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def section_json(settings: Settings, section: str) -> str:
    data = settings.model_dump(mode="json", by_alias=True)[section]
    return json.dumps(data, ensure_ascii=False, indent=2)


def save_section(
    store, current: Settings, section: str, text: str, *, by: str, comment: str | None = None
) -> Settings:
    """Validate ``text`` (JSON of one section) into a new settings version; returns it.

    Raises ConfigError naming the key when the section is invalid; nothing is saved then.
    """
    from kundenwert.errors import ConfigError, InputError

    if section not in EDITABLE:
        raise InputError(f"Abschnitt {section!r} ist nicht editierbar.", hint=f"{EDITABLE}")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{section}: kein gültiges JSON: {exc}",
            hint="Prüfen Sie Klammern, Kommas und Anführungszeichen.",
            key=section,
        ) from exc
    data = current.model_dump(mode="json", by_alias=True)
    data[section] = value
    new = settings_from_dict(data, source="web")
    version_id = int(store.con.execute("SELECT nextval('settings_version_seq')").fetchone()[0])
    store.con.execute(
        "INSERT INTO settings_versions VALUES (?, ?, ?, ?, ?)",
        [version_id, datetime.now(), by, comment, json.dumps(data, ensure_ascii=False)],
    )
    return new
