"""examples/online-retail end to end on the real Online Retail II export, reconciled with the
raw file.

The expected figures are computed here from the raw Parquet file with pyarrow and Python's
Decimal, not with the engine the product uses, so that a mistake in the import cannot hide in
the check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "online-retail"
DATA = ROOT / "tests" / "data" / "online_retail_ii" / "online_retail_II_combined_dedup.parquet"
KUNDENWERT = str(Path(sys.executable).parent / "kundenwert")


@pytest.fixture(scope="module")
def raw() -> dict:
    """What the file holds, computed from the raw columns."""
    t = pq.read_table(DATA).to_pydict()
    price = {p: Decimal(repr(p)) for p in set(t["Price"])}  # 0.165 -> Decimal('0.165')
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    window = Decimal(0)  # the review's 12 months: 2010-12-10 .. 2011-12-09
    for q, p, when in zip(t["Quantity"], t["Price"], t["InvoiceDate"], strict=True):
        amount = int(q) * price[p]
        by_year[when.year] += amount
        if date(2010, 12, 10) <= when.date() <= date(2011, 12, 9):
            window += amount
    customers = {str(int(c)) for c in t["Customer ID"] if c is not None}
    cancelled = [i for i in t["Invoice"] if i.startswith("C")]
    return {
        "lines": len(t["Invoice"]),
        "without_customer": sum(c is None for c in t["Customer ID"]),
        "by_year": dict(by_year),
        "window": window,
        "customers": customers,
        "credit_note_lines": len(cancelled),
        "credit_notes": len(set(cancelled)),
    }


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("online-retail")
    run = subprocess.run(
        [str(EXAMPLE / "run.sh"), str(DATA), str(out)],
        env={**os.environ, "KUNDENWERT": KUNDENWERT},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def db(work):
    con = duckdb.connect(str(work / "kundenwert.duckdb"), read_only=True)
    yield con
    con.close()


def test_every_line_is_stored_once(db, raw):
    stored = db.execute("SELECT count(*) FROM invoices").fetchone()[0]
    unassigned = db.execute("SELECT count(*) FROM unassigned_invoices").fetchone()[0]
    assert unassigned == raw["without_customer"]
    assert stored + unassigned == raw["lines"]
    assert db.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0


def test_sums_by_year_reconcile_with_the_file_to_the_cent(db, raw):
    rows = db.execute(
        "SELECT year(date), sum(amount) FROM (SELECT date, amount FROM invoices "
        "UNION ALL SELECT date, amount FROM unassigned_invoices) GROUP BY 1"
    ).fetchall()
    assert {y: Decimal(s) for y, s in rows} == raw["by_year"]


def test_customers_are_created_from_the_lines(db, raw):
    ids = {r[0] for r in db.execute("SELECT customer_id FROM customers").fetchall()}
    assert ids == raw["customers"]
    assert len(ids) == 5942
    # The country of the customer's latest line.
    assert db.execute("SELECT country FROM customers WHERE customer_id = '12346'").fetchone() == (
        "United Kingdom",
    )


def test_credit_notes_are_recognised_and_mostly_linked(db, raw):
    lines, notes, linked = db.execute(
        "SELECT count(*), count(DISTINCT invoice_id), count(credit_for) FROM ("
        "SELECT invoice_id, credit_for FROM invoices WHERE credit_note UNION ALL "
        "SELECT invoice_id, credit_for FROM unassigned_invoices WHERE credit_note)"
    ).fetchone()
    assert (lines, notes) == (raw["credit_note_lines"], raw["credit_notes"])
    assert linked > 0.8 * lines
    # A link points at an earlier (or same-day) invoice of the same customer and product.
    wrong = db.execute(
        "SELECT count(*) FROM invoices c WHERE c.credit_for IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM invoices o WHERE o.invoice_id = c.credit_for AND "
        "o.customer_id = c.customer_id AND o.product = c.product AND o.date <= c.date)"
    ).fetchone()[0]
    assert wrong == 0


def test_the_review_total_is_the_files_revenue_in_the_window(db, raw):
    revenue = db.execute("SELECT sum(revenue) FROM review_customers").fetchone()[0]
    unassigned, lines = db.execute(
        "SELECT unassigned_revenue, unassigned_lines FROM reviews"
    ).fetchone()
    assert revenue + unassigned == raw["window"]
    assert lines > 0


def test_the_forecast_is_fitted_and_validated_in_the_review(db):
    info = json.loads(db.execute("SELECT forecast FROM reviews").fetchone()[0])
    assert info["status"] == "fitted" and info["converged"]
    assert info["spend"]["converged"]
    validation = info["validation"]
    assert validation["status"] == "done"
    assert validation["calibration_end"] == "2011-06-30"
    actual, predicted = validation["total_actual"], validation["total_predicted"]
    assert abs(predicted - actual) < 0.15 * actual


def test_the_workbook_shows_unassigned_revenue(work):
    book = openpyxl.load_workbook(work / "online-retail-review.xlsx", read_only=True)
    labels = [row[0] for row in book.worksheets[0].iter_rows(values_only=True) if row]
    assert "Umsatz ohne Kunde" in labels and "Umsatz laut Rechnungen" in labels
