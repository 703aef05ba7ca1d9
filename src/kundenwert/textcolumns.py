"""Whole Arrow columns of numbers as text in a language, and sentences filled from them.

Alert reasons and trajectory evidence are written for hundreds of thousands of customers at
once. The numbers come from :mod:`kundenwert.formatting` (CLDR patterns, applied per column);
this module keeps the names the dynamics modules call and fills sentences.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.formatting import money_column, number_column, percent_column


def render(template: str, values: dict[str, pa.Array]) -> pa.Array:
    """Fill ``{name}`` placeholders from string arrays, for all rows at once."""
    parts = re.split(r"\{(\w+)\}", template)
    args = [values[p] if i % 2 else pa.scalar(p) for i, p in enumerate(parts) if p or i % 2]
    return pc.binary_join_element_wise(*args, "")


def integers(values: np.ndarray, lang: str = "de") -> pa.Array:
    """Whole numbers as the language writes them; "–" for a missing value."""
    return number_column(values, lang)


def decimals(values: np.ndarray, digits: int, lang: str = "de") -> pa.Array:
    """Numbers rounded to ``digits`` as the language writes them; "–" when missing."""
    return number_column(values, lang, digits)


def percent(values: np.ndarray, sign: bool = False, lang: str = "de") -> pa.Array:
    """Shares as whole percent ("+38 %", "-20 %"); the sign is the rounded figure's, so
    -0.001 reads "+0 %"; "–" for a missing value."""
    return percent_column(values, lang, sign=sign)


def money(values: np.ndarray, lang: str = "de") -> pa.Array:
    """Whole euros as the language writes them (139.625 €, €139,625)."""
    return money_column(values, lang)
