"""An opened export file, as the database engine sees it.

Every source is presented to DuckDB with a ``_row`` column (the row number a user finds in the
file: for CSV and Excel the header is row 1, so the first data row is row 2; for Parquet the
first row is row 1) followed by the file's own columns. CSV and Excel values arrive as text and
are parsed by :mod:`kundenwert.importing.parsing`; Parquet keeps its types. Nothing reads a
whole CSV or Parquet file into memory.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from kundenwert.importing.csvnative import NativeCsv

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
    #: CSV only: how DuckDB's parallel reader can scan the file (None: it cannot).
    native: NativeCsv | None = None
    #: CSV only: DuckDB's parallel reader may parse amounts itself (see csvnative).
    typed_scan: bool = True
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
        return _prefetched(_grouped(self._reader(progress), rows))

    def _reader(self, progress: Progress | None) -> pa.RecordBatchReader:
        """A fresh pass over a streamed file, counting its rows into ``rows_seen``."""
        assert self._arrow_factory is not None
        self.rows_seen = 0
        self.malformed.clear()

        def count(n: int) -> None:
            self.rows_seen += n
            if progress:
                progress(n)

        return self._arrow_factory(count)

    def empty_table(self) -> pa.Table:
        """No rows, but the file's columns with the types the engine will see."""
        if self.format == "parquet":
            import pyarrow.parquet as pq

            return pq.read_schema(self.path).empty_table()
        return pa.table({h: pa.array([], pa.string()) for h in self.headers})

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
        con.register(name, self._reader(progress))


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
