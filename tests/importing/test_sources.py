from __future__ import annotations

import codecs

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from import_helpers import write_text

from kundenwert.errors import ImportFileError
from kundenwert.importing.sources import open_source
from kundenwert.settings import TableImport


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (codecs.BOM_UTF8 + "a;b\nä;1\n".encode(), "utf-8-sig"),
        ("a;b\nä;1\n".encode(), "utf-8"),
        ("a;b\nä;1\n".encode("cp1252"), "cp1252"),
        (b"a;b\nx;1\n", "utf-8"),
    ],
)
def test_encoding_is_detected(tmp_path, raw, expected):
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    assert open_source(path, TableImport()).dialect["encoding"] == expected


@pytest.mark.parametrize(
    ("text", "delimiter", "decimal"),
    [
        ("a;b\nx;1,50\n", ";", ","),
        ("a,b\nx,1.50\n", ",", "."),
        ("a\tb\nx\t1,50\n", "\t", ","),
        ("a;b\nx;1.50\n", ";", "."),
        ("a|b\nx|2\n", "|", "."),
    ],
)
def test_dialect_is_detected(tmp_path, text, delimiter, decimal):
    source = open_source(write_text(tmp_path / "t.csv", text), TableImport())
    assert (source.dialect["delimiter"], source.decimal) == (delimiter, decimal)


def test_configured_dialect_wins(tmp_path):
    spec = TableImport(delimiter=",", decimal=",", encoding="cp1252")
    source = open_source(write_text(tmp_path / "t.csv", 'a,b\nx,"1,5"\n'), spec)
    assert source.dialect == {"encoding": "cp1252", "delimiter": ",", "decimal": ","}


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(store, tmp_path):
    source = open_source(write_text(tmp_path / "t.csv", "a;b\nx;1\ny;2\nz;3\n"), TableImport())
    source.register(store.con, "src", None)
    rows = store.con.execute("SELECT _row, a FROM src ORDER BY _row").fetchall()
    assert rows == [(2, "x"), (3, "y"), (4, "z")]


def test_excel_cells_are_read_as_text_users_typed(store, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["customer_id", "amount", "date"])
    sheet.append([10023, 1234.5, datetime(2025, 12, 31)])
    sheet.append([None, None, None])  # an empty row is layout, not data
    sheet.append(["K2", 7, "31.12.2025"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    source = open_source(path, TableImport())
    source.register(store.con, "src", None)
    rows = store.con.execute("SELECT * FROM src ORDER BY _row").fetchall()
    assert rows == [
        (2, "10023", "1234.5", "2025-12-31"),
        (4, "K2", "7", "31.12.2025"),
    ]


def test_parquet_keeps_types_and_numbers_rows_from_one(store, tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": ["x", "y"], "n": [1.5, 2.0]}), path)
    source = open_source(path, TableImport())
    assert source.text_columns == {"a"}
    source.register(store.con, "src", None)
    assert store.con.execute("SELECT _row, a, n FROM src ORDER BY _row").fetchall() == [
        (1, "x", 1.5),
        (2, "y", 2.0),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.docx", b"x", "Dateiformat"),
        ("t.csv", b"", "leer"),
        ("t.parquet", b"not parquet at all", "Parquet"),
        ("t.xlsx", b"not a workbook", "Excel"),
        ("t.csv", b"a;a\n1;2\n", "mehrfach"),
    ],
)
def test_unreadable_files_raise_with_the_file_named(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message) as info:
        open_source(path, TableImport())
    assert str(path) in info.value.message
    assert info.value.hint
