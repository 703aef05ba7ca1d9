"""Dates as users type them on the command line and in forms."""

from __future__ import annotations

from datetime import date, datetime

from kundenwert.errors import InputError


def parse_date(text: str, what: str | None = None) -> date:
    """ISO ``2025-12-31`` or German ``31.12.2025``; ``what`` (e.g. ``--as-of``) names the input."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    subject = f"{what} {text!r}" if what else repr(text)
    raise InputError(
        f"Ungültiges Datum: {subject}.",
        hint="Geben Sie das Datum als JJJJ-MM-TT (2025-12-31) oder TT.MM.JJJJ (31.12.2025) an.",
    )
