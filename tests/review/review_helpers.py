"""Helpers for the review tests: small hand-made data sets and readers."""

from __future__ import annotations

import json
from datetime import date

from kundenwert.settings import settings_from_dict


def add_customers(store, *rows):
    """rows: (customer_id, business_unit, country) or just customer_id."""
    for row in rows:
        cid, unit, country = (row, None, "DE") if isinstance(row, str) else row
        store.con.execute(
            "INSERT INTO customers (customer_id, name, business_unit, country, batch_id) "
            "VALUES (?, ?, ?, ?, 0)",
            [cid, f"Firma {cid}", unit, country],
        )


def add_invoice(store, cid, day, amount, cost=None, deductions=None, category="machine"):
    n = store.con.execute("SELECT count(*) FROM invoices").fetchone()[0]
    store.con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, deductions, "
        "category, batch_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0)",
        [f"R{n}", cid, day, amount, cost, deductions, category],
    )


def add_activity(store, cid, day, cost, kind="visit", hours=None, free=None):
    n = store.con.execute("SELECT count(*) FROM activities").fetchone()[0]
    store.con.execute(
        "INSERT INTO activities (activity_id, customer_id, date, kind, hours, cost, "
        "free_of_charge, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        [f"A{n}", cid, day, kind, hours, cost, free],
    )


def add_rating(store, cid, indicator, value, day=date(2026, 1, 1)):
    store.con.execute(
        "INSERT INTO ratings (customer_id, indicator, value, date, batch_id) "
        "VALUES (?, ?, ?, ?, 0)",
        [cid, indicator, value, day],
    )


def add_machine(store, cid, machine_id, value, day=date(2020, 1, 1)):
    store.con.execute(
        "INSERT INTO installed_base (customer_id, machine_id, value, installed_on, batch_id) "
        "VALUES (?, ?, ?, ?, 0)",
        [cid, machine_id, value, day],
    )


def rows_by_id(table):
    return {r["customer_id"]: r for r in table.to_pylist()}


def make_settings(review: dict):
    return settings_from_dict({"review": review})


AS_OF = date(2026, 6, 30)


def review_rows(store, settings, as_of=AS_OF, months=12, today=None):
    """Run a review and return its effective rows by customer id."""
    from kundenwert.review import load_review, run_review

    result = run_review(store, settings, as_of, months)
    return rows_by_id(load_review(store, result.review_id, today=today).customers)


def contributions(store, review_id=None):
    """{customer_id: {indicator: row}} of the stored contributions (latest review by default)."""
    if review_id is None:
        review_id = store.con.execute("SELECT max(review_id) FROM reviews").fetchone()[0]
    names = json.loads(
        store.con.execute(
            "SELECT indicators FROM reviews WHERE review_id = ?", [review_id]
        ).fetchone()[0]
    )
    cur = store.con.execute(
        "SELECT customer_id, raw_value, normalised, weight_share, contribution, missing "
        "FROM review_customers WHERE review_id = ?",
        [review_id],
    )
    fields = ("raw_value", "normalised", "weight_share", "contribution", "missing")
    out: dict = {}
    for cid, *lists in cur.fetchall():
        out[cid] = {
            name: dict(zip(fields, (values[i] for values in lists), strict=True))
            for i, name in enumerate(names)
        }
    return out


#: A small scoring setup that is easy to compute by hand.
SIMPLE_SCORING = {
    "indicators": {
        "rev": {"source": "invoices", "cap_quantile": 1.0},
        "rq": {"source": "ratings", "rating": "relationship_quality"},
    },
    "weights": {"default": {"rev": 3, "rq": 1}},
}
SIMPLE = {"scoring": SIMPLE_SCORING, "potential": {"indicators": ["rq"]}}
