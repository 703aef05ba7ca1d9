"""Issue 14.3: score classes and the service level by score class, with a fallback."""

from datetime import date

import pytest
from review_helpers import add_customers, add_invoice, add_rating, make_settings, review_rows

from kundenwert.errors import ConfigError
from kundenwert.review import set_override

DAY = date(2026, 3, 1)


def review(score_classes: dict, service: dict | None = None) -> dict:
    return {
        "scoring": {
            "indicators": {"rq": {"source": "ratings", "rating": "relationship_quality"}},
            "weights": {"default": {"rq": 1}},
        },
        "potential": {"source": "ratings", "indicators": ["rq"]},
        "score_classes": score_classes,
        "service": {"strategic": [], **(service or {})},
    }


@pytest.fixture
def rated(store):
    """K1..K4 rated 10, 8, 6, 4 (scores 100, 80, 60, 40); K5 unrated (no score), the largest
    buyer (class A); K6 unrated, a small buyer (class C)."""
    add_customers(store, "K1", "K2", "K3", "K4", "K5", "K6")
    for cid, rating in (("K1", 10), ("K2", 8), ("K3", 6), ("K4", 4)):
        add_rating(store, cid, "relationship_quality", rating)
        add_invoice(store, cid, DAY, 10)
    add_invoice(store, "K5", DAY, 10000)
    add_invoice(store, "K6", DAY, 1)
    return store


def levels(rows):
    return {k: (r["score_class"], r["service_level"]) for k, r in rows.items()}


def test_fixed_scores_a_score_on_the_cut_is_the_higher_class(rated):
    rows = review_rows(rated, make_settings(review({"kind": "score", "high": 80, "medium": 60})))
    assert levels(rows) == {
        "K1": ("high", "premium"),
        "K2": ("high", "premium"),  # 80: on the cut
        "K3": ("medium", "plus"),  # 60: on the cut
        "K4": ("low", "standard"),
        # No score: the fallback (default: the ABC class) decides. K5 is A, K6 C.
        "K5": (None, "premium"),
        "K6": (None, "standard"),
    }


def test_quantiles_of_the_scored_customers(rated):
    # Scores 40, 60, 80, 100 (K5, K6 have none and do not count). Interpolated quantiles:
    # 0.75 -> 80 + 0.25 x 20 = 85; 0.25 -> 40 + 0.75 x 20 = 55.
    rows = review_rows(rated, make_settings(review({"high": 0.75, "medium": 0.25})))
    got = {k: r["score_class"] for k, r in rows.items()}
    assert got == {"K1": "high", "K2": "medium", "K3": "medium", "K4": "low"} | {
        "K5": None,
        "K6": None,
    }
    cuts = rated.con.execute("SELECT splits FROM reviews").fetchone()[0]
    assert '"score_classes": {"high": 85.0, "medium": 55.0}' in cuts


def test_the_fallback_of_unscored_customers_can_be_a_level(rated):
    cfg = review({"kind": "score", "high": 80, "medium": 60}, {"unscored": "plus"})
    rows = review_rows(rated, make_settings(cfg))
    assert (rows["K5"]["service_level"], rows["K6"]["service_level"]) == ("plus", "plus")
    assert rows["K1"]["service_level"] == "premium"


def test_a_class_override_moves_only_an_unscored_customer(rated, settings):
    cfg = make_settings(review({"kind": "score", "high": 80, "medium": 60}))
    set_override(rated, settings, "K6", "abc_class", "A", reason="Rahmenvertrag", by="M. M.")
    set_override(rated, settings, "K4", "abc_class", "A", reason="Rahmenvertrag", by="M. M.")
    rows = review_rows(rated, cfg)
    # K6 has no score: its level follows the (overridden) class. K4's score decides.
    assert rows["K6"]["service_level_effective"] == "premium"
    assert rows["K4"]["service_level_effective"] == "standard"


def test_score_class_settings_are_checked():
    with pytest.raises(ConfigError, match="medium must be below high"):
        make_settings(review({"high": 0.5, "medium": 0.7}))
    with pytest.raises(ConfigError, match="strictly between 0 and 1"):
        make_settings(review({"high": 90, "medium": 70}))
    with pytest.raises(ConfigError, match="unscored"):
        make_settings(review({}, {"unscored": "gold"}))


def test_quantile_cut_on_tied_scores_puts_every_tied_customer_in_the_higher_class(store):
    # Scores 100, 60, 60, 40. Quantile 0.5 of four values: (60 + 60) / 2 = 60 -> both 60s
    # are medium (equal to the cut); 0.75: 60 + 0.25 x (100 - 60) = 70 -> only 100 high.
    add_customers(store, "K1", "K2", "K3", "K4")
    for cid, rating in (("K1", 10), ("K2", 6), ("K3", 6), ("K4", 4)):
        add_rating(store, cid, "relationship_quality", rating)
    rows = review_rows(store, make_settings(review({"high": 0.75, "medium": 0.5})))
    assert {k: r["score_class"] for k, r in rows.items()} == {
        "K1": "high",
        "K2": "medium",
        "K3": "medium",
        "K4": "low",
    }


def test_an_empty_window_has_no_revenue_share_and_nobody_on_the_high_side(store):
    from kundenwert.review import run_review

    add_customers(store, "K1", "K2")
    add_invoice(store, "K1", date(2024, 1, 1), 500)  # long before the window
    add_rating(store, "K1", "relationship_quality", 9)
    add_rating(store, "K2", "relationship_quality", 3)
    cfg = make_settings(review({"kind": "score", "high": 80, "medium": 50}))
    result = run_review(store, cfg, date(2026, 6, 30))
    assert result.totals["revenue"] == "0.0000" and result.complete_revenue_share is None
    assert result.classes == {"C": 2}
    assert result.score_classes == {"high": 1, "low": 1}
    rows = review_rows(store, cfg)
    # No revenue: never on the high side of the x axis; the potential (ratings 90, 30) is.
    assert {k: r["quadrant"] for k, r in rows.items()} == {"K1": "development", "K2": "small"}
    assert {k: r["service_level"] for k, r in rows.items()} == {"K1": "premium", "K2": "standard"}
