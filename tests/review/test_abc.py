from datetime import date

from review_helpers import add_customers, add_invoice, make_settings, review_rows

DAY = date(2026, 3, 1)


def classes(store, settings, amounts: dict) -> dict:
    add_customers(store, *amounts)
    for cid, amount in amounts.items():
        if amount is not None:
            add_invoice(store, cid, DAY, amount)
    return {k: r["abc_class"] for k, r in review_rows(store, settings).items()}


def test_share_of_customers_ranked_above_sets_the_class(store, settings):
    # Shares of the customers above: K1 0 %, K2 40 %, K3 79 %, K4 90 %, K5 94 %, K6 98 %.
    got = classes(store, settings, {"K1": 40, "K2": 39, "K3": 11, "K4": 4, "K5": 4, "K6": 2})
    assert got == {"K1": "A", "K2": "A", "K3": "A", "K4": "B", "K5": "B", "K6": "C"}


def test_exact_cutoff_shares_go_to_the_lower_class(store, settings):
    # K3 has exactly 80 % above it (not below 80 %: B), K5 exactly 95 % (C).
    got = classes(store, settings, {"K1": 40, "K2": 40, "K3": 10, "K4": 5, "K5": 3, "K6": 2})
    assert got == {"K1": "A", "K2": "A", "K3": "B", "K4": "B", "K5": "C", "K6": "C"}


def test_customer_crossing_the_cutoff_keeps_the_higher_class(store, settings):
    # K2 takes the cumulative share from 70 % to 90 %: it crosses 80 % but is still A.
    got = classes(store, settings, {"K1": 70, "K2": 20, "K3": 10})
    assert got == {"K1": "A", "K2": "A", "K3": "B"}


def test_one_dominant_customer_is_a(store, settings):
    got = classes(store, settings, {"K1": 1000, "K2": 1, "K3": 1})
    assert got["K1"] == "A"
    assert got["K2"] == "C"  # 1000 / 1002 above it: beyond 95 %


def test_ties_are_ranked_by_customer_id(store, settings):
    # Equal amounts: K1 ranks before K2, so K2 sees K1's 40 % above it.
    got = classes(store, settings, {"K2": 40, "K1": 40, "K3": 20})
    assert got == {"K1": "A", "K2": "A", "K3": "B"}
    rows = review_rows(store, settings)
    assert rows["K1"]["abc_share_above"] == 0.0
    assert rows["K2"]["abc_share_above"] == 0.4


def test_no_positive_measure_is_c(store, settings):
    got = classes(store, settings, {"K1": 100, "K2": None, "K3": -50})
    assert got == {"K1": "A", "K2": "C", "K3": "C"}


def test_configurable_cutoffs_and_margin_measure(store):
    settings = make_settings({"abc": {"measure": "margin_1", "a_cutoff": 0.5, "b_cutoff": 0.7}})
    add_customers(store, "K1", "K2", "K3")
    add_invoice(store, "K1", DAY, 1000, cost=950)  # margin 50
    add_invoice(store, "K2", DAY, 100, cost=0)  # margin 100
    add_invoice(store, "K3", DAY, 100, cost=50)  # margin 50
    rows = review_rows(store, settings)
    # by margin: K2 100 (0 % above), K1 50 (50 %: not below 0.5 -> B), K3 50 (75 % -> C)
    assert {k: r["abc_class"] for k, r in rows.items()} == {"K1": "B", "K2": "A", "K3": "C"}
    assert str(rows["K2"]["abc_measure"]) == "100.0000"
