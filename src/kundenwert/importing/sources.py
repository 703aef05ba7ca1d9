"""Reading export files: CSV (German or plain), Excel and Parquet, as a stream the database scans.

Every source is presented to DuckDB as a relation named by :meth:`Source.register` with a
``_row`` column (the row number a user finds in the file: for CSV and Excel the header is row 1,
so the first data row is row 2; for Parquet the first row is row 1) followed by the file's own
columns. CSV and Excel values arrive as text and are parsed by :mod:`kundenwert.importing.parsing`;
Parquet keeps its types. Nothing reads a whole CSV or Parquet file into memory.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from kundenwert.errors import ImportFileError
from kundenwert.settings import TableImport

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES

_SAMPLE_BYTES = 1 << 20
_BLOCK_BYTES = 16 << 20
_COMMA_DECIMAL = re.compile(r"(?:^|[;\t|])\s*\"?-?\d+,\d{1,4}\"?\s*(?=[;\t|]|$)", re.M)
_DOT_DECIMAL = re.compile(r"(?:^|[,;\t|])\s*\"?-?\d+\.\d{1,4}\"?\s*(?=[,;\t|]|$)", re.M)

Progress = Callable[[int], None]


@dataclass
class Source:
    """An opened export file, ready to be scanned by DuckDB."""

    path: Path
    format: str  # "csv", "excel" or "parquet"
    headers: list[str]
    text_columns: set[str]  # headers whose values are text and need parsing
    decimal: str = "."
    dialect: dict[str, str] = field(default_factory=dict)
    estimated_rows: int = 0
    _arrow_factory: Callable[[Progress | None], pa.RecordBatchReader] | None = None
    #: CSV only: read with the exact (slow) reader that sets malformed rows aside.
    tolerant: bool = False
    malformed: list[tuple[int, str, int, int]] = field(default_factory=list)
    #: Rows delivered by the last scan (set while DuckDB reads the registered source).
    rows_seen: int = 0

    @property
    def streamed(self) -> bool:
        """True for CSV and Excel, which arrive through Arrow; Parquet is scanned by DuckDB."""
        return self.format != "parquet"

    def chunks(self, progress: Progress | None, rows: int = 1 << 20) -> Iterator[pa.Table]:
        """The rows in tables of about ``rows`` rows, parsed ahead in a background thread.

        A materialised chunk can be scanned by the engine with all its threads (a stream is
        scanned by one) and twice where needed, while the next chunk is being parsed.
        """
        assert self._arrow_factory is not None
        self.rows_seen = 0
        self.malformed.clear()

        def count(n: int) -> None:
            self.rows_seen += n
            if progress:
                progress(n)

        reader = self._arrow_factory(count)
        return _prefetched(_grouped(reader, rows))

    def register(
        self, con: duckdb.DuckDBPyConnection, name: str, progress: Progress | None
    ) -> None:
        """Make the file scannable as view ``name`` (``_row`` plus the file's columns)."""
        if self.format == "parquet":
            path = "'" + str(self.path).replace("'", "''") + "'"  # views take no parameters
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT file_row_number + 1 AS _row, "
                f"* EXCLUDE (file_row_number) FROM read_parquet({path}, file_row_number = true)"
            )
            self.rows_seen = self.estimated_rows
            return
        assert self._arrow_factory is not None
        self.rows_seen = 0
        self.malformed.clear()

        def count(n: int) -> None:
            self.rows_seen += n
            if progress:
                progress(n)

        con.register(name, self._arrow_factory(count))


def _grouped(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in reader:
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield pa.Table.from_batches(pending, reader.schema)
            pending, size = [], 0
    if pending:
        yield pa.Table.from_batches(pending, reader.schema)


_DONE = object()


def _prefetched(items: Iterator[pa.Table], depth: int = 1) -> Iterator[pa.Table]:
    """Produce ``items`` in a background thread, at most ``depth`` ahead of the consumer.

    Parsing (pyarrow, which releases the GIL) then overlaps the engine's work on the previous
    chunk. Errors in the thread are raised in the consumer.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                out.put(item)
            out.put(_DONE)
        except BaseException as exc:  # handed over to the consumer, which raises it
            out.put(exc)

    worker = threading.Thread(target=produce, daemon=True, name="kundenwert-reader")
    worker.start()
    try:
        while True:
            item = out.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            out.get_nowait()  # let a producer blocked on put() see the stop flag


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise ImportFileError(
        f"{path}: unbekanntes Dateiformat {suffix!r}.",
        hint="Lesbar sind CSV (.csv, .txt, .tsv), Excel (.xlsx, .xls, .ods) und Parquet.",
        file=str(path),
    )


def open_source(path: Path, spec: TableImport, *, encoding_override: str | None = None) -> Source:
    if not path.is_file():
        raise ImportFileError(
            f"{path}: Datei nicht gefunden.", hint="Prüfen Sie den Pfad.", file=str(path)
        )
    fmt = detect_format(path)
    if fmt == "parquet":
        return _open_parquet(path)
    if fmt == "excel":
        return _open_excel(path, spec)
    return _open_csv(path, spec, encoding_override)


# --- Parquet -------------------------------------------------------------------------------


def _open_parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise ImportFileError(
            f"{path}: keine lesbare Parquet-Datei ({exc}).",
            hint="Exportieren Sie die Datei erneut oder wählen Sie CSV.",
            file=str(path),
        ) from exc
    text = {
        name
        for name, type_ in zip(schema.names, schema.types, strict=True)
        if pa.types.is_string(type_) or pa.types.is_large_string(type_)
    }
    return Source(
        path,
        "parquet",
        list(schema.names),
        text_columns=text,
        decimal=".",
        estimated_rows=pq.ParquetFile(path).metadata.num_rows,
    )


# --- CSV -----------------------------------------------------------------------------------


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The sample may end inside a multi-byte character; an incremental decoder tolerates that.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        # Excel's "CSV (Trennzeichen-getrennt)" on German Windows writes Windows-1252.
        return "cp1252"


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _detect_decimal(text: str, delimiter: str) -> str:
    if delimiter == ",":
        return "."
    comma = len(_COMMA_DECIMAL.findall(text))
    dot = len(_DOT_DECIMAL.findall(text))
    if comma or dot:
        return "," if comma >= dot else "."
    return "," if delimiter == ";" else "."


def _open_csv(path: Path, spec: TableImport, encoding_override: str | None) -> Source:
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    if not sample.strip():
        raise ImportFileError(
            f"{path}: die Datei ist leer.",
            hint="Exportieren Sie die Tabelle mit Kopfzeile und Daten erneut.",
            file=str(path),
        )
    encoding = encoding_override or spec.encoding or _detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    header_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = spec.delimiter or _detect_delimiter(header_line)
    decimal = spec.decimal or _detect_decimal(text, delimiter)
    pyarrow_encoding = "utf8" if encoding in ("utf-8", "utf-8-sig", "utf8") else encoding
    parse = pacsv.ParseOptions(delimiter=delimiter, quote_char='"', newlines_in_values=True)
    read = pacsv.ReadOptions(block_size=_BLOCK_BYTES, encoding=pyarrow_encoding)
    try:
        # Only the header is wanted here; malformed rows are dealt with while importing.
        lenient = pacsv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            newlines_in_values=True,
            invalid_row_handler=lambda _row: "skip",
        )
        probe = pacsv.open_csv(path, read_options=read, parse_options=lenient)
        headers = [name.lstrip("\ufeff").strip() for name in probe.schema.names]
        raw_names = list(probe.schema.names)
    except (pa.ArrowInvalid, pa.ArrowException, UnicodeDecodeError) as exc:
        raise ImportFileError(
            f"{path}: CSV-Datei nicht lesbar ({exc}).",
            hint="Prüfen Sie Trennzeichen und Kodierung; in kundenwert.toml lassen sich "
            "delimiter und encoding je Tabelle festlegen.",
            file=str(path),
        ) from exc
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if duplicates:
        raise ImportFileError(
            f"{path}: Spaltenüberschrift(en) mehrfach vorhanden: {', '.join(duplicates)}.",
            hint="Geben Sie jeder Spalte einen eindeutigen Namen.",
            file=str(path),
        )

    schema = pa.schema([("_row", pa.int64())] + [(h, pa.string()) for h in headers])

    def factory(progress: Progress | None) -> pa.RecordBatchReader:
        if source.tolerant:
            batches = _tolerant_csv(source, encoding, delimiter, schema, progress)
            return pa.RecordBatchReader.from_batches(schema, batches)
        convert = pacsv.ConvertOptions(
            column_types=dict.fromkeys(raw_names, pa.string()), strings_can_be_null=False
        )
        reader = pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
        return pa.RecordBatchReader.from_batches(
            schema, _numbered(reader, first_row=2, progress=progress)
        )

    source = Source(
        path,
        "csv",
        headers,
        text_columns=set(headers),
        decimal=decimal,
        estimated_rows=_estimate_rows(path, sample),
        dialect={"encoding": encoding, "delimiter": delimiter, "decimal": decimal},
        _arrow_factory=factory,
    )
    return source


def _tolerant_csv(
    source: Source, encoding: str, delimiter: str, schema: pa.Schema, progress: Progress | None
) -> Iterator[pa.RecordBatch]:
    """Slow but exact reading of a CSV file with rows of the wrong number of fields.

    Arrow's fast reader can skip such rows but cannot say where they were, which would shift
    every row number after them; Python's csv module counts lines exactly. Malformed rows are
    collected in ``source.malformed`` (row, text, fields expected, fields found).
    """
    width = len(source.headers)
    with source.path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader)
        start = reader.line_num + 1
        chunk: list[list[str]] = []
        numbers: list[int] = []
        for record in reader:
            if not record or record == [""]:
                start = reader.line_num + 1
                continue
            if len(record) != width:
                text = delimiter.join(record)
                source.malformed.append((start, text, width, len(record)))
            else:
                chunk.append(record)
                numbers.append(start)
            start = reader.line_num + 1
            if len(chunk) >= 65536:
                yield _batch(numbers, chunk, schema, progress)
                chunk, numbers = [], []
        if chunk:
            yield _batch(numbers, chunk, schema, progress)


def _batch(
    numbers: list[int], rows: list[list[str]], schema: pa.Schema, progress: Progress | None
) -> pa.RecordBatch:
    columns = [pa.array(numbers, pa.int64())]
    columns += [pa.array([r[i] for r in rows], pa.string()) for i in range(len(schema) - 1)]
    if progress:
        progress(len(rows))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _estimate_rows(path: Path, sample: bytes) -> int:
    lines = max(sample.count(b"\n"), 1)
    return max(int(path.stat().st_size / (len(sample) / lines)) - 1, 0)


def _numbered(
    batches: Iterator[pa.RecordBatch], *, first_row: int, progress: Progress | None
) -> Iterator[pa.RecordBatch]:
    row = first_row
    for batch in batches:
        n = batch.num_rows
        numbers = pa.array(range(row, row + n), type=pa.int64())
        yield pa.RecordBatch.from_arrays([numbers, *batch.columns], ["_row", *_names(batch)])
        row += n
        if progress:
            progress(n)


def _names(batch: pa.RecordBatch) -> list[str]:
    return [name.lstrip("\ufeff").strip() for name in batch.schema.names]


# --- Excel ---------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    """A cell as the text a user would type, so that Excel and CSV parse the same way."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Excel stores every number as a float: customer number 10023 arrives as 10023.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _open_excel(path: Path, spec: TableImport) -> Source:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet_name = spec.sheet or book.sheet_names[0]
        if sheet_name not in book.sheet_names:
            raise ImportFileError(
                f"{path}: Tabellenblatt {sheet_name!r} fehlt; vorhanden: "
                f"{', '.join(book.sheet_names)}.",
                hint="Korrigieren Sie `sheet` in kundenwert.toml.",
                file=str(path),
            )
        rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportFileError(
            f"{path}: Excel-Datei nicht lesbar ({exc}).",
            hint="Öffnen und speichern Sie die Datei in Excel erneut oder exportieren Sie CSV.",
            file=str(path),
        ) from exc
    header_index = next(
        (i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None
    )
    if header_index is None:
        raise ImportFileError(
            f"{path}: das Tabellenblatt ist leer.",
            hint="Exportieren Sie die Tabelle mit Kopfzeile und Daten erneut.",
            file=str(path),
        )
    header_cells = rows[header_index]
    width = max(i + 1 for i, c in enumerate(header_cells) if c not in (None, ""))
    headers = [
        (_cell_text(c) or f"column_{i + 1}").strip() for i, c in enumerate(header_cells[:width])
    ]
    # Wholly empty rows are layout, not data; the others keep their sheet row number.
    body = [
        (number, row)
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(c not in (None, "") for c in row)
    ]
    columns = [
        pa.array([_cell_text(r[i]) if i < len(r) else None for _, r in body], pa.string())
        for i in range(width)
    ]
    numbers = pa.array([number for number, _ in body], pa.int64())
    table = pa.Table.from_arrays([numbers, *columns], names=["_row", *headers])

    def factory(progress: Progress | None) -> pa.RecordBatchReader:
        if progress:
            progress(len(body))
        return table.to_reader()

    return Source(
        path,
        "excel",
        headers,
        text_columns=set(headers),
        decimal=".",
        estimated_rows=len(body),
        _arrow_factory=factory,
    )
