import json
import sys
import types
from datetime import date

import pyarrow as pa
import pytest
from review_helpers import (
    SIMPLE,
    add_customers,
    add_invoice,
    add_rating,
    make_settings,
    review_rows,
)

from kundenwert.errors import ConfigError

DAY = date(2026, 3, 1)


def setup(store, data):
    """data: {cid: (revenue, relationship rating)}; potential = the rating * 10."""
    add_customers(store, *data)
    for cid, (revenue, rating) in data.items():
        add_invoice(store, cid, DAY, revenue)
        add_rating(store, cid, "relationship_quality", rating)


MEDIAN_X = {"x": {"measure": "revenue"}}  # the median rule (the default splits by class)


def quadrants(store, matrix=None):
    review = {**SIMPLE, "matrix": matrix or MEDIAN_X}
    return {k: r["quadrant"] for k, r in review_rows(store, make_settings(review)).items()}


def test_median_split_and_equal_to_split_counts_as_high(store):
    setup(store, {"K1": (300, 9), "K2": (200, 5), "K3": (100, 8), "K4": (150, 1)})
    # four values: revenue median (150+200)/2 = 175, potential median (50+80)/2 = 65
    got = quadrants(store)
    assert got == {"K1": "top", "K2": "premium", "K3": "development", "K4": "small"}


def test_value_equal_to_the_median_is_high(store):
    setup(store, {"K1": (300, 9), "K2": (200, 5), "K3": (100, 1)})
    got = quadrants(store)
    # medians: revenue 200, potential 50: K2 is high on both axes
    assert got == {"K1": "top", "K2": "top", "K3": "small"}


def test_customers_without_revenue_are_never_on_the_high_side(store):
    # Issue 14: with many inactive customers the median over all was 0, and every customer
    # without revenue in the window became a Topkunde or Premiumkunde.
    add_customers(store, "K1", "K2", "K3", "K4", "K5")
    for cid, revenue in (("K1", 300), ("K2", 100)):
        add_invoice(store, cid, DAY, revenue)
    for cid, rating in (("K1", 9), ("K2", 9), ("K3", 9), ("K4", 9), ("K5", 1)):
        add_rating(store, cid, "relationship_quality", rating)
    got = quadrants(store)
    # Revenue median over the active K1 and K2: 200; K3 to K5 have no revenue.
    assert got["K1"] == "top"
    assert got["K2"] == "development"
    assert {got[k] for k in ("K3", "K4", "K5")} <= {"development", "small"}


def test_by_default_the_revenue_axis_follows_the_abc_classes(store):
    # Issue 14: at default settings no Topkunde is class C and no Kleinkunde class A.
    revenue = {"K1": 5000, "K2": 2500, "K3": 1200, "K4": 300, "K5": 150, "K6": 50}
    setup(store, {k: (v, 9 if k in ("K1", "K4", "K6") else 1) for k, v in revenue.items()})
    rows = review_rows(store, make_settings(SIMPLE))
    for r in rows.values():
        high = r["quadrant"] in ("top", "premium")
        assert high == (r["abc_class"] in ("A", "B")), r
    assert {r["abc_class"] for r in rows.values() if r["quadrant"] == "top"} <= {"A", "B"}
    assert not [r for r in rows.values() if r["quadrant"] == "small" and r["abc_class"] == "A"]
    assert {r["quadrant"] for r in rows.values()} >= {"top", "development"}


def test_quantile_and_amount_splits(store):
    setup(store, {"K1": (300, 9), "K2": (200, 5), "K3": (100, 1)})
    matrix = {
        "x": {"measure": "revenue", "kind": "amount", "value": 250},
        "y": {"measure": "potential", "kind": "quantile", "q": 0.75},  # 0.75 of 10,50,90 = 70
    }
    assert quadrants(store, matrix) == {"K1": "top", "K2": "small", "K3": "small"}


def test_split_on_another_measure(store):
    setup(store, {"K1": (300, 9), "K2": (200, 5), "K3": (100, 1)})
    matrix = {"x": {"measure": "value_score", "kind": "amount", "value": 0}}
    got = quadrants(store, matrix)
    assert set(got.values()) <= {"top", "premium"}


def test_labels_in_german_and_english():
    labels = make_settings({}).review.matrix.labels
    assert [labels[q].de for q in ("top", "development", "small", "premium")] == [
        "Topkunde",
        "Entwicklungskunde",
        "Kleinkunde",
        "Premiumkunde",
    ]
    assert labels["development"].en == "Development customer"


def test_potential_from_the_forecast_seam(store, monkeypatch):
    fake = types.ModuleType("kundenwert.forecast")

    def customer_forecast_fit(store, as_of, settings):
        assert as_of == date(2026, 6, 30)
        table = pa.table(
            {
                "customer_id": ["K1", "K2"],
                "expected_purchases": [1.0, 2.0],
                "p_alive": [0.5, 0.9],
                "expected_spend": [1.0, 2.0],
                "clv": [1000.0, 10.0],
            }
        )
        return table, {"model": "fake"}

    fake.customer_forecast_fit = customer_forecast_fit
    monkeypatch.setitem(sys.modules, "kundenwert.forecast", fake)
    setup(store, {"K1": (100, 1), "K2": (300, 1), "K3": (200, 1)})
    review = {**SIMPLE, "potential": {"source": "forecast"}, "matrix": MEDIAN_X}
    rows = review_rows(store, make_settings(review))
    assert rows["K1"]["potential"] == 1000.0
    assert rows["K3"]["potential"] is None  # no forecast: unknown, never high
    assert [rows[k]["potential_source"] for k in ("K1", "K2", "K3")] == [
        "forecast",
        "forecast",
        "none",
    ]
    assert (rows["K2"]["p_alive"], rows["K2"]["clv"], rows["K3"]["clv"]) == (0.9, 10.0, None)
    # The potential median is taken over the customers with potential above 0 (1000 and 10:
    # 505); K3 without a forecast (0) is never high. Revenue median 200.
    assert {k: r["quadrant"] for k, r in rows.items()} == {
        "K1": "development",
        "K2": "premium",
        "K3": "premium",
    }


def test_missing_forecast_is_a_config_error(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "kundenwert.forecast", types.ModuleType("kundenwert.forecast"))
    setup(store, {"K1": (100, 1)})
    with pytest.raises(ConfigError) as info:
        review_rows(store, make_settings({**SIMPLE, "potential": {"source": "forecast"}}))
    assert info.value.details["key"] == "review.potential.source"


def test_blended_potential_mixes_ratings_and_scaled_lifetime_value(store, monkeypatch):
    fake = types.ModuleType("kundenwert.forecast")
    clv = {"K1": 1000.0, "K2": 250.0}

    def customer_forecast_fit(store, as_of, settings):
        return pa.table(
            {
                "customer_id": list(clv),
                "expected_purchases": [1.0, 1.0],
                "p_alive": [1.0, 1.0],
                "expected_spend": [1.0, 1.0],
                "clv": list(clv.values()),
            }
        ), {"model": "fake"}

    fake.customer_forecast_fit = customer_forecast_fit
    monkeypatch.setitem(sys.modules, "kundenwert.forecast", fake)
    # ratings (relationship quality on 0..10): K1 8 -> 80, K2 2 -> 20, K3 none: unknown
    setup(store, {"K1": (100, 8), "K2": (300, 2)})
    add_customers(store, "K3")
    add_invoice(store, "K3", DAY, 200)
    potential = {
        "indicators": ["rq"],
        "source": "blend",
        "ratings_weight": 0.25,
        "clv_scale": "cap",
        "cap_quantile": 1.0,
    }
    rows = review_rows(store, make_settings({**SIMPLE, "potential": potential}))
    # cap = the largest positive lifetime value, 1000: K1 scales to 100, K2 to 25
    assert rows["K1"]["potential"] == pytest.approx(0.25 * 80 + 0.75 * 100)
    assert rows["K2"]["potential"] == pytest.approx(0.25 * 20 + 0.75 * 25)
    # K3: no rating and no forecast: no potential at all (not a neutral 50)
    assert rows["K3"]["potential"] is None and rows["K3"]["potential_coverage"] == 0
    assert [rows[k]["potential_source"] for k in ("K1", "K2", "K3")] == [
        "blend",
        "blend",
        "none",
    ]


def test_a_forecast_that_cannot_be_fitted_leaves_its_columns_empty_and_says_why(store):
    setup(store, {"K1": (100, 8)})
    rows = review_rows(store, make_settings(SIMPLE))
    assert rows["K1"]["potential_source"] == "ratings"
    assert rows["K1"]["clv"] is None and rows["K1"]["p_alive"] is None
    info = json.loads(store.con.execute("SELECT forecast FROM reviews").fetchone()[0])
    assert info["status"] == "unavailable" and "zu wenige" in info["reason"]
