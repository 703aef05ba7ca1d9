"""German CSV as Excel writes it, readable back to the same values."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kundenwert.demo import DemoCompany, catalogues
from kundenwert.schema import TABLES

BOM = b"\xef\xbb\xbf"


def _lines(path: Path, encoding: str) -> list[str]:
    return path.read_bytes().decode(encoding).split("\r\n")


def test_customers_csv_is_windows_1252_without_bom(csv_dir: Path) -> None:
    raw = (csv_dir / "customers.csv").read_bytes()
    assert not raw.startswith(BOM)
    assert "ü".encode("cp1252") in raw  # e.g. München, Nürnberg, Müller
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "München" in text or "Nürnberg" in text or "Müller" in text


def test_catalogues_are_representable_in_windows_1252() -> None:
    for name in dir(catalogues):
        value = getattr(catalogues, name)
        if name.isupper():
            str(value).encode("cp1252")  # raises if a character has no cp1252 code


@pytest.mark.parametrize("name", [n for n in TABLES if n != "customers"] + ["ground_truth"])
def test_other_files_are_utf8_with_bom(csv_dir: Path, name: str) -> None:
    raw = (csv_dir / f"{name}.csv").read_bytes()
    assert raw.startswith(BOM)
    raw[3:].decode("utf-8")


@pytest.mark.parametrize("name", list(TABLES))
def test_header_is_the_schema_column_names(csv_dir: Path, name: str) -> None:
    encoding = "cp1252" if name == "customers" else "utf-8-sig"
    header = _lines(csv_dir / f"{name}.csv", encoding)[0]
    assert header.split(";") == list(TABLES[name].column_names)


def test_invoice_fields_look_german(csv_dir: Path) -> None:
    rows = [line.split(";") for line in _lines(csv_dir / "invoices.csv", "utf-8-sig")[1:-1]]
    width = len(TABLES["invoices"].column_names)
    assert len(rows) > 1000 and all(len(r) == width for r in rows)
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", r[3]) for r in rows)
    assert all(re.fullmatch(r"-?\d+,\d{2}", r[4]) for r in rows)  # decimal comma, cents
    assert any(r[4].startswith("-") for r in rows)  # credit notes


def test_activity_timestamps_and_booleans(csv_dir: Path) -> None:
    rows = [line.split(";") for line in _lines(csv_dir / "activities.csv", "utf-8-sig")[1:-1]]
    assert {r[6] for r in rows} == {"ja", "nein"}
    stamps = [r[7] for r in rows if r[7]]
    assert stamps and all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", s) for s in stamps)
    assert any(r[7] == "" for r in rows)  # no request time for visits and newsletters


def test_text_with_separator_is_quoted(csv_dir: Path) -> None:
    # "Störung Spindel, Fernanalyse" has no ';' but activity texts must never break columns.
    rows = _lines(csv_dir / "activities.csv", "utf-8-sig")[1:-1]
    assert all(row.count(";") == 12 for row in rows if '"' not in row)


def _read_back(path: Path, encoding: str, text_column: str | None = None) -> pa.Table:
    types = f", types={{'{text_column}': 'VARCHAR'}}" if text_column else ""
    return (
        duckdb.connect()
        .sql(
            f"""select * from read_csv('{path}', delim=';', decimal_separator=',', header=true,
            dateformat='%d.%m.%Y', timestampformat='%d.%m.%Y %H:%M', encoding='{encoding}'
            {types})"""
        )
        .to_arrow_table()
    )


def test_invoices_read_back_to_the_same_values(company: DemoCompany, csv_dir: Path) -> None:
    back = _read_back(csv_dir / "invoices.csv", "utf-8")
    assert back.num_rows == company.invoices.num_rows
    for col in ("amount", "cost", "deductions"):
        want = pc.sum(pc.cast(company.invoices[col], pa.float64())).as_py()
        got = pc.sum(pc.cast(back[col], pa.float64())).as_py()
        assert got == pytest.approx(want, abs=0.01)
    assert back["date"].to_pylist() == company.invoices["date"].to_pylist()
    assert back["invoice_id"].to_pylist() == company.invoices["invoice_id"].to_pylist()


def test_customers_read_back_with_umlauts(company: DemoCompany, csv_dir: Path) -> None:
    # For the letters used here (ä ö ü ß) Windows-1252 and Latin-1 agree.
    back = _read_back(csv_dir / "customers.csv", "latin-1", "postal_code")
    assert back["city"].to_pylist() == company.customers["city"].to_pylist()
    assert back["postal_code"].to_pylist() == company.customers["postal_code"].to_pylist()
    assert back["customer_since"].to_pylist() == company.customers["customer_since"].to_pylist()


def test_activities_read_back(company: DemoCompany, csv_dir: Path) -> None:
    back = _read_back(csv_dir / "activities.csv", "utf-8", "free_of_charge")
    want = company.activities
    ja_nein = ["ja" if v else "nein" for v in want["free_of_charge"].to_pylist()]
    assert back["free_of_charge"].to_pylist() == ja_nein
    assert back["responded_at"].to_pylist() == want["responded_at"].to_pylist()
    assert back["hours"].to_pylist() == want["hours"].to_pylist()
