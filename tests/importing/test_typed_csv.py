"""Amounts parsed by DuckDB's CSV reader itself: the same values and rejections as the text path,
and the text scan wherever the reader could differ (blanks at a field's end, values it refuses)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_helpers import CUSTOMERS_DE, write_text
from test_parallel_csv import HEADER, both_ways, line
from test_parsing import parse

from kundenwert.importing import csvnative, direct, import_path
from kundenwert.importing.csvnative import NativeCsv, TrailingBlanks, survey, view_sql
from kundenwert.importing.parsing import MACROS
from kundenwert.schema import INVOICES
from kundenwert.settings import Settings, settings_from_dict
from kundenwert.store import open_store

AMOUNT = INVOICES.column("amount")
_con = duckdb.connect()
_con.execute(MACROS)


def text_path(values: list[str], decimal: str) -> list[tuple]:
    """(value, reasons) of each text through the importer's SQL for text amounts."""
    return parse(AMOUNT, values, decimal, required=False)


def typed_read(path: Path, values: list[str], decimal: str) -> dict[int, Decimal | None]:
    """The values DuckDB's reader parses as the import's typed view does (row: value); the
    rows it refuses are left out (ignore_errors, for the test only)."""
    delimiter = ";" if decimal == "," else ","
    body = "".join(f'{i}{delimiter}"{v}"\n' for i, v in enumerate(values))  # no quotes in v
    path.write_text(f"i{delimiter}a\n{body}", encoding="utf-8")
    csv = NativeCsv(path, "utf-8", delimiter, ("i", "a"))
    view = view_sql(csv, c1_bytes=False, typed={"a": AMOUNT.sql_type}, decimal=decimal)
    view = view.replace("strict_mode = true", "strict_mode = true, ignore_errors = true")
    return dict(_con.execute(f"SELECT CAST(i AS INTEGER), a FROM ({view})").fetchall())


#: Characters amounts are made of, and what an export might put around or between them
#: (no blank at the end: the survey sends such files to the text scan).
_CHARS = "0123456789,,,..--+eE_ \t\xa0x"


@pytest.mark.parametrize("decimal", [",", "."])
@given(
    values=st.lists(
        st.text(alphabet=_CHARS, max_size=10).filter(lambda v: v.rstrip(" \t") == v),
        min_size=1,
        max_size=50,
    )
)
@settings(max_examples=150, deadline=None)
def test_the_reader_accepts_only_what_the_text_path_accepts_and_as_the_same_value(
    tmp_path_factory, decimal, values
):
    path = tmp_path_factory.mktemp("typed") / "a.csv"
    typed = typed_read(path, values, decimal)
    for i, (value, reasons) in enumerate(text_path(values, decimal)):
        if i in typed:  # accepted by the reader: the same value, and not rejected as text
            assert typed[i] == value, values[i]
            assert reasons == "" or typed[i] is None, values[i]


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
    st.sampled_from([",", "."]),
)
@settings(max_examples=100, deadline=None)
def test_plain_amounts_are_parsed_by_the_reader_as_by_the_text_path(
    tmp_path_factory, amount, decimal
):
    text = f"{amount:.4f}".replace(".", decimal)
    path = tmp_path_factory.mktemp("typed") / "a.csv"
    assert typed_read(path, [text], decimal) == {0: amount}
    assert text_path([text], decimal) == [(amount, "")]


@pytest.mark.parametrize(("text", "read_as"), [("- ", 0), ("+\t", 0), ("5e ", 5), ("15,0E+ ", 15)])
def test_why_the_survey_looks_for_blanks_at_the_end_of_fields(tmp_path, text, read_as):
    # DuckDB 1.5's reader reads these as numbers; the text path trims the blank and rejects
    # what is left. (Should the reader refuse them one day, the survey's check costs nothing.)
    assert typed_read(tmp_path / "a.csv", [text], ",") in ({0: read_as}, {})
    [(value, reasons)] = text_path([text], ",")
    assert value is None and "not a valid amount" in reasons


class Views:
    """Which columns each parallel scan of the invoices had the reader parse."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.typed: list[tuple[str, ...]] = []
        original = direct.view_sql

        def spy(csv, **kwargs):
            if csv.path.name == "invoices.csv":
                self.typed.append(tuple(kwargs.get("typed") or ()))
            return original(csv, **kwargs)

        monkeypatch.setattr(direct, "view_sql", spy)


def test_a_clean_file_has_its_amounts_parsed_by_the_reader(tmp_path, monkeypatch):
    views = Views(monkeypatch)
    data = (HEADER + line(1) + line(2, "-3,5") + line(3, "0,00005") + line(4, " 7")).encode()
    fast, exact, passes = both_ways(tmp_path, monkeypatch, data)
    assert views.typed[0] == ("amount",)
    assert passes == (1, 0)
    assert fast == exact
    assert [r[1] for r in fast[1]] == [Decimal("10"), Decimal("-3.5"), Decimal("0.0001"), 7]


@pytest.mark.parametrize("amount", ["- ", "5e ", "12,50 "])
def test_a_blank_at_the_end_of_a_field_sends_the_file_to_the_text_scan(
    tmp_path, monkeypatch, amount
):
    # Past the probe's first MiB: found by the survey after the typed scan.
    monkeypatch.setattr(csvnative, "_PROBE_BYTES", 64)
    views = Views(monkeypatch)
    text = HEADER + "".join(line(n) for n in range(1, 30)) + line(30, amount) + line(31)
    fast, exact, _ = both_ways(tmp_path, monkeypatch, text.encode())
    assert views.typed[0] == ("amount",) and views.typed[1] == ()
    assert fast == exact
    if amount == "12,50 ":
        assert fast[0] == ("stored", 31, 31, 0)
    else:  # rejected with its row number, as the text path does
        assert fast[0] == ("partial", 31, 30, 1)
        assert [(row, field) for row, field, *_ in fast[2]] == [(31, "amount")]


def test_a_value_the_reader_refuses_after_the_probe_sends_the_file_to_the_text_scan(
    tmp_path, monkeypatch
):
    # The reader parses a few thousand rows at a time: the value must lie beyond those the
    # probe needs.
    monkeypatch.setattr(csvnative, "_PROBE_ROWS", 5)
    views = Views(monkeypatch)
    n = 6000
    text = HEADER + "".join(line(i) for i in range(1, n)) + line(n, "1.234,56") + line(n + 1, "x")
    fast, exact, _ = both_ways(tmp_path, monkeypatch, text.encode())
    assert views.typed[:2] == [("amount",), ()]
    assert fast == exact
    assert fast[0] == ("partial", n + 1, n, 1)
    assert fast[1][n - 1][1] == Decimal("1234.56")
    assert [(row, field) for row, field, *_ in fast[2]] == [(n + 2, "amount")]


def test_thousands_separators_at_the_start_skip_the_typed_scan(tmp_path, monkeypatch):
    views = Views(monkeypatch)
    data = (HEADER + line(1, "1.234,56") + line(2) + line(3)).encode()
    fast, exact, passes = both_ways(tmp_path, monkeypatch, data)
    assert views.typed == [()]  # the probe saw it: one scan, with text amounts
    assert passes == (1, 0)
    assert fast == exact


def test_an_amount_that_a_computed_column_reads_stays_text(tmp_path, monkeypatch):
    views = Views(monkeypatch)
    settings = settings_from_dict(
        {"import": {"tables": {"invoices": {"computed": {"cost": "\"amount\" || '0'"}}}}}
    )
    folder = tmp_path / "c"
    folder.mkdir()
    with open_store(folder / "k.duckdb", create=True) as store:
        customers = write_text(folder / "customers.csv", CUSTOMERS_DE, "cp1252")
        import_path(store, customers, Settings(), report_dir=folder / "r1")
        invoices = folder / "invoices.csv"
        invoices.write_bytes((HEADER + line(1, "2,5")).encode())
        result = import_path(store, invoices, settings, report_dir=folder / "r2").files[0]
        assert result.status == "stored", result.error
        stored = store.con.execute("SELECT amount, cost FROM invoices").fetchall()
    assert views.typed == [()]
    assert stored == [(Decimal("2.5"), Decimal("2.5"))]


@pytest.mark.parametrize(
    ("data", "line_ends", "found"),
    [
        (b"a;b\n1;2\n", False, False),
        (b"a;b\n1 ;2\n", False, True),
        (b"a;b\n1\t;2\n", False, True),
        (b"a;b\n1;2 \n", False, False),
        (b"a;b\n1;2 \n", True, True),
        (b"a;b\n1;2\t\r\n", True, True),
        (b"a;b\n1;2 ", True, True),
        (b'a;b\n1;"2 "\n', False, True),
        (b'a;b\n1;"2 x"\n', False, False),
        (b"a;b\n1; 2\n", False, False),
    ],
)
def test_the_survey_finds_blanks_at_the_end_of_fields(tmp_path, data, line_ends, found):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    csv = NativeCsv(path, "utf-8", ";", ("a", "b"))
    assert survey(csv, line_ends=line_ends).trailing_blanks is found


@pytest.mark.parametrize("at", range(6))
def test_trailing_blanks_are_found_at_any_offset_and_across_blocks(at):
    blanks = TrailingBlanks(";", line_ends=False)
    data = bytearray(b"xxxxxx;y")
    data[at] = ord(" ")
    data[at + 1] = ord(";")
    for start in range(0, len(data), 3):  # blocks of three bytes
        block = data[start : start + 3]
        blanks.feed(block, len(block))
    assert blanks.found


def test_a_tab_is_no_blank_in_a_tab_separated_file():
    blanks = TrailingBlanks("\t", line_ends=True)
    data = bytearray(b"a\tb\n1\t2\n")
    blanks.feed(data, len(data))
    assert not blanks.found
