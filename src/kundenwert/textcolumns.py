"""Whole Arrow columns of numbers as text in a language, and sentences filled from them.

Alert reasons and trajectory evidence are written for hundreds of thousands of customers at
once; formatting each value in Python would take longer than the analysis. Arrow's string
kernels do it per column. German writes 1.234 € and 12,5; English 1,234 € and 12.5.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def render(template: str, values: dict[str, pa.Array]) -> pa.Array:
    """Fill ``{name}`` placeholders from string arrays, for all rows at once."""
    parts = re.split(r"\{(\w+)\}", template)
    args = [values[p] if i % 2 else pa.scalar(p) for i, p in enumerate(parts) if p or i % 2]
    return pc.binary_join_element_wise(*args, "")


def integers(values: np.ndarray, lang: str = "de") -> pa.Array:
    """Whole numbers with the language's thousands separator; "–" for a missing value."""
    finite = np.isfinite(np.asarray(values, dtype=np.float64))
    text = grouped(np.where(finite, values, 0), "." if lang == "de" else ",")
    return pc.if_else(pa.array(finite), text, "–")


def decimals(values: np.ndarray, digits: int, lang: str = "de") -> pa.Array:
    """Numbers rounded to ``digits`` with the language's decimal mark; "–" when missing."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    text = pc.cast(pa.array(np.round(np.where(finite, values, 0), digits)), pa.string())
    if lang == "de":
        text = pc.replace_substring(text, ".", ",")
    return pc.if_else(pa.array(finite), text, "–")


def percent(values: np.ndarray, sign: bool = False) -> pa.Array:
    """Shares as whole percent ("+38 %", "−20 %"); the sign is the rounded figure's, so
    -0.001 reads "+0 %"; "?" for a missing value."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    pct = np.round(np.where(finite, values, 0) * 100).astype(np.int64)
    text = pc.cast(pa.array(np.abs(pct)), pa.string())
    minus = np.where(pct < 0, "−", "+" if sign else "")
    text = pc.binary_join_element_wise(pa.array(minus), text, "")
    return pc.if_else(pa.array(finite), pc.binary_join_element_wise(text, " %", ""), "?")


def money(values: np.ndarray, lang: str = "de") -> pa.Array:
    """Whole euros with the language's thousands separator and " €"."""
    text = grouped(np.asarray(values, dtype=np.float64), "." if lang == "de" else ",")
    return pc.binary_join_element_wise(text, " €", "")


def grouped(values: np.ndarray, sep: str) -> pa.Array:
    """Whole numbers with thousands separators (a leading "−" for negatives)."""
    values = np.asarray(values, dtype=np.float64)
    v = np.abs(np.round(np.nan_to_num(values))).astype(np.int64)

    def group(level: int) -> pa.Array:
        part = pc.cast(pa.array((v // 1000**level) % 1000), pa.string())
        padded = pc.utf8_lpad(part, 3, "0")
        return pc.if_else(pa.array(v >= 1000 ** (level + 1)), padded, part)

    text = group(0)
    for level in range(1, 6):
        present = pa.array(v >= 1000**level)
        text = pc.if_else(present, pc.binary_join_element_wise(group(level), text, sep), text)
    negative = np.round(np.nan_to_num(values)) < 0
    return pc.binary_join_element_wise(pa.array(np.where(negative, "−", "")), text, "")
