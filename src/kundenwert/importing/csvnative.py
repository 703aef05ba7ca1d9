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
"""

from __future__ import annotations

import codecs
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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


def native_csv(path: Path, encoding: str, delimiter: str, headers: list[str]) -> NativeCsv | None:
    """The file as DuckDB can read it, or None where it cannot (encoding, a glob-like name)."""
    name = codecs.lookup(encoding).name
    if name not in _ENCODINGS or any(c in str(path) for c in "*?[{"):
        return None  # read_csv would take those characters for a pattern of file names
    return NativeCsv(path.resolve(), name, delimiter, tuple(headers))


def survey_ahead(csv: NativeCsv) -> Future[Survey]:
    """The survey in a thread of its own: it reads the file at memory speed while the engine
    parses it, mostly with cores the engine leaves idle (numpy and file reads release the GIL)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kundenwert-survey")
    found = pool.submit(survey, csv)
    pool.shutdown(wait=False)  # its thread ends with the survey
    return found


def survey(csv: NativeCsv) -> Survey:
    """Count the lines and look for what DuckDB reads differently from Arrow."""
    blank = "[ ]" if csv.delimiter == "\t" else "[ \t]"
    delim = re.escape(csv.delimiter)
    # A blank between a field's edge and a quote; ^ and $ also match at a block's ends, which
    # can only make the check more cautious.
    quote_blank = re.compile(
        f'(?:^|{delim}){blank}+"|"{blank}+(?:$|{delim}|\r)'.encode(), re.MULTILINE
    )
    newlines, same_values, c1, tail, last = 0, True, False, b"", b""
    # One buffer for every block: allocating 16 MiB per block cost more than counting.
    buf, newline = bytearray(_BLOCK), np.empty(_BLOCK, np.bool_)
    with csv.path.open("rb", buffering=0) as fh:
        while size := fh.readinto(buf):
            view = np.frombuffer(buf, np.uint8, count=size)
            newlines += int(np.count_nonzero(np.equal(view, 10, out=newline[:size])))
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
    return Survey(max(lines - 1, 0), same_values, c1)


def view_sql(csv: NativeCsv, *, c1_bytes: bool) -> str:
    """``_row`` (unknown here) and the file's columns as text, like the Arrow path's view;
    ``c1_bytes``: the Windows-1252 file has bytes 0x80-0x9F (see :class:`Survey`)."""
    names = [f"c{i}" for i in range(len(csv.headers))]
    columns = ", ".join(f"{sql_literal(n)}: 'VARCHAR'" for n in names)
    options = (
        f"delim = {sql_literal(csv.delimiter)}, quote = '\"', escape = '\"', header = true, "
        f"auto_detect = false, strict_mode = true, null_padding = false, "
        f"encoding = {sql_literal(_ENCODINGS[csv.encoding])}, columns = {{{columns}}}"
    )
    values = []
    for name, header in zip(names, csv.headers, strict=True):
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
