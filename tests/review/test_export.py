from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from review_helpers import AS_OF, add_activity, add_customers, add_invoice, add_rating

from kundenwert.errors import InputError
from kundenwert.review import export_review, run_review, set_override
from kundenwert.review.columns import column_names, export_columns_markdown
from kundenwert.review.export import customer_commitment

DOCS = Path(__file__).resolve().parents[2] / "docs" / "export-columns.md"


@pytest.fixture
def reviewed(store, settings):
    add_customers(store, "K1", "K2", "K3", "K4")
    for cid, amount in (("K1", "800.25"), ("K2", "150"), ("K3", "40"), ("K4", "10")):
        add_invoice(store, cid, date(2026, 3, 1), amount, cost="1.5")
    add_activity(store, "K4", date(2026, 3, 2), "99")
    add_rating(store, "K3", "reference_value", 9)
    run_review(store, settings, AS_OF)
    set_override(store, settings, "K4", "service_level", "plus", reason="Pilotkunde", by="M. M.")
    return store


def expected_columns(settings):
    return column_names(list(settings.review.scoring.indicators))


def test_csv_and_parquet_have_the_documented_columns(reviewed, settings, tmp_path):
    csv = pa_csv.read_csv(export_review(reviewed, None, "csv", tmp_path / "r.csv"))
    par = pq.read_table(export_review(reviewed, None, "parquet", tmp_path / "r.parquet"))
    assert csv.column_names == par.column_names == expected_columns(settings)
    rows = {r["customer_id"]: r for r in par.to_pylist()}
    assert [r["customer_id"] for r in par.to_pylist()] == ["K1", "K2", "K3", "K4"]
    assert rows["K1"]["revenue"] == Decimal("800.25")
    assert rows["K1"]["margin_1"] == Decimal("798.75")
    assert rows["K4"]["care_exceeds_margin"] is True
    assert (rows["K4"]["service_level"], rows["K4"]["service_level_effective"]) == (
        "standard",
        "plus",
    )
    assert rows["K4"]["override_reason"] == "Pilotkunde"
    assert rows["K3"]["strategic"] is True
    assert rows["K1"]["quadrant_label"] in {"Topkunde", "Premiumkunde"}
    parts = [c for c in par.column_names if c.startswith("contribution_")]
    for r in rows.values():
        if r["value_score"] is None:  # too little known: no score, no contributions
            assert r["score_coverage"] < 0.5 and all(r[c] is None for c in parts)
            continue
        assert abs(sum(r[c] for c in parts) - r["value_score"]) < 1e-9


def test_xlsx_has_overview_customers_and_charts(reviewed, tmp_path):
    path = export_review(reviewed, None, "xlsx", tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Übersicht",
        "Kunden",
        "ABC-Pareto",
        "Vier-Felder-Matrix",
        "Prognose",
        "Servicelevel",
        "Geschäftsbereiche",  # the review per business unit
    ]
    ws = wb["Kunden"]
    assert ws.max_row == 5  # header + 4 customers
    assert ws.cell(1, 1).value == "Kundennr." and ws.cell(2, 1).value == "K1"
    assert ws.cell(2, 4).value == pytest.approx(800.25)
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref is not None
    assert len(wb["ABC-Pareto"]._charts) == 1
    assert len(wb["Vier-Felder-Matrix"]._charts) == 1
    overview = [[c.value for c in row] for row in wb["Übersicht"].iter_rows()]
    flat = [v for row in overview for v in row if v is not None]
    assert "Review 1" in flat[0] and 4 in flat
    assert "Premium" in [c.value for c in wb["Servicelevel"]["A"]]


def test_english_workbook(reviewed, tmp_path):
    wb = openpyxl.load_workbook(export_review(reviewed, 1, "xlsx", tmp_path / "e.xlsx", "en"))
    assert wb.sheetnames[0] == "Overview"
    assert wb["Customers"].cell(1, 1).value == "Customer ID"


def test_unknown_format_is_refused(reviewed, tmp_path):
    with pytest.raises(InputError):
        export_review(reviewed, None, "pdf", tmp_path / "r.pdf")


def test_commitment_of_a_customer_uses_the_effective_level(reviewed):
    text = customer_commitment(reviewed, "K4")
    assert "Servicelevel Plus" in text and "Firma K4" in text


def test_export_columns_doc_matches_the_column_spec():
    assert DOCS.read_text("utf-8") == export_columns_markdown()
