"""Importing files end to end: stored rows, rejected rows with reasons, batches, re-imports."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from import_helpers import write_text

INVOICES_HEADER = "invoice_id;line_no;customer_id;date;amount;cost;deductions;category\n"


def rows(store, sql):
    return store.con.execute(sql).fetchall()


def rejected(store):
    return rows(
        store, "SELECT line_no, field, reason FROM rejected_rows ORDER BY batch_id, line_no"
    )


def test_german_csv_from_excel_is_imported_with_umlauts_and_types(store, folder, run_import):
    write_text(folder / "customers.csv", "customer_id;name;city\nK1;Müller;Köln\n", "cp1252")
    write_text(
        folder / "invoices.csv",
        INVOICES_HEADER + "R1;1;K1;31.12.2025;1.234,56;800,10;12,00;Maschine\n",
    )
    run = run_import(folder)
    assert run.exit_code == 0
    assert [f.status for f in run.files] == ["stored", "stored"]
    assert rows(store, "SELECT name, city FROM customers") == [("Müller", "Köln")]
    (amount, cost, category, day) = rows(
        store, "SELECT amount, cost, category, strftime(date, '%Y-%m-%d') FROM invoices"
    )[0]
    assert (amount, cost, category, day) == (
        Decimal("1234.56"),
        Decimal("800.10"),
        "machine",
        "2025-12-31",
    )


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ("R2;1;K1;;5,00;;;parts", "date", "date: Pflichtfeld ist leer"),
        ("R2;1;K1;31.12.2025;abc;;;parts", "amount", "amount: kein gültiger Betrag: 'abc'"),
        ("R2;1;K1;31.02.2025;5,00;;;parts", "date", "date: kein gültiges Datum"),
        ("R2;1;K1;01.01.1890;5,00;;;parts", "date", "date: Datum außerhalb 1900–2099"),
        ("R2;1;K1;31.12.2025;5,00;;;Schrott", "category", "category: unbekannter Wert 'Schrott'"),
        ("R2;1;K9;31.12.2025;5,00;;;parts", "customer_id", "customer_id: 'K9' fehlt in customers"),
        ("R2;x;K1;31.12.2025;5,00;;;parts", "line_no", "line_no: keine ganze Zahl: 'x'"),
        (
            "R1;1;K2;01.01.2026;7,00;;;parts",
            "invoice_id, line_no",
            "invoice_id, line_no: Schlüssel 'R1 / 1' doppelt in der Datei; "
            "gespeichert wurde Zeile 2",
        ),
    ],
)
@pytest.mark.parametrize("path", ["direct", "staged"])
def test_each_kind_of_bad_invoice_row_is_kept_aside_with_its_reason(
    with_customers, folder, run_import, line, field, reason, path
):
    store = with_customers
    if path == "staged":  # a table that holds rows already is merged through a staging table
        store.con.execute(
            "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) "
            "VALUES ('OLD', 1, 'K3', DATE '2020-01-01', 1, 0)"
        )
    path = write_text(
        folder / "invoices.csv",
        INVOICES_HEADER + "R1;1;K1;31.12.2025;100,00;;;parts\n" + line + "\n",
    )
    run = run_import(path)
    assert run.exit_code == 3
    result = run.files[0]
    assert (result.rows_read, result.inserted, result.rejected) == (2, 1, 1)
    [(line_no, got_field, got_reason)] = rejected(store)[-1:]
    assert (line_no, got_field) == (3, field)
    assert got_reason.startswith(reason)
    stored = rows(store, "SELECT invoice_id, amount FROM invoices WHERE batch_id > 0")
    assert stored == [("R1", Decimal("100"))]


def test_several_problems_in_one_row_are_all_named(with_customers, folder, run_import):
    path = write_text(folder / "invoices.csv", INVOICES_HEADER + "R1;1;K7;gestern;viel;;;x\n")
    run_import(path)
    [(_, fields, reason)] = rejected(with_customers)
    assert set(fields.split(", ")) == {"date", "amount", "category", "customer_id"}
    assert "date:" in reason and "amount:" in reason and "'K7' fehlt" in reason


def test_activity_rules(with_customers, folder, run_import):
    header = "activity_id;customer_id;date;kind;hours;free_of_charge;requested_at;responded_at\n"
    path = write_text(
        folder / "activities.csv",
        header
        + "A1;K1;02.01.2026;Besuch;2,5;nein;;\n"
        + "A2;K1;02.01.2026;ticket;-1;ja;02.01.2026 10:00;02.01.2026 09:00\n"
        + "A3;K1;02.01.2026;ticket;1;vielleicht;;\n",
    )
    run = run_import(path)
    assert run.files[0].rejected == 2
    reasons = {line: (field, reason) for line, field, reason in rejected(with_customers)}
    assert reasons[3][0] == "hours, responded_at"
    assert "hours: Wert -1 ist kleiner als 0" in reasons[3][1]
    assert "responded_at: Reaktion '02.01.2026 09:00' liegt vor der Anfrage" in reasons[3][1]
    assert reasons[4] == ("free_of_charge", "free_of_charge: kein Ja/Nein-Wert: 'vielleicht'")
    assert rows(with_customers, "SELECT kind, hours, free_of_charge FROM activities") == [
        ("visit", 2.5, False)
    ]


def test_rejected_rows_file_holds_reason_and_the_row_as_read(with_customers, folder, run_import):
    path = write_text(
        folder / "invoices.csv",
        INVOICES_HEADER + "R1;1;K1;31.12.2025;100,00;;;parts\nR2;1;K1;31.12.2025;1.0,0;;;parts\n",
    )
    run = run_import(path)
    out = run.files[0].rejected_file
    assert out is not None and out.parent == run.report_dir
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh, delimiter=";"))
    assert table[0] == [
        "Datei",
        "Zeile",
        "Feld",
        "Grund",
        "invoice_id",
        "line_no",
        "customer_id",
        "date",
        "amount",
        "cost",
        "deductions",
        "category",
    ]
    assert table[1][:3] == ["invoices.csv", "3", "amount"]
    assert table[1][4:] == ["R2", "1", "K1", "31.12.2025", "1.0,0", "", "", "parts"]
    summary = json.loads(run.summary_file.read_text("utf-8"))
    assert summary["files"][0]["rows_rejected"] == 1
    assert summary["files"][0]["rejected_file"] == str(out)


def test_same_file_twice_changes_nothing(with_customers, folder, run_import):
    store = with_customers
    path = write_text(
        folder / "invoices.csv", INVOICES_HEADER + "R1;1;K1;31.12.2025;100,00;;;parts\n"
    )
    run_import(path)
    before = rows(store, "SELECT *, rowid FROM invoices")
    batches = rows(store, "SELECT count(*) FROM import_batches")
    again = run_import(path)
    assert again.exit_code == 0 and again.files[0].status == "unchanged"
    assert rows(store, "SELECT *, rowid FROM invoices") == before
    assert rows(store, "SELECT count(*) FROM import_batches") == batches


def test_corrected_file_updates_by_natural_key(with_customers, folder, run_import):
    store = with_customers
    path = folder / "invoices.csv"
    write_text(
        path,
        INVOICES_HEADER + "R1;1;K1;31.12.2025;100,00;;;parts\nR1;2;K1;31.12.2025;oops;;;parts\n",
    )
    first = run_import(path)
    assert first.files[0].rejected == 1
    write_text(
        path,
        INVOICES_HEADER
        + "R1;1;K1;31.12.2025;100,00;;;parts\nR1;2;K1;31.12.2025;50,00;;;parts\n"
        + "R2;1;K2;01.01.2026;-20,00;;;parts\n",
    )
    second = run_import(path)
    result = second.files[0]
    assert second.exit_code == 0
    assert (result.inserted, result.updated, result.unchanged) == (2, 0, 1)
    write_text(path, INVOICES_HEADER + "R1;1;K1;31.12.2025;110,00;;;service\n")
    third = run_import(path).files[0]
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 0)
    assert rows(
        store, "SELECT invoice_id, line_no, amount, category, batch_id FROM invoices ORDER BY 1, 2"
    ) == [
        ("R1", 1, Decimal("110"), "service", third.batch_id),
        ("R1", 2, Decimal("50"), "parts", result.batch_id),
        ("R2", 1, Decimal("-20"), "parts", result.batch_id),
    ]


def test_every_import_is_a_recorded_batch(with_customers, folder, run_import):
    path = write_text(
        folder / "invoices.csv", INVOICES_HEADER + "R1;1;K1;31.12.2025;1;;;parts\nx\n"
    )
    result = run_import(path).files[0]
    batch = rows(
        with_customers,
        "SELECT table_name, file_name, content_hash, rows_read, rows_inserted, rows_rejected "
        f"FROM import_batches WHERE batch_id = {result.batch_id}",
    )
    assert batch[0][:2] == ("invoices", "invoices.csv")
    assert batch[0][2].startswith("sha256:") and len(batch[0][2]) == 71
    assert batch[0][3:] == (2, 1, 1)
    assert rejected(with_customers) == [
        (3, "*", "Zeile hat 1 statt 8 Felder (Trennzeichen oder Anführungszeichen?)")
    ]


def test_rows_with_the_wrong_number_of_fields_keep_their_row_numbers(
    with_customers, folder, run_import
):
    text = INVOICES_HEADER + "R1;1;K1;31.12.2025;1;;;parts\n" * 1 + "R2;1;K1\n"
    text += "".join(f"R{i};1;K1;31.12.2025;1;;;parts\n" for i in range(3, 6))
    text += 'R6;1;K1;31.12.2025;"1\n2";;;parts;extra\nR7;1;K1;31.12.2025;abc;;;parts\n'
    run = run_import(write_text(folder / "invoices.csv", text))
    result = run.files[0]
    assert (result.rows_read, result.inserted, result.rejected) == (7, 4, 3)
    assert [(line, field) for line, field, _ in rejected(with_customers)] == [
        (3, "*"),
        (7, "*"),
        (9, "amount"),
    ]


def test_missing_required_column_fails_the_file_and_suggests_a_mapping(store, folder, run_import):
    path = write_text(folder / "customers.csv", "Kundennummer;Firma;Ort\nK1;A;B\n")
    run = run_import(path)
    assert run.exit_code == 2
    result = run.files[0]
    assert result.status == "failed"
    assert "customer_id, name" in result.error
    assert 'customer_id = "Kundennummer"' in result.hint
    assert 'name = "Firma"' in result.hint
    assert rows(store, "SELECT count(*) FROM customers") == [(0,)]


def test_configured_mapping_reads_an_erp_export(store, folder, run_import):
    path = write_text(folder / "Kunden.csv", "Kundennummer;Firma;Ort;Bemerkung\nK1;A GmbH;Ulm;x\n")
    cfg = {
        "import": {
            "tables": {
                "customers": {
                    "file": "kunden*.csv",
                    "columns": {"customer_id": "Kundennummer", "name": "Firma"},
                }
            }
        }
    }
    run = run_import(folder, cfg)
    assert run.exit_code == 0
    result = run.files[0]
    assert result.suggestions == {"city": "Ort"}
    assert result.ignored_columns == ["Ort", "Bemerkung"]
    assert rows(store, "SELECT customer_id, name, city FROM customers") == [("K1", "A GmbH", None)]
    del path


def test_line_numbers_are_derived_from_file_order_when_absent(with_customers, folder, run_import):
    header = "invoice_id;customer_id;date;amount\n"
    path = write_text(
        folder / "invoices.csv",
        header + "R1;K1;01.01.2026;1\nR2;K1;01.01.2026;2\nR1;K1;01.01.2026;3\n",
    )
    assert run_import(path).exit_code == 0
    assert rows(
        with_customers, "SELECT invoice_id, line_no, amount FROM invoices ORDER BY 1, 2"
    ) == [
        ("R1", 1, Decimal("1")),
        ("R1", 2, Decimal("3")),
        ("R2", 1, Decimal("2")),
    ]


def test_excel_workbook(with_customers, folder, run_import):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["invoice_id", "line_no", "customer_id", "date", "amount", "category"])
    sheet.append(["R1", 1, "K1", datetime(2025, 12, 31), 1234.56, "parts"])
    sheet.append(["R2", 1, "K1", "31.12.2025", "zwölf", "parts"])
    book.save(folder / "invoices.xlsx")
    run = run_import(folder / "invoices.xlsx")
    assert run.exit_code == 3
    assert rows(with_customers, "SELECT invoice_id, amount FROM invoices") == [
        ("R1", Decimal("1234.56"))
    ]
    assert rejected(with_customers) == [(3, "amount", "amount: kein gültiger Betrag: 'zwölf'")]


def test_parquet_file(with_customers, folder, run_import):
    table = pa.table(
        {
            "invoice_id": ["R1", "R2"],
            "line_no": pa.array([1, 1], pa.int64()),
            "customer_id": ["K1", "K404"],
            "date": pa.array([pa.scalar(19000, pa.date32()).as_py()] * 2, pa.date32()),
            "amount": pa.array([Decimal("10.50"), Decimal("3")], pa.decimal128(18, 2)),
        }
    )
    pq.write_table(table, folder / "invoices.parquet")
    run = run_import(folder / "invoices.parquet")
    assert run.exit_code == 3
    assert rows(with_customers, "SELECT invoice_id, amount FROM invoices") == [
        ("R1", Decimal("10.5"))
    ]
    assert rejected(with_customers) == [
        (2, "customer_id", "customer_id: 'K404' fehlt in customers")
    ]


def test_unknown_file_in_a_folder_is_skipped_and_reported(store, folder, run_import):
    write_text(folder / "customers.csv", "customer_id;name\nK1;A\n")
    write_text(folder / "notes.csv", "x\n1\n")
    run = run_import(folder)
    assert [(f.path.name, f.status) for f in run.files] == [
        ("customers.csv", "stored"),
        ("notes.csv", "skipped"),
    ]
    assert run.exit_code == 0
    assert "notes.csv" in run.files[1].error


def test_english_messages(with_customers, folder, run_import):
    path = write_text(folder / "invoices.csv", INVOICES_HEADER + "R1;1;K1;31.12.2025;abc;;;parts\n")
    run_import(path, {"language": "en"})
    assert rejected(with_customers)[0][2] == "amount: not a valid amount: 'abc'"


def test_the_import_counts_lines_and_activities_whose_cost_is_missing(
    with_customers, folder, run_import
):
    invoices = write_text(
        folder / "invoices.csv",
        INVOICES_HEADER
        + "R1;1;K1;31.12.2025;100,00;60,00;;Maschine\n"
        + "R1;2;K1;31.12.2025;250,50;;;Maschine\n"
        + "R2;1;K2;31.12.2025;0,00;;;Maschine\n",
    )
    run = run_import(invoices)
    f = run.files[0]
    assert (f.uncosted_lines, f.uncosted_amount) == (1, "250.5000")
    invoices.unlink()
    header = "activity_id;customer_id;date;kind;hours;cost\n"
    activities = write_text(
        folder / "activities.csv",
        header + "A1;K1;02.01.2026;Besuch;2,5;\n" + "A2;K1;03.01.2026;Besuch;1;80\n"
        "A3;K1;04.01.2026;Besuch;;\n",
    )
    got = run_import(activities).files[0]
    assert got.uncosted_activities == 1, (got.status, got.error)
    # With an hourly rate the hours are costed: nothing is missing.
    rate = {"review": {"margins": {"cost_per_hour": 50}}}
    assert run_import(activities, rate).files[0].uncosted_activities == 0
