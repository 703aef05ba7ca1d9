"""The summary's SQL that `forecast fit` runs on the store is what Ibis compiles summary() to."""

from __future__ import annotations

from datetime import date

import pytest

from kundenwert.engine.inputs import to_arrow
from kundenwert.forecast import summary_sql
from kundenwert.forecast.config import ForecastSettings
from kundenwert.forecast.fitting import customer_summary
from kundenwert.forecast.summary import invoices_table, summary


def test_the_checked_in_sql_is_current():
    text = summary_sql.MODULE.read_text("utf-8")
    assert text == summary_sql.render(), "run `python -m kundenwert.forecast.summary_sql`"


@pytest.mark.parametrize("unit", ["day", "week"])
@pytest.mark.parametrize("zero_value", [False, True])
@pytest.mark.parametrize("as_of", [date(2024, 2, 29), date(1997, 9, 30)])
def test_the_sql_for_a_date_is_ibis_compilation(unit, zero_value, as_of):
    expected = summary_sql.compiled(unit, zero_value, as_of)
    assert summary_sql.summary_sql(as_of, unit, zero_value) == expected


@pytest.fixture
def lines_store(store):
    """Invoice lines with what the purchase rule must handle: several lines a day, a credit note
    cancelling a day, a day totalling zero, lines after the reference date, one-time buyers."""
    rows = [
        ("a", "2024-01-01", "10.10"),
        ("a", "2024-01-01", "5.05"),
        ("a", "2024-01-15", "20"),
        ("a", "2024-02-01", "30"),
        ("a", "2024-02-01", "-30"),  # cancelled: no purchase
        ("a", "2024-03-01", "0"),  # zero: a purchase only with zero_value
        ("a", "2024-04-02", "99"),  # after the reference date
        ("b", "2024-03-30", "7.50"),
        ("c", "2023-12-24", "12"),
        ("c", "2024-03-31", "13.3333"),
    ]
    for i, (customer, day, amount) in enumerate(rows):
        store.con.execute(
            "INSERT INTO invoices (invoice_id, customer_id, date, amount, batch_id) "
            f"VALUES ('R{i}', '{customer}', DATE '{day}', {amount}, 0)"
        )
    return store


@pytest.mark.parametrize("unit", ["day", "week"])
@pytest.mark.parametrize("zero_value", [False, True])
def test_the_store_summary_equals_the_ibis_summary(lines_store, unit, zero_value):
    as_of = date(2024, 3, 31)
    expected = to_arrow(summary(invoices_table(lines_store), as_of, unit, zero_value=zero_value))
    settings = ForecastSettings(unit=unit, zero_value_purchases=zero_value)
    got = customer_summary(lines_store, as_of, settings, unit, "bgnbd")
    assert got.schema == expected.schema
    assert got.sort_by("customer_id").equals(expected.sort_by("customer_id"))
    assert got.num_rows == 3
