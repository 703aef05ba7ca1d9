"""The parse expressions, checked value by value and with generated numbers and dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenwert.importing.parsing import MACROS, ColumnBuilder
from kundenwert.schema import ACTIVITIES, INVOICES, Column

_con = duckdb.connect()
_con.execute(MACROS)


def parse(
    col: Column,
    values: list[str | None],
    decimal: str = ",",
    date_format=None,
    *,
    required: bool | None = None,
):
    """Parsed value and reject reasons of each raw text value, through the importer's SQL
    (``required``: whether an empty value is a fault; the column's own rule by default)."""
    b = ColumnBuilder(decimal=decimal, date_format=date_format, lang="en")
    first = b.parse(col, "t", text=True)
    fallback = b.fallback(col, "t", text=True)
    value = f"CASE WHEN f IS NULL AND t IS NOT NULL THEN {fallback} ELSE f END" if fallback else "f"
    required = col.required if required is None else required
    checks = b.column(col, "t", "v", required=required).problems
    errors = ", ".join(f"CASE WHEN {c} THEN {r} END" for _, c, r in checks)
    sql = (
        f"WITH c AS (SELECT i, kw_text(x) AS t FROM (SELECT unnest(range(len($1))) AS i, "
        f"unnest($1) AS x)), f AS (SELECT *, {first} AS f FROM c), "
        f"v AS (SELECT *, {value} AS v FROM f) "
        f"SELECT v, concat_ws('; ', {errors}) FROM v ORDER BY i"
    )
    return _con.execute(sql, [values]).fetchall()


AMOUNT = INVOICES.column("amount")
LINE_NO = INVOICES.column("line_no")
DATE = INVOICES.column("date")
HOURS = ACTIVITIES.column("hours")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234,56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("-12,5", Decimal("-12.5")),
        ("12,50-", Decimal("-12.5")),
        (" 7 ", Decimal("7")),
        ("1 234,00", Decimal("1234")),
        ("0,0001", Decimal("0.0001")),
    ],
)
def test_german_amounts(text, expected):
    assert parse(AMOUNT, [text]) == [(expected, "")]


@pytest.mark.parametrize("text", ["1234.56", "1.23,4", "12,3,4", "abc", "1,2e", "--5"])
def test_ambiguous_or_broken_german_amounts_are_rejected_not_guessed(text):
    [(value, reason)] = parse(AMOUNT, [text])
    assert value is None
    assert reason.startswith("amount: not a valid amount")
    assert text.strip() in reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.56", Decimal("1234.56")), ("1,234.56", Decimal("1234.56")), ("-3", Decimal("-3"))],
)
def test_english_amounts(text, expected):
    assert parse(AMOUNT, [text], decimal=".") == [(expected, "")]


def test_missing_required_value_is_named():
    assert parse(AMOUNT, ["", None, "   "]) == [(None, "amount: required value is empty")] * 3


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_any_amount_written_the_german_way_reads_back_exactly(amount, thousands, trailing_minus):
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", ".")
    text = f"{whole},{cents}"
    if amount < 0:
        text = f"{text}-" if trailing_minus else f"-{text}"
    assert parse(AMOUNT, [text]) == [(amount, "")]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_any_date_in_german_or_iso_form_reads_back(day):
    texts = [day.strftime("%d.%m.%Y"), day.isoformat(), f"{day.day}.{day.month}.{day.year}"]
    assert parse(DATE, texts) == [(day, "")] * 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.25", date(2025, 12, 31)),
        ("2025-12-31 14:30:00", date(2025, 12, 31)),
        ("31.12.2025 08:00", date(2025, 12, 31)),
    ],
)
def test_short_years_and_date_times_in_date_columns(text, expected):
    assert parse(DATE, [text]) == [(expected, "")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("32.01.2025", "not a valid date"),
        ("29.02.2025", "not a valid date"),
        ("12/31/2025", "not a valid date"),
        ("31.12.1899", "outside 1900–2099"),
    ],
)
def test_bad_dates_are_rejected(text, reason):
    [(_value, got)] = parse(DATE, [text])
    assert reason in got and text in got


def test_configured_date_format():
    assert parse(DATE, ["12/31/2025"], date_format="%m/%d/%Y") == [(date(2025, 12, 31), "")]


def test_ranges_and_integers():
    assert parse(HOURS, ["-1,5"]) == [(-1.5, "hours: value -1,5 is less than 0")]
    assert parse(LINE_NO, ["3", "x"]) == [(3, ""), (None, "line_no: not a whole number: 'x'")]


def test_choices_accept_german_words_and_reject_unknown_ones():
    category = INVOICES.column("category")
    rows = parse(category, ["Maschine", "ERSATZTEILE", "service", "Schrott", None])
    assert [v for v, _ in rows] == ["machine", "parts", "service", "schrott", None]
    assert rows[3][1].startswith("category: unknown value 'Schrott'; allowed: machine")
    assert rows[4][1] == ""


def test_yes_no_values():
    flag = ACTIVITIES.column("free_of_charge")
    rows = parse(flag, ["ja", "Nein", "X", "1", "false", "vielleicht"])
    assert [v for v, _ in rows] == [True, False, True, True, False, None]
    assert rows[5][1] == "free_of_charge: not a yes/no value: 'vielleicht'"


def test_timestamps():
    col = ACTIVITIES.column("requested_at")
    assert parse(col, ["31.12.2025 14:30", "2025-12-31T14:30:00"]) == [
        (datetime(2025, 12, 31, 14, 30), ""),
        (datetime(2025, 12, 31, 14, 30), ""),
    ]
