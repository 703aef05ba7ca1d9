"""CSV files read by DuckDB's parallel reader: the same rows, rejections and row numbers as the
numbered Arrow path, which takes over wherever the two could differ."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from import_helpers import CUSTOMERS_DE, write_text

from kundenwert.importing import csvfile, csvnative, direct, import_path
from kundenwert.importing.csvnative import NativeCsv, survey
from kundenwert.importing.source import Source
from kundenwert.settings import Settings, settings_from_dict
from kundenwert.store import open_store

HEADER = "invoice_id;line_no;customer_id;date;amount;product\n"


def line(n: int, amount: str = "10,00", product: str = "Filter", customer: str = "K1") -> str:
    return f"R{n};1;{customer};31.12.2025;{amount};{product}\n"


class Spy:
    """Counts the parallel scans and the numbered (Arrow) passes of an import."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parallel = self.numbered = 0
        view_sql, reader = direct.view_sql, Source._reader

        def counted_view(*args, **kwargs):
            self.parallel += 1
            return view_sql(*args, **kwargs)

        def counted_reader(source, progress):
            self.numbered += 1
            return reader(source, progress)

        monkeypatch.setattr(direct, "view_sql", counted_view)
        monkeypatch.setattr(Source, "_reader", counted_reader)


def import_invoices(
    tmp_path: Path,
    name: str,
    data: bytes,
    *,
    settings: Settings | None = None,
    spy: Spy | None = None,
) -> tuple:
    """Customers K1-K3, then the invoice file: (figures, stored rows in table order, rejected)."""
    folder = tmp_path / name
    folder.mkdir()
    with open_store(folder / "k.duckdb", create=True) as store:
        customers = write_text(folder / "customers.csv", CUSTOMERS_DE, "cp1252")
        import_path(store, customers, Settings(), report_dir=folder / "r1")
        invoices = folder / "invoices.csv"
        invoices.write_bytes(data)
        if spy:
            spy.parallel = spy.numbered = 0
        result = import_path(
            store, invoices, settings or Settings(), report_dir=folder / "r2"
        ).files[0]
        stored = store.con.execute(
            "SELECT invoice_id, amount, product FROM invoices ORDER BY rowid"
        ).fetchall()
        rejected = store.con.execute(
            "SELECT line_no, field, reason, record FROM rejected_rows ORDER BY line_no, field"
        ).fetchall()
    figures = (result.status, result.rows_read, result.inserted, result.rejected)
    return figures, stored, rejected


def both_ways(tmp_path, monkeypatch, data: bytes, settings: Settings | None = None):
    """The import with DuckDB's reader where it applies (with its parallel scans and numbered
    passes), and with the Arrow path only."""
    spy = Spy(monkeypatch)
    fast = import_invoices(tmp_path, "fast", data, settings=settings, spy=spy)
    passes = (spy.parallel, spy.numbered)
    with monkeypatch.context() as m:
        m.setattr(csvfile, "native_csv", lambda *args: None)
        exact = import_invoices(tmp_path, "exact", data, settings=settings)
    return fast, exact, passes


def test_a_clean_file_is_read_once_in_parallel_and_never_the_numbered_way(tmp_path, monkeypatch):
    data = (HEADER + line(1) + line(2, "1.234,56") + line(3, product="Öl €")).encode("utf-8-sig")
    fast, exact, passes = both_ways(tmp_path, monkeypatch, data)
    assert passes == (1, 0)
    assert fast == exact
    figures, stored, rejected = fast
    assert figures == ("stored", 3, 3, 0)
    assert [r[0] for r in stored] == ["R1", "R2", "R3"]
    assert stored[1][1] == Decimal("1234.56") and stored[2][2] == "Öl €"
    assert rejected == []


def test_a_bad_line_in_the_middle_keeps_its_row_number(tmp_path, monkeypatch):
    text = HEADER + "".join(line(n) for n in range(1, 50)) + line(50, "abc")
    text += "".join(line(n) for n in range(51, 100))
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8-sig"))
    assert passes == (1, 1)  # the numbered pass only for the bad row
    assert fast == exact
    figures, stored, rejected = fast
    assert figures == ("partial", 99, 98, 1)
    assert [(row, field) for row, field, _, _ in rejected] == [(51, "amount")]  # header is 1
    assert [r[0] for r in stored] == [f"R{n}" for n in range(1, 100) if n != 50]


def test_quoted_newlines_count_as_one_row_as_before(tmp_path, monkeypatch):
    text = HEADER + line(1, product='"Filter\nmit Halter"') + line(2) + line(3, "x") + line(4)
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8"))
    assert passes[0] == 1
    assert fast == exact
    figures, stored, rejected = fast
    assert figures == ("partial", 4, 3, 1)
    assert stored[0][2] == "Filter\nmit Halter"
    assert [(row, field) for row, field, _, _ in rejected] == [(4, "amount")]


def test_a_file_with_quoted_newlines_and_no_bad_row_needs_one_numbered_pass(tmp_path, monkeypatch):
    text = HEADER + line(1, product='"a\nb"') + line(2)
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8"))
    # More lines than rows: the numbered pass confirms that no row was bad.
    assert passes == (1, 1)
    assert fast == exact
    assert fast[0] == ("stored", 2, 2, 0)


def test_references_and_duplicates_keep_their_row_numbers(tmp_path, monkeypatch):
    text = HEADER + line(1) + line(2, customer="K9") + line(3) + line(1, "5,00") + line(4)
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8-sig"))
    assert passes[0] == 1
    assert fast == exact
    figures, stored, rejected = fast
    assert figures == ("partial", 5, 3, 2)
    assert [(row, field) for row, field, _, _ in rejected] == [
        (3, "customer_id"),
        (5, "invoice_id, line_no"),
    ]
    # (The first row of a duplicated key is stored again after the others, on either path.)
    assert sorted(r[0] for r in stored) == ["R1", "R3", "R4"]


@pytest.mark.parametrize(
    ("name", "text", "figures", "rows"),
    [
        ("crlf", (HEADER + line(1) + line(2, "y")).replace("\n", "\r\n"), (2, 1, 1), [3]),
        ("no newline at the end", HEADER + line(1) + line(2, "y").rstrip(), (2, 1, 1), [3]),
        ("blank lines at the end", HEADER + line(1) + line(2, "y") + "\n\n", (2, 1, 1), [3]),
        ("blank line in between", HEADER + line(1) + "\n" + line(2, "y"), (2, 1, 1), [3]),
        ("too few fields", HEADER + "R1;1;K1\n" + line(2) + line(3, "y"), (3, 1, 2), [2, 4]),
        ("too many fields", HEADER + line(1) + "R2;1;K1;31.12.2025;1;x;y\n", (2, 1, 1), [3]),
        # Arrow takes the rest of the file into the value; DuckDB refuses it.
        ("unterminated quote", HEADER + line(1) + 'R2;1;K1;31.12.2025;1;"x\n', (2, 2, 0), []),
        ("blank before a quote", HEADER + line(1, product=' "Filter"'), (1, 1, 0), []),
        ("blank after a quote", HEADER + line(1, product='"Filter" '), (1, 1, 0), []),
        ("escaped quotes", HEADER + line(1, product='"Zoll 5"" Rohr"'), (1, 1, 0), []),
    ],
)
def test_the_parallel_reader_agrees_with_the_numbered_one(
    tmp_path, monkeypatch, name, text, figures, rows
):
    fast, exact, _ = both_ways(tmp_path, monkeypatch, text.encode("utf-8"))
    assert fast == exact, name
    assert fast[0][1:] == figures
    assert [row for row, *_ in fast[2]] == rows


def test_blanks_next_to_quotes_are_read_the_numbered_way(tmp_path, monkeypatch):
    text = HEADER + line(1, product=' "Filter"')
    fast, _, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8"))
    # The survey runs beside the parallel scan and vetoes it: imported again the exact way.
    assert passes == (1, 1)
    assert fast[1][0][2] == '"Filter"'  # as Arrow reads it (DuckDB would drop the quotes)


def test_rows_duckdb_refuses_are_set_aside_with_their_row_numbers(tmp_path, monkeypatch):
    text = HEADER + line(1) + "R2;1;K1\n" + line(3)
    fast, _, passes = both_ways(tmp_path, monkeypatch, text.encode("utf-8"))
    assert passes[0] == 1  # tried, refused, imported again the exact way
    assert fast[0] == ("partial", 3, 2, 1)
    assert [(row, field) for row, field, *_ in fast[2]] == [(3, "*")]


def test_windows_1252_with_its_own_characters(tmp_path, monkeypatch):
    text = HEADER + line(1, product="Öl – 5 €") + line(2, "x", product="Fräser")
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("cp1252"))
    assert passes[0] == 1
    assert fast == exact
    figures, stored, rejected = fast
    assert figures == ("partial", 2, 1, 1)
    assert stored[0][2] == "Öl – 5 €"
    assert rejected[0][0] == 3 and "Fräser" in rejected[0][3]


def test_latin_1_when_configured(tmp_path, monkeypatch):
    settings = settings_from_dict({"import": {"tables": {"invoices": {"encoding": "latin-1"}}}})
    text = HEADER + line(1, product="Bohrer Ø 5") + line(2, product="Fräser")
    fast, exact, passes = both_ways(tmp_path, monkeypatch, text.encode("latin-1"), settings)
    assert passes == (1, 0)
    assert fast == exact
    assert [r[2] for r in fast[1]] == ["Bohrer Ø 5", "Fräser"]


def test_a_byte_windows_1252_does_not_define_fails_as_before(tmp_path, monkeypatch):
    text = (HEADER + line(1, product="Fräser")).encode("cp1252") + line(2, product="x\x81").encode(
        "latin-1"
    )
    fast, exact, _ = both_ways(tmp_path, monkeypatch, text)
    assert fast == exact
    assert fast[0][0] == "failed"


def test_a_file_that_stops_being_utf8_after_the_sample_is_read_as_windows_1252(
    tmp_path, monkeypatch
):
    # The encoding is guessed from the first MiB; a later 'é' in Windows-1252 fails both
    # readers' UTF-8, and the file is read again as Windows-1252.
    text = HEADER + "".join(line(n) for n in range(1, 40_001))
    data = text.encode("utf-8") + line(40_001, product="Café").encode("cp1252")
    assert len(data) > csvfile._SAMPLE_BYTES
    fast, exact, _ = both_ways(tmp_path, monkeypatch, data)
    assert fast == exact
    assert fast[0] == ("stored", 40_001, 40_001, 0)
    assert fast[1][-1][2] == "Café"


@pytest.mark.parametrize(
    ("data", "records"),
    [
        (b"a;b\n1;2\n3;4\n", 2),
        (b"a;b\r\n1;2\r\n3;4", 2),
        (b"a;b\n1;2\n3;4\n\n\r\n", 2),
        (b"a;b\n", 0),
        (b"a;b", 0),
    ],
)
def test_the_survey_counts_rows_as_lines(tmp_path, data, records):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    found = survey(NativeCsv(path, "utf-8", ";", ("a", "b")))
    assert (found.records, found.same_values) == (records, True)


def test_the_survey_finds_blanks_next_to_quotes_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(csvnative, "_BLOCK", 8)
    path = tmp_path / "x.csv"
    path.write_bytes(b'a;b\n1;"2"\n3;4567 "x"\n5;   "6"\n')
    assert survey(NativeCsv(path, "utf-8", ";", ("a", "b"))).same_values is False
    path.write_bytes(b'a;b\n1;"2"\n3;4567 "x"\n')  # a blank inside a value is no edge
    assert survey(NativeCsv(path, "utf-8", ";", ("a", "b"))).same_values is True


@pytest.mark.parametrize("parallel", [True, False])
def test_the_table_keeps_the_files_order(tmp_path, monkeypatch, parallel):
    # Large enough for the engine to scan it with several threads, which may reorder rows
    # (an IN list of five values became a join that did).
    n = 400_000
    categories = ["parts", "service", "machine", "consumables", "other"]
    text = HEADER.replace("product", "category") + "".join(
        line(i, product=categories[i % 5]) for i in range(n, 0, -1)
    )
    if not parallel:
        monkeypatch.setattr(csvfile, "native_csv", lambda *args: None)
    (figures, stored, _) = import_invoices(tmp_path, "order", text.encode("utf-8"))
    assert figures == ("stored", n, n, 0)
    assert [r[0] for r in stored] == [f"R{i}" for i in range(n, 0, -1)]
