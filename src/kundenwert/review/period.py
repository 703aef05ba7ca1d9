"""The review window: months ending on the as-of date, both ends included."""

from __future__ import annotations

import calendar
import re
from datetime import date

from kundenwert.errors import InputError


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier, clamped to the month's last day (29.2. -> 28.2.)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(as_of: date, months: int) -> date:
    """First day of the window: as of 2026-06-30 with 12 months, 2025-07-01."""
    return date.fromordinal(months_before(as_of, months).toordinal() + 1)


def parse_window(text: str | int) -> int:
    """``12m``, ``12`` or ``1y`` to a number of months."""
    if isinstance(text, int):
        months = text
    else:
        match = re.fullmatch(r"\s*(\d+)\s*([my]?)\s*", text.lower())
        if not match:
            raise InputError(f"Ungültiges Zeitfenster {text!r}.", hint="Beispiele: 12m, 24m, 1y.")
        months = int(match.group(1)) * (12 if match.group(2) == "y" else 1)
    if not 1 <= months <= 120:
        raise InputError(
            f"Zeitfenster {months} Monate außerhalb 1..120.", hint="Beispiele: 12m, 24m."
        )
    return months
