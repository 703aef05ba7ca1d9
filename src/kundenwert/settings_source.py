"""One order in which settings are resolved, for the command line and the web alike.

1. The configuration file (``--config``, ``KUNDENWERT_CONFIG`` or ``./kundenwert.toml``; the
   defaults without one) gives every section.
2. The sections people edit in the browser (:data:`EDITABLE`: indicators and weights, splits,
   service catalogue, actions, forecast) come from the latest settings version saved in the
   database, when there is one, replacing the file's.

So a review started on the web and one started from the command line use the same rules, and
each review records the id of the settings version it used (``reviews.settings_version``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kundenwert.settings import Settings, settings_from_dict

#: The sections edited in the browser and saved as versions.
EDITABLE = tuple(s for s in ("review", "dynamics", "forecast") if s in Settings.model_fields)


@dataclass(frozen=True)
class ResolvedSettings:
    settings: Settings
    version_id: int | None  # the settings version whose sections apply; None: the file alone

    def describe(self) -> str:
        if self.version_id is None:
            return "Einstellungen aus der Konfigurationsdatei."
        return (
            f"Einstellungen: Version {self.version_id} aus der Datenbank (im Web gespeichert) "
            f"für {', '.join(EDITABLE)}; alles Übrige aus der Konfigurationsdatei."
        )


def latest_version(store) -> dict[str, Any] | None:
    """The newest saved settings version (id, when, who, comment, the whole settings)."""
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


def resolve_settings(store, file_settings: Settings) -> ResolvedSettings:
    """The settings that apply: ``file_settings`` with the edited sections of the latest
    saved version laid over them."""
    latest = latest_version(store)
    if latest is None:
        return ResolvedSettings(file_settings, None)
    data = file_settings.model_dump(mode="json", by_alias=True)
    for section in EDITABLE:
        if section in latest["settings"]:
            data[section] = latest["settings"][section]
    merged = settings_from_dict(data, source=f"settings_versions {latest['version_id']}")
    return ResolvedSettings(merged, int(latest["version_id"]))
