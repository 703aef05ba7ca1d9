"""The repeat-purchase summary rules, on hand-made invoices (times checked by hand)."""

from __future__ import annotations

from datetime import date

import ibis
import pyarrow as pa
import pytest

from kundenwert.forecast.config import parse_duration
from kundenwert.forecast.distinct import triples
from kundenwert.forecast.summary import calibration_holdout, summary

AS_OF = date(2024, 3, 31)


def _invoices(rows):
    return ibis.memtable(
        pa.table(
            {
                "customer_id": [r[0] for r in rows],
                "date": pa.array([r[1] for r in rows], pa.date32()),
                "amount": [float(r[2]) for r in rows],
            }
        )
    )


def _by_customer(expr):
    return {row["customer_id"]: row for row in expr.to_pyarrow().to_pylist()}


def test_same_day_lines_are_one_purchase_and_repeat_spend_is_their_mean():
    rows = [
        ("a", date(2024, 1, 1), 10),
        ("a", date(2024, 1, 1), 5),  # same day: one purchase of 15
        ("a", date(2024, 1, 15), 20),
        ("a", date(2024, 1, 15), 2),  # one purchase of 22
        ("a", date(2024, 2, 12), 30),
    ]
    a = _by_customer(summary(_invoices(rows), AS_OF, "day"))["a"]
    assert a["frequency"] == 2
    assert a["recency"] == 42.0  # 1 Jan to 12 Feb
    assert a["T"] == 90.0  # 1 Jan to 31 Mar (leap year)
    assert a["monetary_value"] == pytest.approx((22 + 30) / 2)


def test_weeks_are_days_over_seven():
    rows = [("a", date(2024, 1, 1), 10), ("a", date(2024, 1, 15), 10)]
    a = _by_customer(summary(_invoices(rows), AS_OF, "week"))["a"]
    assert a["recency"] == pytest.approx(2.0)
    assert a["T"] == pytest.approx(90 / 7)


def test_credit_notes_reduce_the_day_and_a_cancelled_day_is_no_purchase():
    rows = [
        ("a", date(2024, 1, 1), 100),
        ("a", date(2024, 2, 1), 50),
        ("a", date(2024, 2, 1), -50),  # fully credited: no purchase
        ("a", date(2024, 3, 1), 80),
        ("a", date(2024, 3, 1), -30),  # partly credited: a purchase of 50
        ("b", date(2024, 1, 10), -20),  # only a credit note: not a customer with purchases
    ]
    result = _by_customer(summary(_invoices(rows), AS_OF, "day"))
    assert set(result) == {"a"}
    assert result["a"]["frequency"] == 1
    assert result["a"]["recency"] == 60.0  # 1 Jan to 1 Mar
    assert result["a"]["monetary_value"] == pytest.approx(50.0)


def test_zero_total_days_count_only_when_asked():
    rows = [("a", date(2024, 1, 1), 10), ("a", date(2024, 2, 1), 0)]
    assert _by_customer(summary(_invoices(rows), AS_OF, "day"))["a"]["frequency"] == 0
    with_zero = summary(_invoices(rows), AS_OF, "day", zero_value=True)
    assert _by_customer(with_zero)["a"]["frequency"] == 1


def test_single_purchase_has_frequency_zero_recency_zero_and_no_spend():
    a = _by_customer(summary(_invoices([("a", date(2024, 3, 1), 10)]), AS_OF, "day"))["a"]
    assert (a["frequency"], a["recency"], a["T"], a["monetary_value"]) == (0, 0.0, 30.0, 0.0)


def test_as_of_excludes_later_invoices_and_includes_the_day_itself():
    rows = [
        ("a", date(2024, 1, 1), 10),
        ("a", AS_OF, 10),  # on the reference date: counts
        ("a", date(2024, 4, 1), 10),  # after: ignored
        ("c", date(2024, 4, 2), 10),  # first purchase after: not in the summary
    ]
    result = _by_customer(summary(_invoices(rows), AS_OF, "day"))
    assert set(result) == {"a"}
    assert (result["a"]["frequency"], result["a"]["recency"], result["a"]["T"]) == (1, 90.0, 90.0)


def test_calibration_holdout_counts_purchase_days_in_the_holdout_only():
    rows = [
        ("a", date(2024, 1, 1), 10),
        ("a", date(2024, 4, 1), 10),  # holdout day 1
        ("a", date(2024, 4, 1), 5),  # same day
        ("a", date(2024, 4, 14), 10),  # last holdout day (31 Mar + 2 weeks)
        ("a", date(2024, 4, 15), 10),  # after the holdout
        ("b", date(2024, 2, 1), 10),  # no holdout purchase
        ("n", date(2024, 4, 2), 10),  # new in the holdout: not in the cohort
    ]
    result = _by_customer(calibration_holdout(_invoices(rows), AS_OF, parse_duration("2w"), "week"))
    assert set(result) == {"a", "b"}
    assert result["a"]["frequency"] == 0
    assert result["a"]["holdout_frequency"] == 2
    assert result["a"]["holdout_amount"] == pytest.approx(25.0)
    assert result["b"]["holdout_frequency"] == 0


def test_triples_count_customers_with_the_same_history():
    rows = [("a", date(2024, 1, 1), 1), ("b", date(2024, 1, 1), 1), ("c", date(2024, 2, 1), 1)]
    out = triples(summary(_invoices(rows), AS_OF, "day").to_pyarrow())
    assert sorted(zip(out["T"].tolist(), out["count"].tolist(), strict=True)) == [
        (59.0, 1),
        (90.0, 2),
    ]


def test_summary_runs_on_the_store_invoices(store):
    store.con.execute(
        "INSERT INTO invoices (invoice_id, customer_id, date, amount, batch_id) VALUES "
        "('1', 'k1', DATE '2024-01-01', 100.5, 0), ('2', 'k1', DATE '2024-01-08', 20, 0)"
    )
    from kundenwert.forecast.summary import invoices_table

    k1 = _by_customer(summary(invoices_table(store), AS_OF, "week"))["k1"]
    assert (k1["frequency"], k1["recency"], k1["monetary_value"]) == (1, 1.0, 20.0)


def test_a_purchase_cancelled_the_same_day_is_exactly_no_purchase(store):
    # 0.1 + 0.2 - 0.3 is 5.6e-17 in floating point: summed as floats, that day would count as a
    # purchase of almost nothing (and, depending on line order, sometimes not).
    store.con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) VALUES "
        "('1', 1, 'k1', DATE '2024-01-01', 50, 0), ('2', 1, 'k1', DATE '2024-01-08', 0.1, 0), "
        "('2', 2, 'k1', DATE '2024-01-08', 0.2, 0), ('C2', 1, 'k1', DATE '2024-01-08', -0.3, 0)"
    )
    from kundenwert.forecast.summary import invoices_table

    k1 = _by_customer(summary(invoices_table(store), AS_OF, "week"))["k1"]
    assert (k1["frequency"], k1["recency"], k1["monetary_value"]) == (0, 0.0, 0.0)


def test_durations():
    assert parse_duration("39w").days == 273
    assert parse_duration("90d").in_units("week") == pytest.approx(90 / 7)
    assert str(parse_duration("14d")) == "2w"
    for bad in ("", "0w", "3m", "-1d", "w"):
        with pytest.raises(ValueError):
            parse_duration(bad)
