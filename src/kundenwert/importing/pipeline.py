"""Importing one file: validate every row, store the good ones, keep the bad ones with reasons.

One file is one batch and one transaction. Into an empty table the good rows go straight from
the validating scan (:mod:`~kundenwert.importing.direct`); into a table that holds rows already
the file is staged and merged by natural key (:mod:`~kundenwert.importing.staged`). Rejected
rows are kept in ``rejected_rows`` either way; only then is the batch marked done and the
transaction committed. An error, Ctrl-C or a crash before the commit leaves the database
exactly as it was. The batch is recorded (as running) in a transaction of its own before any
row is written, because DuckDB may keep a large insert of a commit cut short by a kill while
dropping the rest of it: rows then never exist without their batch, and
:mod:`kundenwert.store.consistency` removes a running batch's rows when the database is next
opened for writing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from kundenwert import __version__
from kundenwert.errors import ImportFileError
from kundenwert.i18n import translate
from kundenwert.importing import direct, staged
from kundenwert.importing.credit_notes import link_credit_notes
from kundenwert.importing.csvnative import NativeScanFailed, TypedScanFailed
from kundenwert.importing.customers_from_lines import create_customers
from kundenwert.importing.derived import number_macro, type_derived
from kundenwert.importing.mapping import Mapping, resolve
from kundenwert.importing.messages import REASONS
from kundenwert.importing.parsing import MACROS, quote_ident
from kundenwert.importing.sources import Source, open_source
from kundenwert.importing.validation import SOURCE_VIEW, unassigned_split
from kundenwert.schema import CUSTOMERS, Table
from kundenwert.settings import Settings, TableImport
from kundenwert.store import Store, consistency
from kundenwert.store.queries import one_row, scalar


class ImportProgress(Protocol):
    def file_started(self, path: Path, table: str, estimated_rows: int) -> None: ...
    def rows_read(self, n: int) -> None: ...
    def file_finished(self) -> None: ...


@dataclass
class FileResult:
    """What happened to one file."""

    path: Path
    table: str | None
    status: str  # stored | partial | unchanged | failed | skipped
    format: str | None = None
    batch_id: int | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unassigned: int = 0  # invoice lines without a customer, kept in unassigned_invoices
    unassigned_amount: str | None = None  # their sum, exact decimal text
    customers_created: int = 0
    credit_notes: int = 0  # credit note lines in this batch
    credit_notes_linked: int = 0  # of which linked to the invoice they cancel
    # Margins built on missing inputs (kundenwert.review.margins): invoice lines with an amount
    # but no cost of goods, and their sum; activities with hours but no cost while
    # review.margins.cost_per_hour is unset.
    uncosted_lines: int = 0
    uncosted_amount: str | None = None
    uncosted_activities: int = 0
    error: str | None = None
    hint: str | None = None
    rejected_file: Path | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)
    dialect: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "table": self.table,
            "status": self.status,
            "format": self.format,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_stored": self.stored,
            "rows_inserted": self.inserted,
            "rows_updated": self.updated,
            "rows_unchanged": self.unchanged,
            "rows_rejected": self.rejected,
            "rows_unassigned": self.unassigned,
            "unassigned_amount": self.unassigned_amount,
            "customers_created": self.customers_created,
            "credit_note_lines": self.credit_notes,
            "credit_note_lines_linked": self.credit_notes_linked,
            "lines_without_cost": self.uncosted_lines,
            "amount_without_cost": self.uncosted_amount,
            "activities_without_cost": self.uncosted_activities,
            "rejected_file": str(self.rejected_file) if self.rejected_file else None,
            "error": self.error,
            "hint": self.hint,
            "mapping": self.mapping,
            "ignored_columns": self.ignored_columns,
            "suggestions": self.suggestions,
            "dialect": self.dialect,
        }


def file_hash(path: Path) -> str:
    with path.open("rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


def _hash_ahead(path: Path) -> Future[str]:
    """The file's hash, computed in a thread of its own (hashlib releases the GIL): on a first
    import it is only recorded, so it need not hold up the import (2 s for a 1.7 GiB file)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kundenwert-hash")
    digest = pool.submit(file_hash, path)
    pool.shutdown(wait=False)  # its thread ends with the hash
    return digest


def _mapping_hash(mapping: Mapping, source: Source, spec: TableImport, lang: str) -> str:
    """What decides how a file's rows are read: the same file under the same hash is skipped."""
    fingerprint: dict[str, object] = {
        "columns": mapping.columns,
        "decimal": source.decimal,
        "date_format": spec.date_format,
        "dialect": source.dialect,
        "lang": lang,
    }
    # Added only where used, so that hashes of imports made before these settings still hold.
    if mapping.derived:
        fingerprint["derived"] = {d.column: d.sql for d in mapping.derived}
    if mapping.optional:
        fingerprint["optional"] = sorted(mapping.optional)
    if spec.create_customers:
        fingerprint["create_customers"] = spec.customer_columns
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:16]


def import_file(
    store: Store,
    path: Path,
    table: Table,
    settings: Settings,
    *,
    progress: ImportProgress | None = None,
) -> FileResult:
    """Import one export file into ``table``; raises ImportFileError if it cannot be read."""
    lang = settings.language
    spec = settings.import_.for_table(table.name)
    content = _hash_ahead(path)
    source = open_source(path, spec)
    mapping = resolve(table, source.headers, spec, file=str(path), lang=lang)
    result = FileResult(
        path=path,
        table=table.name,
        status="stored",
        format=source.format,
        mapping=mapping.columns,
        ignored_columns=mapping.ignored,
        suggestions=mapping.suggestions,
        dialect=source.dialect,
    )
    mapping_hash = _mapping_hash(mapping, source, spec, lang)
    previous = _latest_batch(store.con, table.name)
    if previous and previous[1:4] == (content.result(), mapping_hash, 0):
        result.status, result.batch_id, result.rows_read = "unchanged", previous[0], previous[4]
        result.unchanged = previous[4]
        return result
    # Up to five tries: DuckDB's parallel reader parsing amounts itself, then as text only,
    # then Arrow's, in Windows-1252, exactly.
    for _attempt in range(5):
        hashes = (content, _mapping_hash(mapping, source, spec, lang))
        try:
            _run(store, source, mapping, table, settings, result, hashes, progress)
            break
        except TypedScanFailed:
            source.typed_scan = False
        except NativeScanFailed:
            source.native = None  # read the Arrow way, which knows how to report it
        except (UnicodeDecodeError, pa.ArrowInvalid, duckdb.Error) as exc:
            source = _second_try(source, exc, spec)
            result.dialect = source.dialect
    result.status = "partial" if result.rejected else "stored"
    return result


def _second_try(source: Source, exc: Exception, spec: TableImport) -> Source:
    """Reopen a CSV file the fast reader stumbled over, or raise ImportFileError."""
    message = str(exc)
    if source.format == "csv" and not source.tolerant:
        if "utf8" in message.lower().replace("-", "") and source.dialect["encoding"] == "utf-8":
            # The sample looked like UTF-8 but a later byte did not: Windows-1252 it is.
            retry = open_source(source.path, spec, encoding_override="cp1252")
            retry.native = None
            return retry
        if "CSV parse error" in message:
            # A row with too few or too many fields: read again, exactly, setting it aside.
            retry = open_source(source.path, spec, encoding_override=source.dialect["encoding"])
            retry.tolerant = True
            return retry
    raise ImportFileError(
        f"{source.path}: Datei nicht lesbar ({message.splitlines()[0]}).",
        hint="Prüfen Sie Trennzeichen, Anführungszeichen und Kodierung der Datei.",
        file=str(source.path),
    ) from exc


def _latest_batch(con: duckdb.DuckDBPyConnection, table: str) -> tuple | None:
    return con.execute(
        "SELECT batch_id, content_hash, mapping_hash, rows_rejected, rows_read FROM import_batches "
        "WHERE table_name = ? AND state = 'done' ORDER BY batch_id DESC LIMIT 1",
        [table],
    ).fetchone()


def _run(
    store: Store,
    source: Source,
    mapping: Mapping,
    table: Table,
    settings: Settings,
    result: FileResult,
    hashes: tuple[Future[str], str],
    progress: ImportProgress | None,
) -> None:
    con, lang = store.con, settings.language
    spec = settings.import_.for_table(table.name)
    date_format = spec.date_format
    _prepare(con, settings)
    if mapping.derived:
        con.execute(number_macro(source.decimal))
        source.text_columns |= type_derived(
            con, mapping.derived, source.empty_table(), file=str(source.path), lang=lang
        )
    started = datetime.now()
    if table.name in ("invoices", "activities") and "ibis" not in sys.modules:
        _margins_ahead()
    if progress:
        progress.file_started(source.path, table.name, source.estimated_rows)
    batch_id = _reserve_batch(con, table, source, started, hashes)
    made_id = (
        _reserve_batch(con, CUSTOMERS, source, started, hashes) if spec.create_customers else None
    )
    result.batch_id = batch_id
    con.execute("BEGIN TRANSACTION")
    try:
        counter = progress.rows_read if progress else None
        if made_id is not None:
            _create_customers(con, table, mapping, source, spec, made_id, result, lang)
        if _is_empty(con, table):
            read, rejected, result.unassigned = direct.import_direct(
                con,
                table,
                mapping,
                source,
                batch_id,
                date_format=date_format,
                lang=lang,
                rescan=lambda report: source.register(con, SOURCE_VIEW, report),
                progress=counter,
            )
            result.inserted = read - rejected - result.unassigned
        else:
            source.register(con, SOURCE_VIEW, counter)
            read, rejected = staged.stage(
                con, table, mapping, source, date_format=date_format, lang=lang
            )
            staged.store_rejected(con, table, source.path.name, batch_id)
            result.inserted, result.updated, result.unchanged = staged.merge(
                con, table, mapping, batch_id
            )
            if unassigned_split(mapping):
                result.unassigned = staged.merge_unassigned(con, table, mapping, batch_id)
        _invoice_figures(con, table, mapping, batch_id, result)
        _cost_gaps(store, table, batch_id, result, settings.review.margins.cost_per_hour)
        _store_malformed(con, table, source, batch_id, lang)
        result.rows_read = read + len(source.malformed)
        result.rejected = rejected + len(source.malformed)
        con.execute(
            "UPDATE import_batches SET content_hash = ? WHERE batch_id IN (?, ?)",
            [hashes[0].result(), batch_id, made_id],
        )
        _record_batch(con, batch_id, result)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        _unreserve(con, batch_id, made_id)
        raise
    finally:
        consistency.end_import(batch_id)
        if made_id is not None:
            consistency.end_import(made_id)
        _clean_up(con)
        if progress:
            progress.file_finished()


def _create_customers(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    source: Source,
    spec: TableImport,
    batch_id: int,
    result: FileResult,
    lang: str,
) -> None:
    """Add the customers the lines name and the database lacks, as a batch of their own."""
    source.register(con, SOURCE_VIEW, None)
    created = create_customers(
        con,
        table,
        mapping,
        source,
        batch_id,
        date_format=spec.date_format,
        lang=lang,
    )
    result.customers_created = created
    if created:
        made = FileResult(source.path, CUSTOMERS.name, "stored", rows_read=created)
        made.inserted = created
        _record_batch(con, batch_id, made)
    else:
        con.execute("DELETE FROM import_batches WHERE batch_id = ?", [batch_id])


def _invoice_figures(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    batch_id: int,
    result: FileResult,
) -> None:
    """Credit notes linked, and the sum of the lines kept without a customer."""
    if table.name != "invoices":
        return
    if "credit_note" in mapping.columns:
        if "credit_for" in mapping.columns:
            result.credit_notes, result.credit_notes_linked = one_row(
                con,
                "SELECT count(*), count(credit_for) FROM invoices "
                "WHERE batch_id = ? AND credit_note",
                [batch_id],
            )
        else:
            result.credit_notes, result.credit_notes_linked = link_credit_notes(con, batch_id)
        # Credit notes without a customer are kept too, unlinked (no customer to match).
        result.credit_notes += scalar(
            con,
            "SELECT count(*) FROM unassigned_invoices WHERE batch_id = ? AND credit_note",
            [batch_id],
        )
    if unassigned_split(mapping):
        total = scalar(
            con,
            "SELECT coalesce(sum(amount), 0) FROM unassigned_invoices WHERE batch_id = ?",
            [batch_id],
        )
        result.unassigned_amount = str(total)


def _margins_ahead() -> None:
    """Import Ibis and the review's margin rules (for :func:`_cost_gaps`) in a thread of its
    own while the rows are read: importing Ibis takes 0.2 s, most of the figure's cost."""

    def load() -> None:
        import ibis  # noqa: F401

        from kundenwert.review import margins  # noqa: F401

    threading.Thread(target=load, daemon=True, name="kundenwert-ibis").start()


def _cost_gaps(
    store: Store, table: Table, batch_id: int, result: FileResult, cost_per_hour: float | None
) -> None:
    """The batch's rows whose margins will rest on a missing cost (the review's own rules)."""
    if table.name not in ("invoices", "activities"):
        return
    if table.name == "activities" and cost_per_hour is not None:
        return
    import ibis

    from kundenwert.review import margins

    # Compiled from an unbound table, not run through an Ibis backend: Ibis switches off
    # DuckDB's replacement scans on a connection it wraps, which the chunked import needs.
    money = "decimal(18,4)"
    schema = {"batch_id": "int64", "amount": money, "cost": money, "hours": "float64"}
    t = ibis.table(schema, name=table.name)
    t = t.filter(t.batch_id == batch_id)
    if table.name == "invoices":
        unknown = margins.goods_cost_unknown(t.amount, t.cost)
        expr = t.aggregate(n=t.count(where=unknown), amount=t.amount.sum(where=unknown))
    else:
        unknown = margins.care_cost_unknown(t.cost, t.hours, cost_per_hour)
        expr = t.aggregate(n=t.count(where=unknown), amount=ibis.null("decimal(18,4)"))
    n, amount = one_row(store.con, ibis.to_sql(expr, dialect="duckdb"))
    if table.name == "invoices":
        result.uncosted_lines, result.uncosted_amount = int(n), str(amount or 0)
    else:
        result.uncosted_activities = int(n)


def _prepare(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    con.execute(f"SET memory_limit = '{settings.import_.memory_limit}'")
    # Row order is carried in _row; not keeping insertion order lets the engine stream.
    con.execute("SET preserve_insertion_order = false")
    # FSST string compression costs half the write time of a large import; the dictionary
    # and other encodings still apply, and the file stays compact.
    con.execute("SET disabled_compression_methods = 'fsst'")
    con.execute(MACROS)


def _clean_up(con: duckdb.DuckDBPyConnection) -> None:
    for name in (*staged.TEMP_TABLES, *direct.TEMP_TABLES):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    with contextlib.suppress(duckdb.Error):
        con.unregister(SOURCE_VIEW)
    con.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
    con.execute("RESET preserve_insertion_order")
    con.execute("RESET disabled_compression_methods")


def _is_empty(con: duckdb.DuckDBPyConnection, table: Table) -> bool:
    return not scalar(
        con, f"SELECT count(*) FROM (SELECT 1 FROM {quote_ident(table.name)} LIMIT 1)"
    )


def _store_malformed(
    con: duckdb.DuckDBPyConnection, table: Table, source: Source, batch_id: int, lang: str
) -> None:
    for row, text, expected, found in source.malformed:
        reason = translate(REASONS, "field_count", lang, expected=expected, found=found)
        record = json.dumps({"_text": text}, ensure_ascii=False)
        con.execute(
            "INSERT INTO rejected_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
            [batch_id, table.name, source.path.name, row, "*", reason, record],
        )


def _reserve_batch(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: Source,
    started: datetime,
    hashes: tuple[Future[str], str],
) -> int:
    """Record a new batch as running, committed on its own, before any of its rows exist
    (its content hash, if not known yet, is set when it is done)."""
    batch_id = int(scalar(con, "SELECT nextval('import_batch_seq')"))
    consistency.begin_import(batch_id)
    con.execute(
        "INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, ?)",
        [
            batch_id,
            table.name,
            source.path.name,
            str(source.path.resolve()),
            source.format,
            hashes[0].result() if hashes[0].done() else "",
            hashes[1],
            started,
            started,
            __version__,
            consistency.RUNNING,
        ],
    )
    return batch_id


def _record_batch(con: duckdb.DuckDBPyConnection, batch_id: int, result: FileResult) -> None:
    """Mark the batch done with its figures (in the import's transaction)."""
    con.execute(
        "UPDATE import_batches SET finished_at = ?, rows_read = ?, rows_inserted = ?, "
        "rows_updated = ?, rows_unchanged = ?, rows_rejected = ?, state = ? WHERE batch_id = ?",
        [
            datetime.now(),
            result.rows_read,
            result.inserted,
            result.updated,
            result.unchanged,
            result.rejected,
            consistency.DONE,
            batch_id,
        ],
    )


def _unreserve(con: duckdb.DuckDBPyConnection, *batch_ids: int | None) -> None:
    """Forget the batches of an import that failed (its transaction was rolled back)."""
    for batch_id in batch_ids:
        if batch_id is not None:
            con.execute(
                "DELETE FROM import_batches WHERE batch_id = ? AND state = ?",
                [batch_id, consistency.RUNNING],
            )


def unreadable(path: Path, table: str | None, exc: ImportFileError) -> FileResult:
    return FileResult(path=path, table=table, status="failed", error=exc.message, hint=exc.hint)
