"""What real exports need: computed columns, rules, credit notes, lines without a customer,
customers created from the lines."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from import_helpers import write_text

from kundenwert.errors import ConfigError
from kundenwert.settings import settings_from_dict

# A shop export like Online Retail II: no amount, no customer file, cancellations numbered C...,
# postage lines, a line without a customer, customer numbers stored as floating point.
LINES = {
    "Invoice": ["536365", "536365", "536366", "C536367", "536368", "536369", "C536370"],
    "StockCode": ["85123A", "POST", "22633", "85123A", "22633", "85123A", "99999"],
    "Quantity": [6.0, 1.0, 6.0, -2.0, 3.0, 12.0, -1.0],
    "Price": [2.55, 18.0, 1.85, 2.55, 1.85, 0.165, 4.0],
    "InvoiceDate": pa.array(
        [
            "2010-12-01 08:26",
            "2010-12-01 08:26",
            "2010-12-01 08:28",
            "2010-12-02 10:00",
            "2010-12-03 09:00",
            "2010-12-04 11:00",
            "2010-12-05 12:00",
        ]
    ).cast(pa.timestamp("ns")),
    "Customer ID": [17850.0, 17850.0, 17850.0, 17850.0, None, 13047.0, 13047.0],
    "Country": ["United Kingdom"] * 5 + ["France", "Germany"],
}

RETAIL = {
    "invoices": {
        "file": "retail*",
        "credit_note_prefix": "C",
        "missing_customer": "unassigned",
        "create_customers": True,
        "customer_columns": {"country": "Country"},
        "columns": {
            "invoice_id": "Invoice",
            "customer_id": "Customer ID",
            "date": "InvoiceDate",
            "product": "StockCode",
        },
        "computed": {"amount": '"Quantity" * "Price"'},
        "rules": [
            {"column": "category", "value": "other", "header": "StockCode", "equals": ["POST"]},
            {"column": "category", "value": "consumables"},
        ],
    }
}


def settings(tables: dict) -> object:
    return settings_from_dict({"import": {"tables": tables}})


@pytest.fixture
def retail_file(folder):
    path = folder / "retail.parquet"
    pq.write_table(pa.table(LINES), path)
    return path


def rows(store, sql):
    return store.con.execute(sql).fetchall()


def test_a_shop_export_without_amount_or_customers_is_imported_whole(
    store, retail_file, run_import
):
    run = run_import(retail_file, settings(RETAIL))
    (f,) = run.files
    assert (f.status, f.rows_read, f.inserted, f.unassigned, f.rejected) == ("stored", 7, 6, 1, 0)
    assert f.customers_created == 2
    assert f.unassigned_amount == "5.5500"
    assert rows(store, "SELECT customer_id, name, country FROM customers ORDER BY 1") == [
        ("13047", "13047", "Germany"),  # the latest line's country
        ("17850", "17850", "United Kingdom"),
    ]
    assert rows(
        store,
        "SELECT invoice_id, line_no, amount, category, credit_note FROM invoices ORDER BY 1, 2",
    ) == [
        ("536365", 1, Decimal("15.3000"), "consumables", False),
        ("536365", 2, Decimal("18.0000"), "other", False),
        ("536366", 1, Decimal("11.1000"), "consumables", False),
        ("536369", 1, Decimal("1.9800"), "consumables", False),  # 12 × 0.165, exact
        ("C536367", 1, Decimal("-5.1000"), "consumables", True),
        ("C536370", 1, Decimal("-4.0000"), "consumables", True),
    ]
    assert rows(store, "SELECT invoice_id, customer_id, amount FROM unassigned_invoices") == [
        ("536368", None, Decimal("5.5500"))
    ]
    # The file's total, to the cent, is in the two tables together.
    total = rows(
        store,
        "SELECT sum(amount) FROM (SELECT amount FROM invoices "
        "UNION ALL SELECT amount FROM unassigned_invoices)",
    )[0][0]
    pairs = zip(LINES["Quantity"], LINES["Price"], strict=True)
    assert total == sum(Decimal(str(q)) * Decimal(str(p)) for q, p in pairs)


def test_credit_notes_are_linked_to_the_invoice_they_cancel(store, retail_file, run_import):
    (f,) = run_import(retail_file, settings(RETAIL)).files
    assert (f.credit_notes, f.credit_notes_linked) == (2, 1)
    assert rows(
        store, "SELECT invoice_id, credit_for FROM invoices WHERE credit_note ORDER BY 1"
    ) == [
        ("C536367", "536365"),  # same customer and product, earlier, at least the amount
        ("C536370", None),  # the product was never bought: a credit note, unlinked
    ]


def test_lines_without_customer_are_rejected_unless_configured(store, retail_file, run_import):
    plain = {"invoices": {**RETAIL["invoices"], "missing_customer": "reject"}}
    (f,) = run_import(retail_file, settings(plain)).files
    assert (f.inserted, f.unassigned, f.rejected) == (6, 0, 1)
    assert rows(store, "SELECT field, reason FROM rejected_rows") == [
        ("customer_id", "customer_id: Pflichtfeld ist leer")
    ]


def test_a_corrected_file_moves_a_line_between_unassigned_and_invoices(
    store, folder, retail_file, run_import
):
    run_import(retail_file, settings(RETAIL))
    fixed = dict(LINES)
    fixed["Customer ID"] = [17850.0, 17850.0, 17850.0, 17850.0, 13047.0, None, 13047.0]
    pq.write_table(pa.table(fixed), folder / "retail.parquet")
    (f,) = run_import(retail_file, settings(RETAIL)).files
    assert (f.unassigned, f.rejected) == (1, 0)
    assert rows(store, "SELECT invoice_id FROM unassigned_invoices") == [("536369",)]
    assert rows(store, "SELECT customer_id FROM invoices WHERE invoice_id = '536368'") == [
        ("13047",)
    ]
    assert rows(store, "SELECT count(*) FROM invoices WHERE invoice_id = '536369'") == [(0,)]


def test_computed_columns_in_a_german_csv_read_numbers_with_the_decimal_comma(
    store, folder, with_customers, run_import
):
    write_text(
        folder / "rechnungen.csv",
        "Beleg;Kunde;Datum;Menge;Preis\nR1;K1;31.12.2025;3;1.234,50\nR2;K2;31.12.2025;x;2,00\n",
        "cp1252",
    )
    tables = {
        "invoices": {
            "file": "rechnungen*",
            "columns": {"invoice_id": "Beleg", "customer_id": "Kunde", "date": "Datum"},
            "computed": {"amount": 'number("Menge") * number(Preis)'},
        }
    }
    (f,) = run_import(folder / "rechnungen.csv", settings(tables)).files
    assert (f.inserted, f.rejected) == (1, 1)
    assert rows(store, "SELECT amount FROM invoices") == [(Decimal("3703.5000"),)]
    # The row whose quantity is not a number is kept aside; the reason names the column.
    assert rows(store, "SELECT field, reason FROM rejected_rows") == [
        (
            "amount",
            "amount: berechneter Wert ist leer (Felder leer oder keine Zahl?), siehe "
            "import.tables.invoices.computed.amount",
        )
    ]


def test_a_computed_column_reading_an_absent_header_names_the_setting(
    store, retail_file, run_import
):
    tables = {"invoices": {**RETAIL["invoices"], "computed": {"amount": "Menge * Price"}}}
    (f,) = run_import(retail_file, settings(tables)).files
    assert f.status == "failed"
    assert "import.tables.invoices.computed.amount" in f.error
    assert "'Menge'" in f.error
    assert rows(store, "SELECT count(*) FROM invoices") == [(0,)]


def test_an_expression_the_engine_cannot_apply_is_refused_before_anything_is_written(
    store, folder, with_customers, run_import
):
    write_text(folder / "r.csv", "Beleg;Kunde;Datum;Menge;Preis\nR1;K1;31.12.2025;3;2,50\n")
    tables = {
        "invoices": {
            "file": "r.csv",
            "columns": {"invoice_id": "Beleg", "customer_id": "Kunde", "date": "Datum"},
            "computed": {"amount": '"Menge" * "Preis"'},  # text times text
        }
    }
    (f,) = run_import(folder / "r.csv", settings(tables)).files
    assert f.status == "failed"
    assert "import.tables.invoices.computed.amount" in f.error
    assert "number(" in f.hint
    assert rows(store, "SELECT count(*) FROM invoices") == [(0,)]


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"invoices": {"computed": {"amount": "SELECT 1"}}}, "invoices.computed.amount"),
        ({"invoices": {"computed": {"amount": "sum(Price)"}}}, "invoices.computed.amount"),
        ({"invoices": {"computed": {"amount": "Price *"}}}, "invoices.computed.amount"),
        ({"invoices": {"computed": {"amonut": "1"}}}, "unknown column(s) amonut"),
        ({"customers": {"credit_note_prefix": "C"}}, "customers.credit_note_prefix"),
        ({"invoices": {"customer_columns": {"country": "Land"}}}, "needs create_customers"),
        (
            {"invoices": {"rules": [{"column": "category", "value": "x", "equals": ["a"]}]}},
            "need the header",
        ),
        (
            {"invoices": {"columns": {"amount": "Betrag"}, "computed": {"amount": "1"}}},
            "amount both mapped",
        ),
    ],
)
def test_bad_import_settings_are_refused_naming_the_key(tables, message):
    with pytest.raises(ConfigError) as err:
        settings(tables)
    assert message in str(err.value)


def test_an_export_with_its_own_links_is_taken_at_its_word(store, folder, run_import):
    write_text(folder / "customers.csv", "customer_id;name\nK1;Eins GmbH\n")
    write_text(
        folder / "invoices.csv",
        "invoice_id;customer_id;date;amount;product;credit_note;credit_for\n"
        "R1;K1;01.02.2026;100,00;P1;nein;\n"
        "G1;K1;03.02.2026;-40,00;P1;ja;R1\n"
        "G2;K1;04.02.2026;-10,00;P1;ja;\n",
    )
    run = run_import(folder)
    f = run.files[1]
    assert (f.credit_notes, f.credit_notes_linked) == (2, 1)
    # G2 could be matched to R1, but the export says it cancels nothing it names.
    assert rows(
        store, "SELECT invoice_id, credit_for FROM invoices WHERE credit_note ORDER BY 1"
    ) == [
        ("G1", "R1"),
        ("G2", None),
    ]


def test_a_customer_column_absent_from_the_file_names_the_setting(store, retail_file, run_import):
    tables = {"invoices": {**RETAIL["invoices"], "customer_columns": {"country": "Land"}}}
    (f,) = run_import(retail_file, settings(tables)).files
    assert f.status == "failed"
    assert "import.tables.invoices.customer_columns" in f.error and "'Land'" in f.error
    assert rows(store, "SELECT count(*) FROM customers") == [(0,)]
