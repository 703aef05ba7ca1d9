"""One formatting module: single values by Babel's CLDR patterns, whole columns alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenwert import formatting as fmt

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: fmt.number(1234567.891, "de", 2), "1.234.567,89"),
        (lambda: fmt.number(1234567.891, "en", 2), "1,234,567.89"),
        (lambda: fmt.number(Decimal("7995442.4640"), "en"), "7,995,442"),
        (lambda: fmt.money(139625, "de"), f"139.625{NBSP}€"),
        (lambda: fmt.money(139625, "en"), "€139,625"),
        (lambda: fmt.money(-45000.4, "de", 2), f"-45.000,40{NBSP}€"),
        (lambda: fmt.percent(0.384, "de"), f"38{NBSP}%"),
        (lambda: fmt.percent(0.384, "en", 1), "38.4%"),
        (lambda: fmt.percent(-0.0001, "de", sign=True), f"+0{NBSP}%"),
        (lambda: fmt.day(date(2026, 6, 30), "de"), "30.06.2026"),
        (lambda: fmt.day(date(2026, 6, 30), "en"), "Jun 30, 2026"),
    ],
)
def test_single_values_as_the_language_writes_them(call, text):
    assert call() == text


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_and_negative_zero_read_the_same_everywhere(missing):
    assert fmt.number(missing) == fmt.money(missing) == fmt.percent(missing) == "–"
    assert fmt.number_column(np.array([np.nan])).to_pylist() == ["–"]
    assert fmt.percent_column(np.array([np.nan])).to_pylist() == ["–"]
    assert fmt.number(-0.0) == fmt.number(-0.4) == fmt.number(0) == "0"
    assert fmt.number(-0.004, "de", 2) == "0,00"
    assert fmt.number_column(np.array([-0.0, -0.004]), "de", 2).to_pylist() == ["0,00"] * 2


# Cents (and hundredths of a percent) as floats: the column functions round as Babel does.
cents = st.integers(min_value=-(10**13), max_value=10**13).map(lambda c: c / 100)


@given(st.lists(cents, min_size=1, max_size=20), st.sampled_from(["de", "en"]),
       st.sampled_from([0, 2]))  # fmt: skip
def test_columns_match_single_values(values, lang, decimals):
    array = np.array(values)
    assert fmt.number_column(array, lang, decimals).to_pylist() == [
        fmt.number(v, lang, decimals) for v in values
    ]
    assert fmt.money_column(array, lang, decimals).to_pylist() == [
        fmt.money(v, lang, decimals) for v in values
    ]


@given(st.lists(st.integers(-(10**6), 10**6).map(lambda b: b / 10000), min_size=1, max_size=20),
       st.sampled_from(["de", "en"]), st.booleans())  # fmt: skip
def test_percent_columns_match_single_values(shares, lang, sign):
    assert fmt.percent_column(np.array(shares), lang, 1, sign=sign).to_pylist() == [
        fmt.percent(s, lang, 1, sign=sign) for s in shares
    ]
