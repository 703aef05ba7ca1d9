"""Numbers, money, shares and dates as each language writes them, from Babel's CLDR data.

The one place that writes a figure for people: the CLI, the web pages, the workbook's texts,
alert reasons and trajectory evidence all call these functions. Single values go through Babel
(``format_decimal``, ``format_currency``, ``format_percent``, ``format_date``) with the
language's CLDR patterns. Whole columns (the reasons of a million alerts, a list of customers)
would take about 25 µs a value that way, so the column functions take the language's symbols
and affixes from CLDR once and build the text with Arrow's string kernels; a test checks them
against Babel's single values.

The same conventions everywhere: a missing value (None, NaN) reads "–"; a figure that rounds to
zero carries no sign (never "-0"); money is in euros.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

MISSING = "–"
CURRENCY = "EUR"
LANGUAGES = ("de", "en")


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "de"


def _pattern(base: str, decimals: int) -> str:
    """A CLDR pattern with exactly ``decimals`` fraction digits (``#,##0.00 ¤`` -> ``#,##0 ¤``);
    what stands around the digits (a currency or percent sign) stays."""
    match = re.search(r"[#,0]+(\.[0#]*)?", base)
    assert match is not None, base
    integer = match.group(0).split(".")[0]
    fraction = "." + "0" * decimals if decimals else ""
    return base[: match.start()] + integer + fraction + base[match.end() :]


@dataclass(frozen=True)
class Style:
    """One language's symbols and the affixes around the digits, from CLDR."""

    decimal: str
    group: str
    minus: str
    grouping: tuple[int, int]
    money: tuple[str, str, str, str]  # positive prefix, suffix; negative prefix, suffix
    percent: tuple[str, str, str, str]


def _affixes(positive: str, negative: str) -> tuple[str, str, str, str]:
    """Prefix and suffix around the digit run of a formatted 7 and -7."""

    def split(text: str) -> tuple[str, str]:
        start = text.index("7")
        end = start
        while end < len(text) and (text[end].isdigit() or text[end] in ".,"):
            end += 1
        return text[:start], text[end:]

    return (*split(positive), *split(negative))


@cache
def style(lang: str) -> Style:
    loc = Locale.parse(_lang(lang))
    money = _affixes(
        babel_numbers.format_currency(7, CURRENCY, locale=loc),
        babel_numbers.format_currency(-7, CURRENCY, locale=loc),
    )
    return Style(
        decimal=babel_numbers.get_decimal_symbol(loc),
        group=babel_numbers.get_group_symbol(loc),
        minus=babel_numbers.get_minus_sign_symbol(loc),
        grouping=loc.decimal_formats[None].grouping,
        money=money,
        percent=_affixes(
            babel_numbers.format_percent(0.07, locale=loc),
            babel_numbers.format_percent(-0.07, locale=loc),
        ),
    )


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return False


def _rounded(value: object, decimals: int) -> Decimal:
    """The value rounded as Babel rounds (half to even), without the sign of a zero."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    exact = exact.quantize(Decimal(1).scaleb(-decimals))
    return exact.copy_abs() if exact == 0 else exact


# --- single values ---------------------------------------------------------------------------


def number(value: object, lang: str = "de", decimals: int = 0) -> str:
    """``1.234.567,89`` in German, ``1,234,567.89`` in English; "–" when missing."""
    if _missing(value):
        return MISSING
    loc = _lang(lang)
    pattern = _pattern(Locale.parse(loc).decimal_formats[None].pattern, decimals)
    return babel_numbers.format_decimal(_rounded(value, decimals), pattern, locale=loc)


def money(value: object, lang: str = "de", decimals: int = 0) -> str:
    """``139.625 €`` in German, ``€139,625`` in English (whole euros unless ``decimals``)."""
    if _missing(value):
        return MISSING
    loc = _lang(lang)
    pattern = _pattern(Locale.parse(loc).currency_formats["standard"].pattern, decimals)
    return babel_numbers.format_currency(
        _rounded(value, decimals), CURRENCY, pattern, locale=loc, currency_digits=False
    )


def percent(share: object, lang: str = "de", decimals: int = 0, sign: bool = False) -> str:
    """A share (0.525) as ``53 %`` / ``53%``; ``sign``: ``+`` before a figure not below zero."""
    if _missing(share):
        return MISSING
    loc = _lang(lang)
    pattern = _pattern(Locale.parse(loc).percent_formats[None].pattern, decimals)
    rounded = _rounded(Decimal(str(share)) * 100, decimals) / 100
    text = babel_numbers.format_percent(rounded, pattern, locale=loc)
    return ("+" + text) if sign and rounded >= 0 else text


def day(value: date | datetime | None, lang: str = "de") -> str:
    """A date in the language's medium form: ``30.06.2026``, ``Jun 30, 2026``."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = value.date()
    return babel_dates.format_date(value, "medium", locale=_lang(lang))


# --- whole columns ---------------------------------------------------------------------------


def _digits(values: np.ndarray, decimals: int, st: Style) -> tuple[pa.Array, np.ndarray]:
    """The absolute values' digits with group and decimal symbols, and where the rounded
    value is negative."""
    if st.grouping != (3, 3):  # pragma: no cover - no supported language groups otherwise
        raise NotImplementedError("only languages grouping by thousands")
    scale = 10**decimals
    # Babel rounds the decimal the float prints as (0.0515 -> 5.15 % -> 5.2 %, half to even);
    # rounding away the float's noise first (0.0515 * 100 = 5.1499999999999995) does the same.
    scaled = np.round(np.round(np.abs(values) * scale, 6))
    negative = (values < 0) & (scaled > 0)
    scaled = scaled.astype(np.int64)
    whole, fraction = scaled // scale, scaled % scale

    def group(level: int) -> pa.Array:
        part = pc.cast(pa.array((whole // 1000**level) % 1000), pa.string())
        padded = pc.utf8_lpad(part, 3, "0")
        return pc.if_else(pa.array(whole >= 1000 ** (level + 1)), padded, part)

    text = group(0)
    for level in range(1, 7):
        present = pa.array(whole >= 1000**level)
        joined = pc.binary_join_element_wise(group(level), text, st.group)
        text = pc.if_else(present, joined, text)
    if decimals:
        frac = pc.utf8_lpad(pc.cast(pa.array(fraction), pa.string()), decimals, "0")
        text = pc.binary_join_element_wise(text, frac, st.decimal)
    return text, negative


def _column(
    values, st: Style, decimals: int, affixes: tuple[str, ...], missing: str, scale: float = 1.0
) -> pa.Array:
    v = np.round(np.asarray(values, dtype=np.float64) * scale, 9)
    finite = np.isfinite(v)
    text, negative = _digits(np.where(finite, v, 0.0), decimals, st)
    prefix = pa.array(np.where(negative, affixes[2], affixes[0]))
    suffix = pa.array(np.where(negative, affixes[3], affixes[1]))
    text = pc.binary_join_element_wise(prefix, text, suffix, "")
    return pc.if_else(pa.array(finite), text, missing)


def number_column(values, lang: str = "de", decimals: int = 0, missing: str = MISSING) -> pa.Array:
    """Every value of a column as :func:`number` writes it."""
    st = style(lang)
    return _column(values, st, decimals, ("", "", st.minus, ""), missing)


def money_column(values, lang: str = "de", decimals: int = 0, missing: str = MISSING) -> pa.Array:
    """Every value of a column as :func:`money` writes it."""
    st = style(lang)
    return _column(values, st, decimals, st.money, missing)


def percent_column(
    shares, lang: str = "de", decimals: int = 0, sign: bool = False, missing: str = MISSING
) -> pa.Array:
    """Every share of a column as :func:`percent` writes it."""
    st = style(lang)
    affixes = ("+" + st.percent[0], *st.percent[1:]) if sign else st.percent
    return _column(shares, st, decimals, affixes, missing, scale=100.0)
