import json
from datetime import date

import pytest
from review_helpers import AS_OF, add_customers, add_invoice, make_settings

from kundenwert.errors import NotFoundError
from kundenwert.review import list_reviews, load_review, run_review


def test_review_stores_header_config_hash_and_batches_seen(store, settings):
    add_customers(store, "K1")
    add_invoice(store, "K1", date(2026, 1, 1), 100)
    store.con.execute("UPDATE invoices SET batch_id = 7")
    add_invoice(store, "K1", date(2026, 8, 1), 100)  # after the as-of date: batch 0 unseen
    store.con.execute("UPDATE invoices SET batch_id = 8 WHERE date > DATE '2026-06-30'")
    result = run_review(store, settings, AS_OF, created_by="Controller")
    review = load_review(store, result.review_id)
    h = review.header
    assert (h["as_of"], h["window_start"], h["window_months"]) == (AS_OF, date(2025, 7, 1), 12)
    assert h["created_by"] == "Controller"
    assert h["config_hash"] == settings.review.config_hash() == result.config_hash
    assert h["batches_seen"]["invoices"] == [7]
    assert h["batches_seen"]["customers"] == [0]
    assert review.settings == settings.review


def test_reviews_are_immutable_snapshots(store, settings):
    add_customers(store, "K1", "K2")
    add_invoice(store, "K1", date(2026, 1, 1), 100)
    first = run_review(store, settings, AS_OF)
    add_invoice(store, "K2", date(2026, 1, 1), 900)  # new data, new configuration
    other = make_settings({"abc": {"a_cutoff": 0.5}})
    second = run_review(store, other, AS_OF)
    assert second.review_id == first.review_id + 1
    old = {r["customer_id"]: r for r in load_review(store, first.review_id).customers.to_pylist()}
    assert str(old["K2"]["revenue"]) == "0.0000" and old["K1"]["abc_class"] == "A"
    again = load_review(store, first.review_id)
    assert again.settings.abc.a_cutoff == 0.8  # the configuration it ran with
    assert load_review(store).review_id == second.review_id  # latest by default
    assert [r["review_id"] for r in list_reviews(store)] == [second.review_id, first.review_id]


def test_summary_counts(store, settings):
    add_customers(store, "K1", "K2")
    add_invoice(store, "K1", date(2026, 1, 1), "100.10")
    result = run_review(store, settings, AS_OF)
    assert result.customer_count == 2
    assert result.totals["revenue"] == "100.1000"
    assert result.classes == {"A": 1, "C": 1}
    assert json.loads(json.dumps(result.to_dict()))["review_id"] == result.review_id


def test_unassigned_revenue_in_the_window_is_in_the_totals(store, settings):
    add_customers(store, "K1")
    add_invoice(store, "K1", date(2026, 1, 1), "100.10")
    for day, amount in (
        (date(2025, 7, 1), "5.25"),
        (date(2026, 6, 30), "-1.00"),
        (date(2025, 6, 30), "99"),
    ):
        store.con.execute(
            "INSERT INTO unassigned_invoices (invoice_id, line_no, date, amount, batch_id) "
            "VALUES ('U', 1, ?, ?, 3)",
            [day, amount],
        )
    result = run_review(store, settings, AS_OF)
    assert result.totals["revenue"] == "100.1000"  # customers' revenue only
    assert result.totals["unassigned_revenue"] == "4.2500"  # both window ends, not before
    assert result.totals["revenue_total"] == "104.3500"
    assert result.unassigned_lines == 2
    header = load_review(store, result.review_id).header
    assert (header["unassigned_lines"], str(header["unassigned_revenue"])) == (2, "4.2500")
    assert header["batches_seen"]["unassigned_invoices"] == [3]


def test_review_reports_its_steps_in_order(store, settings):
    from kundenwert.review.compute import REVIEW_STEPS

    add_customers(store, "K1")
    add_invoice(store, "K1", date(2026, 1, 1), 100)
    steps = []
    run_review(store, settings, AS_OF, progress=steps.append)
    assert tuple(steps) == REVIEW_STEPS


def test_missing_review_is_not_found(store):
    with pytest.raises(NotFoundError):
        load_review(store)
    with pytest.raises(NotFoundError):
        load_review(store, 42)


def test_review_of_an_empty_database(store, settings):
    result = run_review(store, settings, AS_OF)
    assert result.customer_count == 0
    assert result.classes == {}
    assert load_review(store).customers.num_rows == 0


def test_review_leaves_the_connection_settings_as_it_found_them(store, settings):
    run_review(store, settings, AS_OF)
    setting = "SELECT current_setting('preserve_insertion_order')"
    assert store.con.execute(setting).fetchone()[0] is True
