"""Importing into an empty table: one scan straight into the table, more only for bad rows.

The common first load (millions of invoice lines into a new database) should cost one read of
the file and one write of the table. So the good rows are inserted directly from the
validating scan. Only if rows were rejected is the file scanned again to keep them with their
reasons, and only if the inserted rows hold a key twice is it scanned a third time to find which
row came first (that one stays; the others are rejected as duplicates).

A CSV file is read for that first scan by DuckDB's parallel reader where it reads the file as
the numbered Arrow path does (:mod:`kundenwert.importing.csvnative`), its amounts parsed by the
reader itself where it parses them as the text path would; the scans for rejected rows need row
numbers and take the Arrow path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from kundenwert.importing.csvnative import (
    NativeScanFailed,
    TypedScanFailed,
    survey_ahead,
    typed_probe,
    view_sql,
)
from kundenwert.importing.mapping import Mapping
from kundenwert.importing.parsing import quote_ident, sql_literal
from kundenwert.importing.sources import Progress, Source
from kundenwert.importing.validation import (
    SOURCE_VIEW,
    derives_line_no,
    duplicate_reason_sql,
    key_condition,
    parsed_record,
    stored_columns,
    typed_headers,
    unassigned_split,
    validation_sql,
)
from kundenwert.schema import Table
from kundenwert.store.queries import fetch_scalar, scalar

DUP_KEYS, DUP_ROWS = "kw_dup_keys", "kw_dup_rows"
UNASSIGNED = "unassigned_invoices"
UNKNOWN = "kw_unknown_refs"
TEMP_TABLES = (DUP_KEYS, DUP_ROWS, UNKNOWN)

Rescan = Callable[[Progress | None], None]  # registers the source (again) for a full pass


def import_direct(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    source: Source,
    batch_id: int,
    *,
    date_format: str | None,
    lang: str,
    rescan: Rescan,
    progress: Progress | None = None,
) -> tuple[int, int, int]:
    """Insert the good rows of the source; returns (read, rejected, unassigned)."""

    # Chunk by chunk, references are checked once after the pass (see _reject_unknown): in
    # each chunk's scan the check rebuilt the referenced table's hash table, 10 % of a 20M-line
    # CSV import.
    chunked = source.streamed and not derives_line_no(table, mapping)

    def scan(
        with_record: bool, references: bool = not chunked, typed: frozenset[str] = frozenset()
    ) -> str:
        return validation_sql(
            table,
            mapping,
            source,
            date_format=date_format,
            lang=lang,
            inline_references=references,
            with_record=with_record,
            typed=typed,
        )

    cols = ", ".join(quote_ident(c) for c in stored_columns(table, mapping))
    split = unassigned_split(mapping)
    assigned = ' AND "customer_id" IS NOT NULL' if split else ""

    def insert_into(target: str, where: str, typed: frozenset[str] = frozenset()) -> str:
        return (
            f"INSERT INTO {quote_ident(target)} ({cols}, batch_id) "
            f"SELECT {cols}, {batch_id} FROM ({scan(False, typed=typed)}) WHERE {where}"
        )

    good, no_customer = f"NOT _bad{assigned}", 'NOT _bad AND "customer_id" IS NULL'
    insert_good = insert_into(table.name, good)
    insert_unassigned = insert_into(UNASSIGNED, no_customer)
    # A rejected row names all its faults, the unknown reference too; a row whose only fault
    # is that reference was stored by the pass and is moved by _reject_unknown afterwards.
    stored_then_moved = " OR ".join(
        f"(_fields = {sql_literal(col)} AND {quote_ident(col)} IS NOT NULL AND "
        f"{quote_ident(col)} NOT IN (SELECT {quote_ident(col)} FROM {quote_ident(ref)}))"
        for col, ref in table.references.items()
    )
    insert_bad = (
        f"INSERT INTO rejected_rows SELECT {batch_id}, ?, ?, _row, _fields, _err, _record "
        f"FROM ({scan(True, references=True)}) WHERE _err <> ''"
        + (f" AND NOT ({stored_then_moved})" if chunked and stored_then_moved else "")
    )
    names = [table.name, source.path.name]
    inserted = unassigned = 0
    # The good rows are stored in the file's order: each statement keeps the order it reads
    # them in (the importer's connection otherwise lets the engine reorder).
    con.execute("SET preserve_insertion_order = true")
    native = None
    if chunked:
        typed = typed_headers(table, mapping, source) if source.typed_scan else {}
        inserts = NativeInserts(
            insert_good,
            insert_unassigned if split else None,
            insert_bad,
            typed,
            insert_into(table.name, good, frozenset(typed)),
            insert_into(UNASSIGNED, no_customer, frozenset(typed)) if split else None,
        )
        native = _native(con, source, inserts, names, progress)
    if native is not None:
        inserted, unassigned = native
        inserted -= _reject_unknown(con, table, batch_id, names, scan, rescan)
    elif chunked:
        # Chunk by chunk: each chunk is scanned again for its bad rows, never the whole file.
        assert SOURCE_VIEW == "kw_src"
        for chunk in source.chunks(progress):
            # DuckDB finds the chunk through this local name (a replacement scan). A chunk
            # registered with con.register() instead stays referenced until the transaction
            # ends: 20 million lines would then all be held in memory at once.
            kw_src = chunk
            good = fetch_scalar(con.execute(insert_good))  # executed in this frame, see above
            if split and good < chunk.num_rows:
                good_unassigned = fetch_scalar(con.execute(insert_unassigned))
                unassigned += good_unassigned
                good += good_unassigned
            if good < chunk.num_rows:
                con.execute(insert_bad, names)
            inserted += good
            del kw_src
        inserted -= _reject_unknown(con, table, batch_id, names, scan, rescan)
    else:
        rescan(progress)
        inserted = scalar(con, insert_good)
        if split and source.rows_seen > inserted:
            rescan(None)
            unassigned = scalar(con, insert_unassigned)
            inserted += unassigned
        if source.rows_seen > inserted:
            rescan(None)
            con.execute(insert_bad, names)
    con.execute("SET preserve_insertion_order = false")
    read = source.rows_seen
    duplicates = _reject_duplicates(con, table, mapping, source, batch_id, lang, scan, rescan)
    return read, read - inserted + duplicates, unassigned


@dataclass(frozen=True)
class NativeInserts:
    """The statements of the parallel pass: the good rows (and those without a customer) from
    the text of every column, or with ``typed`` columns parsed by the reader; the bad rows."""

    good: str
    unassigned: str | None
    bad: str
    typed: dict[str, str]  # header: SQL type
    typed_good: str
    typed_unassigned: str | None


def _native(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    inserts: NativeInserts,
    names: list[str],
    progress: Progress | None,
) -> tuple[int, int] | None:
    """The chunked pass with DuckDB's parallel CSV reader: (stored, unassigned), or None where
    it does not apply. Raises NativeScanFailed where DuckDB refuses the file or disagrees with
    the Arrow path about its rows (the caller then imports the file again the Arrow way), and
    TypedScanFailed where a column it parsed itself may differ from the text path (the caller
    then imports the file again with every column as text)."""
    csv = source.native
    if csv is None or source.tolerant:
        return None
    typed = inserts.typed
    if typed and not typed_probe(con, csv, typed, source.decimal):
        typed = {}
    insert_good = inserts.typed_good if typed else inserts.good
    insert_unassigned = inserts.typed_unassigned if typed else inserts.unassigned
    insert_bad = inserts.bad
    surveyed = survey_ahead(csv, line_ends=bool(typed) and csv.headers[-1] in typed)
    # Windows-1252 is read as Latin-1 and translated only where needed: known before the scan.
    c1_bytes = csv.encoding == "cp1252" and surveyed.result().c1_bytes
    view = view_sql(csv, c1_bytes=c1_bytes, typed=typed, decimal=source.decimal)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {SOURCE_VIEW} AS {view}")
    try:
        good = fetch_scalar(con.execute(insert_good))
        found = surveyed.result()
        unassigned = 0
        if insert_unassigned and good < found.records:
            unassigned = fetch_scalar(con.execute(insert_unassigned))
    except duckdb.Error as exc:  # the transaction is void; the caller rolls back
        if typed and "Conversion Error" in str(exc):
            raise TypedScanFailed(str(exc)) from exc
        raise NativeScanFailed(str(exc)) from exc
    if not found.same_values:  # rare: the rows just stored may differ from Arrow's
        raise NativeScanFailed(f"{source.path}: blanks next to quotes")
    if typed and found.trailing_blanks:  # rare: 'x ' may be read as a number, see csvnative
        raise TypedScanFailed(f"{source.path}: blanks at the end of fields")
    con.execute(f"DROP VIEW {SOURCE_VIEW}")  # the chunks below are found by replacement scan
    stored = good + unassigned
    source.rows_seen = found.records
    if progress:
        progress(found.records)
    if stored == found.records:
        return stored, unassigned
    # Rows were rejected, or some lines are not rows (blank lines, values spanning lines):
    # the numbered pass keeps the bad rows with their row numbers, and must agree.
    bad = 0
    for chunk in source.chunks(None):
        kw_src = chunk
        bad += fetch_scalar(con.execute(insert_bad, names))  # executed in this frame
        del kw_src
    if stored + bad != source.rows_seen:
        raise NativeScanFailed(
            f"{source.path}: {stored} good rows read in parallel, {bad} bad rows and "
            f"{source.rows_seen} rows in all read in order"
        )
    return stored, unassigned


def _reject_unknown(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    batch_id: int,
    names: list[str],
    scan: Callable[..., str],
    rescan: Rescan,
) -> int:
    """Move the rows stored in this batch whose references are unknown to the rejected rows,
    with their row number and fields from a second pass (needed only when there are any)."""
    target, moved = quote_ident(table.name), 0
    for column, ref_table in table.references.items():
        col, ref = quote_ident(column), quote_ident(ref_table)
        # The batch's distinct values first, then the join: probing the referenced table once
        # per value rather than per row took a fifth of the time (4M lines, 200k customers).
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {UNKNOWN} AS SELECT t.v FROM "
            f"(SELECT DISTINCT {col} AS v FROM {target} "
            f"WHERE batch_id = {batch_id} AND {col} IS NOT NULL) AS t "
            f"ANTI JOIN {ref} AS r ON r.{col} = t.v"
        )
        if not scalar(con, f"SELECT count(*) FROM {UNKNOWN}"):
            continue
        rescan(None)
        # With the reference checked, a stored row's only fault is the unknown reference (rows
        # with other faults were rejected in the pass, without it).
        con.execute(
            f"INSERT INTO rejected_rows SELECT {batch_id}, ?, ?, _row, _fields, _err, _record "
            f"FROM ({scan(True, references=True)}) WHERE _err <> '' "
            f"AND _fields = {sql_literal(column)} AND {col} IN (SELECT v FROM {UNKNOWN})",
            names,
        )
        moved += scalar(
            con,
            f"DELETE FROM {target} WHERE batch_id = {batch_id} "
            f"AND {col} IN (SELECT v FROM {UNKNOWN})",
        )
    return moved


def _reject_duplicates(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    source: Source,
    batch_id: int,
    lang: str,
    scan: Callable[[bool], str],
    rescan: Rescan,
) -> int:
    """Keep the first row of each key stored twice in this batch; reject the others."""
    keys = ", ".join(quote_ident(k) for k in table.key)
    target = quote_ident(table.name)
    # Grouping 20 million string keys needs gigabytes; their 64-bit hashes need a fraction of
    # that. Keys whose hash occurs twice are then compared exactly (hashes may collide).
    con.execute(
        f"CREATE TEMP TABLE {DUP_KEYS} AS "
        f"WITH twice AS (SELECT hash({keys}) AS h FROM {target} WHERE batch_id = {batch_id} "
        f"GROUP BY h HAVING count(*) > 1) "
        f"SELECT {keys} FROM {target} WHERE batch_id = {batch_id} "
        f"AND hash({keys}) IN (SELECT h FROM twice) GROUP BY {keys} HAVING count(*) > 1"
    )
    if not scalar(con, f"SELECT count(*) FROM {DUP_KEYS}"):
        return 0
    rescan(None)
    cols = stored_columns(table, mapping)
    col_list = ", ".join(quote_ident(c) for c in cols)
    values = ", ".join(f"v.{quote_ident(c)}" for c in cols)
    by_key = ", ".join(f"v.{quote_ident(k)}" for k in table.key)
    con.execute(
        f"CREATE TEMP TABLE {DUP_ROWS} AS "
        f"SELECT v._row, {values}, min(v._row) OVER (PARTITION BY {by_key}) AS _first "
        f"FROM ({scan(False)}) AS v SEMI JOIN {DUP_KEYS} AS d ON {key_condition(table, 'v', 'd')} "
        f"WHERE v._err = ''"
    )
    con.execute(
        f"DELETE FROM {target} AS t USING {DUP_KEYS} AS d "
        f"WHERE t.batch_id = {batch_id} AND {key_condition(table, 't', 'd')}"
    )
    con.execute(
        f"INSERT INTO {target} ({col_list}, batch_id) "
        f"SELECT {col_list}, {batch_id} FROM {DUP_ROWS} WHERE _row = _first"
    )
    reason = duplicate_reason_sql(table, lang, row="s", first="s._first")
    return scalar(
        con,
        f"INSERT INTO rejected_rows SELECT {batch_id}, ?, ?, s._row, "
        f"{sql_literal(', '.join(table.key))}, {reason}, {parsed_record(table, mapping)} "
        f"FROM {DUP_ROWS} AS s WHERE s._row <> s._first",
        [table.name, source.path.name],
    )
