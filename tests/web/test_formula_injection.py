"""Issue 12: customer data that a spreadsheet would run as a formula, tried in every export."""

from __future__ import annotations

import csv
import io

import openpyxl
from web_helpers import AS_OF, csrf_of

from kundenwert.cells import csv_text
from kundenwert.review import export_review, run_review
from kundenwert.settings import settings_from_dict

EVIL = '=HYPERLINK("http://x","y")'


def _poison(store) -> None:
    store.con.execute("UPDATE customers SET name = ? WHERE customer_id = 'K1'", [EVIL])
    store.con.execute("UPDATE customers SET business_unit = '@SUM(A1)' WHERE customer_id = 'K2'")
    run_review(store, settings_from_dict({}), AS_OF, 12, created_by="test")


def _formulas(data: bytes | str) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [c.value for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]


def _csv_rows(text: str, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_customer_list_xlsx_has_no_formula_cells(as_user, web_store):
    _poison(web_store)
    response = as_user("chef").get("/customers/export.xlsx")
    assert response.status_code == 200
    assert _formulas(response.content) == []
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert EVIL in [c.value for row in book.active.iter_rows() for c in row]


def test_customer_list_csv_neutralises_text_not_numbers(as_user, web_store):
    _poison(web_store)
    rows = _csv_rows(as_user("chef").get("/customers/export.csv").text)
    cells = [c for row in rows[1:] for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert "'@SUM(A1)" in cells
    assert not any(c.startswith("'") and c[1:2].isdigit() for c in cells)


def test_review_export_xlsx_and_csv_are_safe(web_store, tmp_path):
    _poison(web_store)
    from web_helpers import AS_OF

    from kundenwert.review import run_review
    from kundenwert.settings import settings_from_dict

    run_review(web_store, settings_from_dict({}), AS_OF, 12, created_by="test")
    xlsx = export_review(web_store, None, "xlsx", tmp_path / "r.xlsx")
    assert _formulas(str(xlsx)) == []
    text = export_review(web_store, None, "csv", tmp_path / "r.csv").read_text("utf-8")
    cells = [c for row in _csv_rows(text, ",") for c in row]
    assert "'" + EVIL in cells and EVIL not in cells


def test_rejected_rows_file_neutralises_formulas_but_keeps_german_numbers(as_user, web_store):
    c = as_user("chef")
    body = (
        "invoice_id;line_no;customer_id;date;amount;cost;deductions;category\n"
        "=1+2;1;K1;kein Datum;-12,50;+3;0;@SUM(A1)\n"
    )
    token = csrf_of(c.get("/imports").text)
    files = {"file": ("invoices.csv", body.encode("utf-8"), "text/csv")}
    assert c.post("/imports", data={"csrf_token": token}, files=files).status_code == 200
    batch = web_store.con.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
    rows = _csv_rows(c.get(f"/imports/{batch}/rejected.csv").text)
    assert rows[1][4:] == ["'=1+2", "1", "K1", "kein Datum", "-12,50", "+3", "0", "'@SUM(A1)"]


def test_formula_prefixes_and_numbers():
    assert csv_text("-12,50") == "-12,50"
    assert csv_text("+1.5e3") == "+1.5e3"
    assert csv_text("-1+1") == "'-1+1"
    assert csv_text("\t=1") == "'\t=1"
    assert csv_text("Müller") == "Müller"
