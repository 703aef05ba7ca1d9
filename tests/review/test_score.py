from datetime import date

import pytest
from review_helpers import (
    SIMPLE,
    add_customers,
    add_invoice,
    add_machine,
    add_rating,
    contributions,
    make_settings,
    review_rows,
)

DAY = date(2026, 3, 1)


def test_money_is_capped_at_a_quantile_and_ratings_scale_linearly(store):
    settings = make_settings(
        {
            "scoring": {
                "indicators": {
                    "rev": {"source": "invoices", "cap_quantile": 0.5},
                    "rq": {"source": "ratings", "rating": "relationship_quality", "scale": [1, 5]},
                },
                "weights": {"default": {"rev": 1, "rq": 1}},
            },
            "potential": {"indicators": ["rq"]},
        }
    )
    add_customers(store, "K1", "K2", "K3", "K4", "K5")
    for cid, amount in (("K1", 100), ("K2", 200), ("K3", 300), ("K4", 400)):
        add_invoice(store, cid, DAY, amount)
    # median of the positive values 100..400 is 250: K1 40, K2 80, K3 and K4 capped at 100.
    add_rating(store, "K1", "relationship_quality", 5)
    add_rating(store, "K2", "relationship_quality", 2)
    add_rating(store, "K3", "relationship_quality", 1)
    # K4 and K5 have no rating: unknown, left out; their revenue alone (half the weight, the
    # minimum coverage) makes the score.
    rows = review_rows(store, settings)
    c = contributions(store)
    norm = {k: (c[k]["rev"]["normalised"], c[k]["rq"]["normalised"]) for k in c}
    assert norm == {
        "K1": (pytest.approx(40), 100),
        "K2": (pytest.approx(80), 25),
        "K3": (100, 0),
        "K4": (100, None),
        "K5": (0, None),
    }
    assert c["K4"]["rq"]["missing"] is True and c["K1"]["rq"]["missing"] is False
    assert rows["K1"]["value_score"] == pytest.approx(0.5 * 40 + 0.5 * 100)
    assert rows["K4"]["value_score"] == pytest.approx(100)  # 100 x 1 (re-weighted)
    assert rows["K5"]["value_score"] == 0
    assert (rows["K1"]["score_coverage"], rows["K4"]["score_coverage"]) == (1, 0.5)
    assert c["K4"]["rev"]["weight_share"] == 1 and c["K4"]["rq"]["weight_share"] == 0


def test_missing_rating_counts_zero_when_configured(store):
    settings = make_settings(
        {
            "scoring": {
                "indicators": {"rq": {"source": "ratings", "missing": "zero"}},
                "weights": {"default": {"rq": 1}},
            },
            "potential": {"indicators": ["rq"]},
        }
    )
    add_customers(store, "K1")
    assert review_rows(store, settings)["K1"]["value_score"] == 0


def test_latest_rating_on_or_before_the_as_of_date_counts(store):
    settings = make_settings(SIMPLE)
    add_customers(store, "K1")
    add_rating(store, "K1", "relationship_quality", 2, date(2025, 1, 1))
    add_rating(store, "K1", "relationship_quality", 6, date(2026, 6, 30))
    add_rating(store, "K1", "relationship_quality", 10, date(2026, 7, 1))  # after: unseen
    review_rows(store, settings)
    assert contributions(store)["K1"]["rq"]["raw_value"] == 6


def test_old_rating_beyond_max_age_is_missing(store):
    review = {
        "scoring": {
            "indicators": {
                "rq": {
                    "source": "ratings",
                    "rating": "relationship_quality",
                    "max_age_months": 12,
                }
            },
            "weights": {"default": {"rq": 1}},
        },
        "potential": {"indicators": ["rq"]},
    }
    add_customers(store, "K1")
    add_rating(store, "K1", "relationship_quality", 9, date(2025, 6, 30))
    review_rows(store, make_settings(review))
    assert contributions(store)["K1"]["rq"]["missing"] is True
    assert contributions(store)["K1"]["rq"]["normalised"] is None


def test_weights_per_business_unit_and_contributions_add_up(store):
    review = {
        "scoring": {
            "indicators": {
                "mv": {"source": "installed_base", "cap_quantile": 1.0},
                "loc": {
                    "source": "customers",
                    "attribute": "postal_code",
                    "points": {"7": 100, "70": 90},
                    "default_points": 20,
                },
            },
            "weights": {"default": {"mv": 1, "loc": 1}, "Service": {"mv": 3, "loc": 1}},
        },
        "potential": {"source": "ratings", "indicators": ["mv"]},
    }
    add_customers(store, ("K1", "Service", "DE"), ("K2", "Vertrieb", "DE"), ("K3", None, "DE"))
    store.con.execute(
        "UPDATE customers SET postal_code = CASE customer_id WHEN 'K1' THEN '70173' "
        "WHEN 'K2' THEN '79098' ELSE NULL END"
    )
    add_machine(store, "K1", "M1", 50000)
    add_machine(store, "K2", "M2", 100000)
    add_machine(store, "K2", "M3", 1, date(2026, 7, 1))  # delivered after the as-of date
    rows = review_rows(store, make_settings(review))
    c = contributions(store)
    # K1 (Service: 3/4, 1/4): mv 50, loc 90 (longest prefix "70") -> 37.5 + 22.5
    assert c["K1"]["mv"]["weight_share"] == 0.75
    assert c["K1"]["loc"]["normalised"] == 90
    assert rows["K1"]["value_score"] == pytest.approx(60)
    # K2 (default: 1/2, 1/2): mv 100, loc 100 ("7")
    assert rows["K2"]["value_score"] == pytest.approx(100)
    # K3: no machines (a known 0), no postal code: unknown, not the default points; the
    # machines alone carry the score (coverage 1/2, the minimum)
    assert c["K3"]["loc"]["normalised"] is None and c["K3"]["loc"]["missing"] is True
    assert rows["K3"]["value_score"] == 0 and rows["K3"]["score_coverage"] == 0.5
    for cid, row in rows.items():
        total = sum(r["contribution"] for r in c[cid].values())
        assert abs(total - row["value_score"]) < 1e-9


def test_service_revenue_counts_only_service_invoices(store, settings):
    add_customers(store, "K1", "K2")
    add_invoice(store, "K1", DAY, 500, category="service")
    add_invoice(store, "K1", DAY, 9000, category="machine")
    add_invoice(store, "K2", DAY, 100, category="service")
    review_rows(store, settings)
    c = contributions(store)
    assert c["K1"]["service_revenue"]["raw_value"] == 500
    assert c["K2"]["service_revenue"]["raw_value"] == 100


def test_activity_and_invoice_measures(store):
    from review_helpers import add_activity

    review = {
        "scoring": {
            "indicators": {
                "visits": {
                    "source": "activities",
                    "measure": "count",
                    "kinds": ["visit"],
                    "cap_quantile": 1.0,
                },
                "hours": {"source": "activities", "measure": "hours", "cap_quantile": 1.0},
                "m1": {"source": "invoices", "measure": "margin_1", "cap_quantile": 1.0},
                "lines": {
                    "source": "invoices",
                    "measure": "count",
                    "categories": ["parts"],
                    "cap_quantile": 1.0,
                },
            },
            "weights": {"default": {"visits": 1, "hours": 1, "m1": 1, "lines": 1}},
        },
        "potential": {"indicators": ["m1"]},
    }
    add_customers(store, "K1", "K2")
    add_activity(store, "K1", DAY, 10, kind="visit", hours=2)
    add_activity(store, "K1", DAY, 10, kind="visit", hours=1.5)
    add_activity(store, "K1", DAY, 10, kind="call", hours=0.5)
    add_activity(store, "K2", DAY, 10, kind="visit", hours=8)
    add_invoice(store, "K1", DAY, 100, cost=30, category="parts")
    add_invoice(store, "K1", DAY, 50, cost=None, category="parts")
    add_invoice(store, "K2", DAY, 100, cost=90, category="machine")
    review_rows(store, make_settings(review))
    c = contributions(store)
    raw = {k: {n: r["raw_value"] for n, r in v.items()} for k, v in c.items()}
    assert raw == {
        "K1": {"visits": 2, "hours": 4, "m1": 120, "lines": 2},
        "K2": {"visits": 1, "hours": 8, "m1": 10, "lines": 0},
    }
    assert c["K1"]["hours"]["normalised"] == 50 and c["K2"]["visits"]["normalised"] == 50
