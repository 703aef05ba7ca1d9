from datetime import date

import pytest
from dynamics_helpers import add_customer, add_invoice

from kundenwert.dynamics import analyse, customer_surveys
from kundenwert.errors import NotFoundError
from kundenwert.settings import Settings


def add_survey(store, cid, day, sat, rec, why=None):
    store.con.execute(
        "INSERT INTO surveys (customer_id, date, satisfaction, recommend, why_chosen, batch_id) "
        "VALUES (?, ?, ?, ?, ?, 0)",
        [cid, day, sat, rec, why],
    )


def test_answers_over_time_with_their_change_and_loyalty_questions(store):
    add_customer(store, "K1")
    add_survey(store, "K1", date(2025, 3, 1), 9, 10, "Service vor Ort")
    add_survey(store, "K1", date(2024, 3, 1), 8, 9)
    add_survey(store, "K1", date(2026, 3, 1), 6, 7)
    rows = customer_surveys(store, "K1").to_pylist()
    assert [r["date"] for r in rows] == [date(2024, 3, 1), date(2025, 3, 1), date(2026, 3, 1)]
    assert [r["satisfaction_change"] for r in rows] == [None, 1, -3]
    assert rows[1]["why_chosen"] == "Service vor Ort"
    assert {"early_hesitation", "would_miss", "would_recommend_to"} <= set(rows[0])
    assert len(customer_surveys(store, "K1", date(2025, 12, 31))) == 2


def test_latest_two_answers_feed_the_signals_and_series_per_customer(store):
    add_customer(store, "K1")
    add_invoice(store, "K1", date(2026, 2, 10), 300, cost=100)
    add_invoice(store, "K1", date(2026, 5, 10), 200, cost=100)
    add_survey(store, "K1", date(2025, 3, 1), 9, 10)
    add_survey(store, "K1", date(2026, 3, 1), 6, 7)
    res = analyse(store, Settings(), date(2026, 6, 30))
    sat, prev, rec, rec_prev = (a[0] for a in res.signals.surveys)
    assert (sat, prev, rec, rec_prev) == (6, 9, 7, 10)
    q = res.quarterly("K1").to_pylist()
    assert q[-1] == {"period": "2026-Q2", "revenue": 200.0, "margin_3": 100.0}
    assert q[-2]["revenue"] == 300.0
    assert len(res.monthly("K1")) == 12  # the data start within the year: at least 12 months
    with pytest.raises(NotFoundError):
        res.monthly("nope")
