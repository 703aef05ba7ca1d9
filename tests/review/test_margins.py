from datetime import date
from decimal import Decimal

from review_helpers import add_activity, add_customers, add_invoice, make_settings, review_rows


def test_margins_i_ii_iii_by_hand(store, settings):
    add_customers(store, "K1")
    add_invoice(store, "K1", date(2026, 1, 10), "1000.50", cost="600.25", deductions="50.10")
    add_invoice(store, "K1", date(2026, 2, 10), "-100.00", cost="-60.00")  # credit note
    add_invoice(store, "K1", date(2026, 3, 10), "200.00")  # cost unknown: counts as 0
    add_activity(store, "K1", date(2026, 4, 1), "120.40", kind="visit")
    add_activity(store, "K1", date(2026, 4, 2), "30.00", kind="goodwill")
    add_activity(store, "K1", date(2026, 4, 3), "10.00", kind="service", free=True)
    row = review_rows(store, settings)["K1"]
    assert row["revenue"] == Decimal("1100.50")
    assert row["cogs"] == Decimal("540.25")
    assert row["margin_1"] == Decimal("560.25")
    assert row["margin_2"] == Decimal("510.15")
    assert row["cost_to_serve"] == Decimal("160.40")
    assert row["goodwill_cost"] == Decimal("40.00")
    assert row["margin_3"] == Decimal("349.75")
    assert row["activity_count"] == 3
    assert row["care_exceeds_margin"] is False


def test_window_includes_both_ends_and_sees_nothing_after_the_as_of_date(store, settings):
    add_customers(store, "K1")
    add_invoice(store, "K1", date(2025, 6, 30), 1)  # day before the window
    add_invoice(store, "K1", date(2025, 7, 1), 10)  # first day
    add_invoice(store, "K1", date(2026, 6, 30), 100)  # as-of date
    add_invoice(store, "K1", date(2026, 7, 1), 1000)  # after: not seen
    add_activity(store, "K1", date(2026, 7, 1), 5)
    row = review_rows(store, settings)["K1"]
    assert row["revenue"] == Decimal("110")
    assert row["cost_to_serve"] == Decimal("0")


def test_customers_costing_more_than_they_bring_are_flagged(store, settings):
    add_customers(store, "K1", "K2", "K3")
    add_invoice(store, "K1", date(2026, 1, 1), 100, cost=50)
    add_activity(store, "K1", date(2026, 1, 2), 60)  # margin III = -10
    add_invoice(store, "K2", date(2026, 1, 1), 100, cost=50)
    add_activity(store, "K2", date(2026, 1, 2), 50)  # margin III = 0: not flagged
    add_invoice(store, "K3", date(2026, 1, 1), 100, cost=150)  # negative, but no care cost
    rows = review_rows(store, settings)
    assert rows["K1"]["care_exceeds_margin"] is True
    assert rows["K2"]["care_exceeds_margin"] is False
    assert rows["K3"]["care_exceeds_margin"] is False


def test_hours_without_cost_use_the_configured_hourly_cost(store):
    add_customers(store, "K1")
    add_activity(store, "K1", date(2026, 1, 2), None, hours=2.5)
    add_activity(store, "K1", date(2026, 1, 3), "40", hours=10)  # booked cost wins
    row = review_rows(store, make_settings({"margins": {"cost_per_hour": 80}}))["K1"]
    assert row["cost_to_serve"] == Decimal("240")


def test_customer_without_any_rows_has_zero_margins_and_class_c(store, settings):
    add_customers(store, "K1", "K2")
    add_invoice(store, "K2", date(2026, 1, 1), 10)
    row = review_rows(store, settings)["K1"]
    assert row["revenue"] == Decimal("0")
    assert row["margin_3"] == Decimal("0")
    assert row["abc_class"] == "C"


def test_customer_created_after_the_as_of_date_is_not_reviewed(store, settings):
    add_customers(store, "K1", "K2")
    store.con.execute(
        "UPDATE customers SET customer_since = DATE '2026-07-01' WHERE customer_id = 'K2'"
    )
    assert set(review_rows(store, settings)) == {"K1"}


def test_margins_on_missing_inputs_are_marked_incomplete(store, settings):
    # K1: one line without cost of goods (200 of 1,200 revenue). K2: an activity with hours but
    # no cost while cost_per_hour is unset. K3: everything known. K4: a line of 0 without
    # cost and an activity without hours and cost (nothing that a margin rests on).
    add_customers(store, "K1", "K2", "K3", "K4")
    add_invoice(store, "K1", date(2026, 1, 10), "1000", cost="600")
    add_invoice(store, "K1", date(2026, 1, 11), "200")
    add_invoice(store, "K2", date(2026, 1, 10), "300", cost="100")
    add_activity(store, "K2", date(2026, 2, 1), None, hours=3)
    add_invoice(store, "K3", date(2026, 1, 10), "500", cost="400")
    add_invoice(store, "K4", date(2026, 1, 10), "0")
    add_activity(store, "K4", date(2026, 2, 1), None)
    from kundenwert.review import run_review

    result = run_review(store, settings, date(2026, 6, 30), 12)
    rows = review_rows(store, settings)
    assert rows["K1"]["margins_complete"] is False
    assert rows["K1"]["uncosted_revenue"] == Decimal("200")
    assert rows["K1"]["margin_1"] == Decimal("600")  # the unknown cost still counts 0
    assert rows["K2"]["margins_complete"] is False
    assert rows["K2"]["uncosted_activities"] == 1
    assert rows["K2"]["margin_3"] == Decimal("200")
    assert rows["K3"]["margins_complete"] is True
    assert rows["K4"]["margins_complete"] is True
    # Complete: K3's 500 (and K4's 0) of 2,000 revenue.
    assert result.complete_revenue_share == 0.25
    assert result.totals["uncosted_revenue"] == "200.0000"
    keys = [f["key"] for f in result.findings]
    assert keys[:2] == ["margins_incomplete", "cost_per_hour"]
    incomplete = result.findings[0]
    assert incomplete["customers"] == 2 and incomplete["uncosted_activities"] == 1
    from kundenwert.review.findings import finding_text

    assert "25,0\xa0%" in finding_text(incomplete, "de")
    assert "25.0%" in finding_text(incomplete, "en")


def test_an_hourly_rate_completes_the_margins_of_activities_with_hours(store):
    add_customers(store, "K1")
    add_invoice(store, "K1", date(2026, 1, 10), "300", cost="100")
    add_activity(store, "K1", date(2026, 2, 1), None, hours=3)
    from kundenwert.review import run_review

    cfg = make_settings({"margins": {"cost_per_hour": 50}})
    result = run_review(store, cfg, date(2026, 6, 30), 12)
    row = review_rows(store, cfg)["K1"]
    assert row["margins_complete"] is True and row["margin_3"] == Decimal("50")
    assert result.complete_revenue_share == 1.0
    assert "margins_incomplete" not in [f["key"] for f in result.findings]
