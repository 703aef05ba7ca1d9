"""Issue 14.2: missing is unknown, one potential scale, coverage, axes without information."""

import sys
import types
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from review_helpers import (
    add_customers,
    add_invoice,
    add_rating,
    contributions,
    make_settings,
    review_rows,
)

from kundenwert.review import run_review
from kundenwert.review.findings import finding_text
from kundenwert.settings import Settings

DAY = date(2026, 3, 1)
SUPERSTORE = Path(__file__).resolve().parents[1] / "data" / "superstore" / "superstore.parquet"

COVERAGE = {
    "scoring": {
        "indicators": {
            "rev": {"source": "invoices", "cap_quantile": 1.0},
            "rq": {"source": "ratings", "rating": "relationship_quality"},
            "loc": {"source": "customers", "attribute": "country", "points": {"DE": 100}},
        },
        "weights": {"default": {"rev": 2, "rq": 1, "loc": 1}},
        "minimum_coverage": 0.6,
    },
    "potential": {"source": "ratings", "indicators": ["rq"]},
}


def test_the_score_re_weights_the_known_indicators_and_needs_the_minimum_coverage(store):
    add_customers(store, ("K1", None, "DE"), ("K2", None, "DE"), ("K3", None, None))
    add_customers(store, ("K4", None, None))
    add_invoice(store, "K1", DAY, 100)  # the cap: the largest revenue, 100
    add_invoice(store, "K2", DAY, 50)
    add_rating(store, "K1", "relationship_quality", 5)
    add_rating(store, "K4", "relationship_quality", 10)
    rows = review_rows(store, make_settings(COVERAGE))
    c = contributions(store)
    # K1: all known (coverage 1): (2 x 100 + 1 x 50 + 1 x 100) / 4
    assert rows["K1"]["value_score"] == pytest.approx(87.5)
    assert rows["K1"]["score_coverage"] == 1
    # K2: no rating (unknown, not a neutral 50): rev 50 and loc 100 with weights 2 and 1
    # out of the known 3/4 -> shares 2/3 and 1/3: 33.33 + 33.33
    assert rows["K2"]["score_coverage"] == pytest.approx(0.75)
    assert rows["K2"]["value_score"] == pytest.approx(200 / 3)
    assert c["K2"]["rev"]["weight_share"] == pytest.approx(2 / 3)
    assert c["K2"]["rq"] == {
        "raw_value": None,
        "normalised": None,
        "weight_share": 0,
        "contribution": 0,
        "missing": True,
    }
    # K3: only the revenue (a known 0) is known: coverage 1/2 below 0.6: no score at all
    assert rows["K3"]["score_coverage"] == 0.5 and rows["K3"]["value_score"] is None
    assert all(v["contribution"] is None for v in c["K3"].values())
    # K4: revenue 0 and rating 10 known, no country: (2 x 0 + 1 x 100) / 3
    assert rows["K4"]["value_score"] == pytest.approx(100 / 3)
    # The potential: the rating alone, unknown without one (never 50 by default)
    assert [rows[k]["potential"] for k in ("K1", "K2", "K4")] == [50, None, 100]
    assert rows["K2"]["potential_source"] == "none" and rows["K2"]["potential_coverage"] == 0


def test_minimum_coverage_is_inclusive_and_the_summary_counts_the_unscored(store):
    add_customers(store, ("K1", None, None), ("K2", None, "DE"))
    add_invoice(store, "K1", DAY, 10)
    settings = make_settings({**COVERAGE, "scoring": {**COVERAGE["scoring"]}})
    settings.review.scoring.minimum_coverage = 0.75
    result = run_review(store, settings, date(2026, 6, 30))
    rows = review_rows(store, settings)
    assert rows["K1"]["value_score"] is None  # 0.5 < 0.75
    assert rows["K2"]["value_score"] == pytest.approx(100 / 3)  # exactly 0.75: scored
    (no_score,) = [f for f in result.findings if f["key"] == "no_score"]
    assert no_score == {"key": "no_score", "customers": 1, "minimum": 0.75}
    assert "1 Kunden ohne Kundenwert" in finding_text(no_score, "de")
    assert "75.0%" in finding_text(no_score, "en")  # English writes no space


def test_a_reversed_rating_scale_scores_lower_values_higher(store):
    review = {
        "scoring": {
            "indicators": {
                "competition": {
                    "source": "ratings",
                    "rating": "competitive_intensity",
                    "scale": [10, 0],  # worst 10 (fierce competition), best 0
                }
            },
            "weights": {"default": {"competition": 1}},
        },
        "potential": {"source": "ratings", "indicators": ["competition"]},
    }
    add_customers(store, "K1", "K2", "K3")
    add_rating(store, "K1", "competitive_intensity", 2)
    add_rating(store, "K2", "competitive_intensity", 10)
    add_rating(store, "K3", "competitive_intensity", 12)  # beyond the worst: clipped to 0
    rows = review_rows(store, make_settings(review))
    assert [rows[k]["value_score"] for k in ("K1", "K2", "K3")] == [pytest.approx(80), 0, 0]


def test_an_equal_worst_and_best_is_refused():
    from kundenwert.errors import ConfigError

    with pytest.raises(ConfigError, match="worst and best must differ"):
        make_settings(
            {
                "scoring": {
                    "indicators": {"r": {"source": "ratings", "scale": [5, 5]}},
                    "weights": {"default": {"r": 1}},
                },
                "potential": {"indicators": ["r"]},
            }
        )


def _fake_forecast(monkeypatch, clv: dict[str, float]) -> None:
    fake = types.ModuleType("kundenwert.forecast")

    def customer_forecast_fit(store, as_of, settings):
        n = len(clv)
        return pa.table(
            {
                "customer_id": list(clv),
                "expected_purchases": [1.0] * n,
                "p_alive": [1.0] * n,
                "expected_spend": [1.0] * n,
                "clv": list(clv.values()),
            }
        ), {"model": "fake"}

    fake.customer_forecast_fit = customer_forecast_fit
    monkeypatch.setitem(sys.modules, "kundenwert.forecast", fake)


def test_blend_puts_the_lifetime_value_on_the_rating_scale_by_its_rank(store, monkeypatch):
    # Positive lifetime values 1000, 250, 250: 250 and 250 tie at rank 2/3, 1000 at 1;
    # a value of 0 is 0; no forecast is unknown.
    _fake_forecast(monkeypatch, {"K1": 1000.0, "K2": 250.0, "K3": 250.0, "K4": 0.0})
    add_customers(store, "K1", "K2", "K3", "K4", "K5")
    for cid in ("K1", "K2", "K3", "K4", "K5"):
        add_invoice(store, cid, DAY, 100)
    add_rating(store, "K1", "relationship_quality", 4)
    add_rating(store, "K5", "relationship_quality", 6)
    review = {
        **COVERAGE,
        "potential": {"source": "blend", "indicators": ["rq"], "ratings_weight": 0.5},
    }
    rows = review_rows(store, make_settings(review))
    got = {k: rows[k]["potential"] for k in rows}
    assert got["K1"] == pytest.approx(0.5 * 40 + 0.5 * 100)
    assert got["K2"] == got["K3"] == pytest.approx(200 / 3)  # forecast alone, re-weighted
    assert got["K4"] == 0
    assert got["K5"] == pytest.approx(60)  # rating alone, re-weighted
    sources = {k: rows[k]["potential_source"] for k in rows}
    assert sources == {"K1": "blend", "K2": "forecast", "K3": "forecast", "K4": "forecast"} | {
        "K5": "ratings"
    }
    assert rows["K2"]["potential_coverage"] == 0.5 and rows["K1"]["potential_coverage"] == 1


def test_an_axis_where_every_customer_has_the_same_value_is_not_split(store):
    add_customers(store, "K1", "K2", "K3")
    for cid, revenue in (("K1", 300), ("K2", 200), ("K3", 100)):
        add_invoice(store, cid, DAY, revenue)
        add_rating(store, cid, "relationship_quality", 5)
    review = {**COVERAGE, "matrix": {"x": {"measure": "revenue"}}}
    result = run_review(store, make_settings(review), date(2026, 6, 30))
    rows = review_rows(store, make_settings(review))
    # The tie rule would put all three on the high side; instead none is, and it is said.
    assert {k: r["quadrant"] for k, r in rows.items()} == {
        "K1": "premium",
        "K2": "premium",
        "K3": "small",
    }
    axis = [f for f in result.findings if f["key"] == "axis_without_information"]
    assert axis == [{"key": "axis_without_information", "axis": "y", "reason": "constant"}]


@pytest.fixture
def superstore(store):
    """Tableau's Superstore: 793 customers, invoices with cost, no ratings, no countries."""
    con = store.con
    con.execute(f"CREATE TEMP VIEW s AS FROM '{SUPERSTORE}'")
    con.execute(
        "INSERT INTO customers (customer_id, name, batch_id) "
        'SELECT "Customer ID", any_value("Customer Name"), 0 FROM s GROUP BY 1'
    )
    con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, batch_id) "
        'SELECT "Order ID", row_number() OVER (PARTITION BY "Order ID"), "Customer ID", '
        '"Order Date", "Sales", "Sales" - "Profit", 0 FROM s'
    )
    return store


def test_superstore_without_ratings_says_the_potential_axis_carries_nothing(superstore):
    settings = Settings()
    settings.review.potential.source = "ratings"
    result = run_review(superstore, settings, date(2017, 12, 30))
    assert result.customer_count == 793
    # No ratings: no potential for anyone; the axis is not split (all on the low side) and
    # the review says so, instead of 397 Topkunden and 396 Entwicklungskunden.
    assert set(result.quadrants) <= {"premium", "small"}
    assert result.quadrants["premium"] > 0 and result.quadrants["small"] > 0
    keys = {f["key"]: f for f in result.findings}
    assert keys["axis_without_information"]["axis"] == "y"
    assert keys["axis_without_information"]["reason"] == "unknown"
    text = finding_text(keys["axis_without_information"], "de")
    assert "Potenzial (y)" in text and "keine Information" in text
    # Value score: the machines (none: a known 0) and service revenue (35 % of the weight)
    # are all that is known: below the minimum of 50 %, no customer gets a score.
    assert keys["no_score"]["customers"] == 793


def test_superstore_blend_rests_on_the_forecast_and_says_the_ratings_are_missing(superstore):
    result = run_review(superstore, Settings(), date(2017, 12, 30))
    keys = {f["key"]: f for f in result.findings}
    if result.forecast["status"] != "fitted":
        pytest.fail(f"the forecast should fit on Superstore: {result.forecast}")
    assert keys["potential_part_unknown"]["parts"] == [
        "new_business_potential",
        "service_potential",
    ]
    assert "axis_without_information" not in keys
    # The potential is the forecast's rank alone: about half the customers at or above 50.
    assert 0 < result.quadrants.get("top", 0) + result.quadrants.get("development", 0) < 793
