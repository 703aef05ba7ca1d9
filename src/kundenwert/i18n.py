"""User-facing text in German (default) and English.

Each module keeps its own catalogue ``{key: {"de": ..., "en": ...}}`` next to the code that
uses it and formats through :func:`translate`. A keyed catalogue rather than gettext because
several messages are also rendered inside SQL (validation reasons), where the templates must be
available as plain strings.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT_LANGUAGE: Language = "de"

Catalogue = dict[str, dict[str, str]]


def translate(
    catalogue: Catalogue, key: str, lang: str = DEFAULT_LANGUAGE, **values: object
) -> str:
    """The message ``key`` in ``lang`` (German when the language is missing), formatted."""
    entry = catalogue[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def format_number(value: object, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """A number as the language writes it (:func:`kundenwert.formatting.number`)."""
    from kundenwert.formatting import number

    return number(value, lang, decimals)
