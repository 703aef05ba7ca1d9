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
