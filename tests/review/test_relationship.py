"""Issue 14.4: relationship quality from several inputs (seed 001), margins II and III as
indicators, reversed rating scales."""

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from review_helpers import (
    add_activity,
    add_customers,
    add_invoice,
    add_rating,
    contributions,
    review_rows,
)

from kundenwert.settings import settings_from_dict

DAY = date(2026, 3, 1)
DOC = Path(__file__).resolve().parents[2] / "docs" / "review.md"


def relationship_example() -> str:
    """The TOML block of docs/review.md's section on relationship quality."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Relationship quality from several inputs") :]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_relationship_quality_from_margin_iii_and_three_ratings_by_hand(store):
    settings = settings_from_dict(tomllib.loads(relationship_example()))
    add_customers(store, "K1", "K2")
    # K1: margin II 1000 - 400 - 100 = 500, care 200: margin III 300 (the cap: the only
    # positive value, cap_quantile 1.0) -> 100. K2: margin III 50 - 20 - 80 = -50 -> 0.
    add_invoice(store, "K1", DAY, 1000, cost=400, deductions=100)
    add_activity(store, "K1", DAY, 200)
    add_invoice(store, "K2", DAY, 50, cost=20)
    add_activity(store, "K2", DAY, 80)
    # Competitive intensity on a reversed scale [10, 0]: 2 -> 80. Share of wallet 0..100 %:
    # 40 -> 40. Loyalty 0..10: 9 -> 90. K2: fierce competition 10 -> 0, nothing else known.
    add_rating(store, "K1", "competitive_intensity", 2)
    add_rating(store, "K1", "share_of_wallet", 40)
    add_rating(store, "K1", "loyalty", 9)
    add_rating(store, "K2", "competitive_intensity", 10)
    rows = review_rows(store, settings)
    c = contributions(store)
    assert c["K1"]["profitability"]["raw_value"] == 300
    assert c["K2"]["profitability"]["raw_value"] == -50
    norm = {n: v["normalised"] for n, v in c["K1"].items()}
    assert norm == {
        "profitability": 100,
        "competitive_intensity": 80,
        "share_of_wallet": 40,
        "loyalty": 90,
    }
    # Weights 5 : 4 : 3 : 3 of 15: (500 + 320 + 120 + 270) / 15
    assert rows["K1"]["value_score"] == pytest.approx(1210 / 15)
    # K2: profitability 0 and competitive intensity 0 known (9 of 15 >= 0.5): score 0
    assert rows["K2"]["score_coverage"] == pytest.approx(9 / 15)
    assert rows["K2"]["value_score"] == 0


def test_margin_ii_indicator_by_category_and_margin_iii_refuses_categories(store):
    from kundenwert.errors import ConfigError

    review = {
        "scoring": {
            "indicators": {
                "m2": {"source": "invoices", "measure": "margin_2", "categories": ["service"]}
            },
            "weights": {"default": {"m2": 1}},
        },
        "potential": {"indicators": ["m2"]},
    }
    add_customers(store, "K1")
    add_invoice(store, "K1", DAY, 300, cost=100, deductions=50, category="service")
    add_invoice(store, "K1", DAY, 999, cost=1, category="machine")
    review_rows(store, settings_from_dict({"review": review}))
    assert contributions(store)["K1"]["m2"]["raw_value"] == 150
    review["scoring"]["indicators"]["m2"]["measure"] = "margin_3"
    with pytest.raises(ConfigError, match="cannot be limited to invoice categories"):
        settings_from_dict({"review": review})
