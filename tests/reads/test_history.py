"""One customer's months: the margins follow the review's rules month by month."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "review"))
from review_helpers import add_activity, add_customers, add_invoice

from kundenwert.reads import monthly_history
from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store


def test_monthly_margins_add_up_to_the_reviews(tmp_path):
    settings = settings_from_dict({"review": {"margins": {"cost_per_hour": 80}}})
    with open_store(tmp_path / "h.duckdb", create=True) as store:
        add_customers(store, "K1")
        add_invoice(store, "K1", date(2026, 1, 5), 1000, cost=600, deductions=50)
        add_invoice(store, "K1", date(2026, 1, 20), 500, cost=None, deductions=None)
        add_invoice(store, "K1", date(2026, 3, 3), 2000, cost=1500, deductions=100)
        add_activity(store, "K1", date(2026, 2, 10), 300)  # a month with care only
        add_activity(store, "K1", date(2026, 3, 11), None, hours=2)  # 2 h at 80
        add_invoice(store, "K1", date(2026, 7, 1), 9999, cost=1)  # after the as-of date
        as_of = date(2026, 6, 30)
        review = run_review(store, settings, as_of, 12)
        months = monthly_history(store, settings, "K1", as_of=as_of)
        stored = store.con.execute(
            "SELECT revenue, margin_1, margin_2, margin_3 FROM review_customers "
            "WHERE review_id = ? AND customer_id = 'K1'",
            [review.review_id],
        ).fetchone()
    assert [m["month"].month for m in months] == [1, 2, 3]
    assert months[0] == {
        "month": months[0]["month"],
        "revenue": 1500.0,
        "margin_1": 900.0,
        "margin_2": 850.0,
        "margin_3": 850.0,
    }
    assert months[1]["margin_3"] == -300.0 and months[2]["margin_3"] == 400.0 - 160.0
    for i, key in enumerate(("revenue", "margin_1", "margin_2", "margin_3")):
        assert sum(m[key] for m in months) == pytest.approx(float(stored[i]))
