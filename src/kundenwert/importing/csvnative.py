"""DuckDB's own parallel CSV reader, for the first scan of a file it reads as Arrow does.

Arrow's streaming reader (:mod:`kundenwert.importing.csvfile`) numbers the rows but parses on
one core; DuckDB's ``read_csv`` parses on all cores but cannot say from which line of the file a
row came. The direct import therefore stores the good rows from DuckDB's scan and reads the
file the numbered way only when some rows were not good (their row numbers are reported).

Both readers must see the same values, or a row could be stored by one scan and rejected by the
other. They differ, as tried with DuckDB 1.5, only where blanks stand between a quote and its
field's edge (DuckDB drops them, Arrow keeps them): a :func:`survey` of the raw bytes, beside
the scan, finds those files, and they are imported again the Arrow way, as is everything DuckDB
refuses to read (wrong numbers of fields, bad quoting, bytes that are not UTF-8, mixed line
endings): :class:`NativeScanFailed`. Windows-1252 is read as Latin-1, which differs from it
only in the bytes 0x80-0x9F; where the file has some, they are translated back in SQL.

Columns of amounts (DECIMAL) may be parsed by the reader itself (``typed`` in :func:`view_sql`),
which costs a fraction of parsing their text in SQL. The reader then accepts exactly the values
the text path accepts, with the same values, except where a field ends in a blank: it reads
``'- '`` or ``'5e '`` as a number, which the text path (trimming first) rejects. The survey
therefore also looks for a blank at a field's end (:attr:`Survey.trailing_blanks`); a file with
one, or with a value the reader refuses, is imported again with every column as text
(:class:`TypedScanFailed`).
"""

from __future__ import annotations

import codecs
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from kundenwert.importing.parsing import quote_ident, sql_literal

_BLOCK = 16 << 20
#: Python's codec names DuckDB reads without an extension, with DuckDB's names.
_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "iso8859-1": "latin-1", "cp1252": "latin-1"}
_C1 = bytes(range(0x80, 0xA0))
#: Bytes Windows-1252 leaves undefined (decoding them fails on the Arrow path).
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


class NativeScanFailed(Exception):
    """DuckDB's reader refused the file or disagreed with Arrow: read it the Arrow way."""


class TypedScanFailed(NativeScanFailed):
    """DuckDB's reader refused a value of a column it parsed itself, or the file has a blank
    at a field's end: read the file in parallel again, every column as text."""


@dataclass(frozen=True)
class NativeCsv:
    """What DuckDB's ``read_csv`` needs to read a file as the Arrow path does."""

    path: Path
    encoding: str  # Python's codec name
    delimiter: str
    headers: tuple[str, ...]  # as the Arrow path names them


@dataclass(frozen=True)
class Survey:
    """One pass over the raw bytes (at memory speed, no parsing)."""

    records: int  # data rows, if every line holds one row
    same_values: bool  # DuckDB would read every value as Arrow does
    c1_bytes: bool  # bytes 0x80-0x9F occur (only looked for in Windows-1252 files)
    trailing_blanks: bool = False  # a blank before a delimiter or quote (line ends: if asked)


def native_csv(path: Path, encoding: str, delimiter: str, headers: list[str]) -> NativeCsv | None:
    """The file as DuckDB can read it, or None where it cannot (encoding, a glob-like name)."""
    name = codecs.lookup(encoding).name
    if name not in _ENCODINGS or any(c in str(path) for c in "*?[{"):
        return None  # read_csv would take those characters for a pattern of file names
    return NativeCsv(path.resolve(), name, delimiter, tuple(headers))


def survey_ahead(csv: NativeCsv, *, line_ends: bool = False) -> Future[Survey]:
    """The survey in a thread of its own: it reads the file at memory speed while the engine
    parses it, mostly with cores the engine leaves idle (numpy and file reads release the GIL)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kundenwert-survey")
    found = pool.submit(survey, csv, line_ends=line_ends)
    pool.shutdown(wait=False)  # its thread ends with the survey
    return found


def survey(csv: NativeCsv, *, line_ends: bool = False) -> Survey:
    """Count the lines and look for what DuckDB reads differently from Arrow; ``line_ends``:
    a blank before a line end counts as a trailing blank too (the last column is typed)."""
    blank = "[ ]" if csv.delimiter == "\t" else "[ \t]"
    delim = re.escape(csv.delimiter)
    # A blank between a field's edge and a quote; ^ and $ also match at a block's ends, which
    # can only make the check more cautious.
    quote_blank = re.compile(
        f'(?:^|{delim}){blank}+"|"{blank}+(?:$|{delim}|\r)'.encode(), re.MULTILINE
    )
    newlines, same_values, c1, tail, last = 0, True, False, b"", b""
    blanks = TrailingBlanks(csv.delimiter, line_ends=line_ends)
    # One buffer for every block: allocating 16 MiB per block cost more than counting.
    buf, newline = bytearray(_BLOCK), np.empty(_BLOCK, np.bool_)
    with csv.path.open("rb", buffering=0) as fh:
        while size := fh.readinto(buf):
            view = np.frombuffer(buf, np.uint8, count=size)
            newlines += int(np.count_nonzero(np.equal(view, 10, out=newline[:size])))
            blanks.feed(buf, size)
            if same_values and (buf.find(b'"', 0, size) >= 0 or b'"' in tail):
                same_values = not quote_blank.search(tail + buf[:size])
            if csv.encoding == "cp1252" and not c1:
                c1 = bool(np.count_nonzero((view - np.uint8(0x80)) < 0x20))
            if c1 and any(buf.find(b, 0, size) >= 0 for b in _CP1252_UNDEFINED):
                same_values = False  # Arrow fails on them; so must this import
            end = bytes(buf[max(size - 4096, 0) : size])
            tail, last = end[-64:], (last + end)[-4096:]
    lines = newlines + (1 if last and not last.endswith(b"\n") else 0)
    # Blank lines at the end are no rows to either reader.
    lines -= max(last[len(last.rstrip(b"\r\n")) :].count(b"\n") - 1, 0)
    if line_ends and last.rstrip(b"\r\n").endswith((b" ", b"\t")):
        blanks.found = True  # the last field of the file
    return Survey(max(lines - 1, 0), same_values, c1, blanks.found)


class TrailingBlanks:
    """Finds a blank (space or tab) right before a field's end: the delimiter, a quote (the end
    of a quoted field) and, with ``line_ends``, a line end. Fed block by block.

    Each pair of bytes is compared as one 16-bit number, at even and at odd offsets: two
    comparisons per pair sought (0.5 s of CPU for 1.3 GiB), where a regular expression took
    ten times as long. Tabs and quotes are sought only in blocks that have any.
    """

    def __init__(self, delimiter: str, *, line_ends: bool) -> None:
        self.blanks = b" " if delimiter == "\t" else b" \t"
        self.ends = delimiter.encode() + b'"' + (b"\r\n" if line_ends else b"")
        self.found = False
        self._previous = b""  # the last byte of the previous block

    def feed(self, buf: bytearray, size: int) -> None:
        if self.found or not size:
            return
        edge = self._previous + bytes(buf[:1])
        self._previous = bytes(buf[size - 1 : size])
        if len(edge) == 2 and edge[:1] in self.blanks and edge[1:] in self.ends:
            self.found = True
            return
        for blank in self.blanks:
            if blank != 32 and buf.find(bytes([blank]), 0, size) < 0:
                continue
            for end in self.ends:
                if end == 34 and buf.find(b'"', 0, size) < 0:
                    continue
                if _has_pair(buf, size, blank | end << 8):
                    self.found = True
                    return


def _has_pair(buf: bytearray, size: int, pair: int) -> bool:
    """Whether the two bytes of ``pair`` (little-endian) follow each other in ``buf[:size]``."""
    for offset in (0, 1):
        count = (size - offset) // 2
        if count and np.any(np.frombuffer(buf, "<u2", count=count, offset=offset) == pair):
            return True
    return False


def view_sql(
    csv: NativeCsv,
    *,
    c1_bytes: bool,
    typed: dict[str, str] | None = None,
    decimal: str = ".",
) -> str:
    """``_row`` (unknown here) and the file's columns as text, like the Arrow path's view;
    ``c1_bytes``: the Windows-1252 file has bytes 0x80-0x9F (see :class:`Survey`). ``typed``
    maps headers to the SQL type the reader parses them to itself (empty fields are NULL),
    with ``decimal`` as the decimal separator."""
    typed = typed or {}
    names = [f"c{i}" for i in range(len(csv.headers))]
    columns = ", ".join(
        f"{sql_literal(n)}: {sql_literal(typed.get(h, 'VARCHAR'))}"
        for n, h in zip(names, csv.headers, strict=True)
    )
    options = (
        f"delim = {sql_literal(csv.delimiter)}, quote = '\"', escape = '\"', header = true, "
        f"auto_detect = false, strict_mode = true, null_padding = false, "
        f"encoding = {sql_literal(_ENCODINGS[csv.encoding])}, columns = {{{columns}}}"
    )
    if typed:
        options += f", decimal_separator = {sql_literal(decimal)}"
    values = []
    for name, header in zip(names, csv.headers, strict=True):
        if header in typed:
            values.append(f"{name} AS {quote_ident(header)}")
            continue
        # Arrow gives '' for an empty field, DuckDB NULL.
        value = f"coalesce({name}, '')"
        if c1_bytes and csv.encoding == "cp1252":
            value = f"translate({value}, {_CP1252_FROM}, {_CP1252_TO})"
        values.append(f"{value} AS {quote_ident(header)}")
    return (
        f"SELECT NULL::BIGINT AS _row, {', '.join(values)} "
        f"FROM read_csv({sql_literal(str(csv.path))}, {options})"
    )


def _cp1252_pairs() -> tuple[str, str]:
    defined = [b for b in _C1 if bytes([b]) not in _CP1252_UNDEFINED]
    latin = "".join(chr(b) for b in defined)
    windows = "".join(bytes([b]).decode("cp1252") for b in defined)
    return sql_literal(latin), sql_literal(windows)


_CP1252_FROM, _CP1252_TO = _cp1252_pairs()


def typed_probe(
    con: duckdb.DuckDBPyConnection, csv: NativeCsv, typed: dict[str, str], decimal: str
) -> bool:
    """Whether the reader parses the typed columns of the file's first rows and of its first
    MiB has no field ending in a blank: a file that fails here (thousands separators, say)
    goes straight to the text scan instead of failing the typed scan."""
    with csv.path.open("rb") as fh:
        head = bytearray(fh.read(_PROBE_BYTES))
    blanks = TrailingBlanks(csv.delimiter, line_ends=csv.headers[-1] in typed)
    blanks.feed(head, len(head))
    if blanks.found:
        return False
    view = view_sql(csv, c1_bytes=False, typed=typed, decimal=decimal)
    used = ", ".join(f"count({quote_ident(h)})" for h in typed)  # parsed, not pruned
    # A connection of its own: an error would void the import's transaction.
    with con.cursor() as probe:
        try:
            probe.execute(f"SELECT {used} FROM ({view} LIMIT {_PROBE_ROWS})").fetchall()
        except duckdb.Error:
            return False
    return True


_PROBE_BYTES = 1 << 20
_PROBE_ROWS = 10_000
