"""`kundenwert demo` end to end on a small demo company: generate, import, review, export."""

from __future__ import annotations

import openpyxl
import pytest

from kundenwert.review import load_review
from kundenwert.store import open_store
from kundenwert.walkthrough import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"), customers=400, seed=7)


def test_the_demo_imports_every_row_and_keeps_the_ground_truth_apart(demo):
    assert demo.import_run.exit_code == 0
    assert {f.table for f in demo.import_run.files} == {
        "customers",
        "contacts",
        "invoices",
        "installed_base",
        "activities",
        "ratings",
        "surveys",
    }
    assert not (demo.data_dir / "ground_truth.csv").exists()
    assert demo.files["ground_truth"].exists()


def test_the_demo_review_uses_and_validates_the_forecast(demo):
    with open_store(demo.database) as store:
        review = load_review(store, demo.review_id)
    forecast = review.header["forecast"]
    assert forecast["status"] == "fitted" and forecast["converged"] is True
    validation = forecast["validation"]
    assert validation["status"] == "done"
    assert sum(g["customers"] for g in validation["groups"]) == validation["customers"]
    rows = review.customers.to_pylist()
    sources = {r["potential_source"] for r in rows}
    assert "blend" in sources
    blended = [r for r in rows if r["potential_source"] == "blend"]
    assert all(r["clv"] is not None and 0 <= r["potential"] <= 100 for r in blended)
    # The per-customer validation adds up to the review's validation totals.
    validated = [r for r in rows if r["holdout_actual"] is not None]
    assert len(validated) == validation["customers"]
    assert sum(r["holdout_actual"] for r in validated) == validation["total_actual"]
    predicted = sum(r["holdout_predicted"] for r in validated)
    assert predicted == pytest.approx(validation["total_predicted"], rel=1e-9)


def test_the_demo_workbook_has_every_sheet_with_real_numbers(demo):
    book = openpyxl.load_workbook(demo.workbook)
    assert book.sheetnames == [
        "Übersicht",
        "Kunden",
        "ABC-Pareto",
        "Vier-Felder-Matrix",
        "Prognose",
        "Servicelevel",
        "Geschäftsbereiche",
        "Verläufe",
        "Warnungen",
        "Nächste Schritte",
        "Kontaktabdeckung",
        "Problemlöseketten",
    ]
    assert book["Nächste Schritte"].max_row - 1 == demo.actions.num_rows > 0
    assert book["Warnungen"].max_row - 1 == demo.alerts.num_rows > 0
    customers = book["Kunden"]
    assert customers.max_row == 401  # header and one row per customer
    overview = {row[0]: row[1] for row in book["Übersicht"].iter_rows(values_only=True) if row[0]}
    assert overview["Umsatz"] > 0
    assert overview["Potenzial aus"] == "blend"


def test_the_demo_carries_contacts_contact_activities_and_two_chains(demo):
    from kundenwert.contacts.chains import list_chains

    with open_store(demo.database) as store:
        contacts = store.con.execute("SELECT count(*) FROM contacts").fetchone()[0]
        linked = store.con.execute(
            "SELECT count(*) FROM activities WHERE contact_id IS NOT NULL"
        ).fetchone()[0]
        chains = list_chains(store)
    assert contacts > 400 and linked > 0
    assert len(chains) == 2 == len(demo.chains)
    kinds = {c["chain"]["focus"]["kind"] for c in chains}
    assert kinds == {"product", "customer_type"}
    assert all(len(c["chain"]["actors"]) == 6 for c in chains)
    assert demo.contact_alerts and {a["alert"] for a in demo.contact_alerts} >= {"single_contact"}
    book = openpyxl.load_workbook(demo.workbook, read_only=True)
    assert book["Problemlöseketten"].max_row == 13  # header and six actors per chain
