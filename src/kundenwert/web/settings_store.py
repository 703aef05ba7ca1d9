"""Versioned settings: every change saved in the browser is a new row with author and time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kundenwert.settings import Settings, settings_from_dict
from kundenwert.settings_source import EDITABLE, latest_version, versions  # noqa: F401


# The saved versions are read by the library's one order of settings
# (kundenwert.settings_source); this module writes them from the browser's forms.
def section_json(settings: Settings, section: str) -> str:
    data = settings.model_dump(mode="json", by_alias=True)[section]
    return json.dumps(data, ensure_ascii=False, indent=2)


def scoring_form(settings: Settings) -> dict[str, Any]:
    """What the form for weights and split points shows: indicators, weights per business unit
    (a weight missing for a unit is 0) and both axes' splits."""
    review = settings.review
    indicators = list(review.scoring.indicators)
    weights = {
        unit: {name: values.get(name, 0.0) for name in indicators}
        for unit, values in review.scoring.weights.items()
    }
    splits = {axis: getattr(review.matrix, axis).model_dump() for axis in ("x", "y")}
    labels = {
        name: {"de": ind.label.de, "en": ind.label.en} if ind.label else {}
        for name, ind in review.scoring.indicators.items()
    }
    return {"indicators": indicators, "labels": labels, "weights": weights, "splits": splits}


def save_scoring_form(
    store, current: Settings, form: dict[str, str], *, by: str, comment: str | None = None
) -> Settings:
    """Save weights (``weight.<unit>.<indicator>``) and splits (``split.<axis>.kind|q|value``)
    from the form as a new version of the review section, validated like any other change."""
    from kundenwert.errors import ConfigError

    review = current.model_dump(mode="json", by_alias=True)["review"]
    for key, text in form.items():
        parts = key.split(".")
        if parts[0] not in ("weight", "split") or len(parts) != 3:
            continue
        value = _number(key, text)
        if parts[0] == "weight":
            unit, name = parts[1], parts[2]
            if unit not in review["scoring"]["weights"]:
                raise ConfigError(f"review.scoring.weights.{unit}: unbekannter Bereich", key=key)
            review["scoring"]["weights"][unit][name] = value
        elif parts[2] == "kind":
            review["matrix"][parts[1]]["kind"] = text
        else:
            review["matrix"][parts[1]][parts[2]] = value
    return _save_version(store, current, "review", review, by=by, comment=comment)


def _number(key: str, text: str) -> float | str | None:
    """A number typed in a German or English form ('1,5' or '1.5'); blank is None."""
    from kundenwert.errors import ConfigError

    text = text.strip()
    if key.endswith(".kind"):
        return text
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ConfigError(
            f"{key}: keine Zahl: {text!r}", hint="Geben Sie z. B. 20 oder 0,7 ein.", key=key
        ) from None


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
    return _save_version(store, current, section, value, by=by, comment=comment)


def _save_version(
    store, current: Settings, section: str, value: Any, *, by: str, comment: str | None
) -> Settings:
    """Replace one section of the current settings, validate the whole and save it as a new
    version; raises ConfigError naming the key, saving nothing, when it is invalid."""
    data = current.model_dump(mode="json", by_alias=True)
    data[section] = value
    new = settings_from_dict(data, source="web")
    version_id = int(store.con.execute("SELECT nextval('settings_version_seq')").fetchone()[0])
    store.con.execute(
        "INSERT INTO settings_versions VALUES (?, ?, ?, ?, ?)",
        [version_id, datetime.now(), by, comment, json.dumps(data, ensure_ascii=False)],
    )
    return new
