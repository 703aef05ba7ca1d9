"""Importing one file: validate every row, store the good ones, keep the bad ones with reasons.

One file is one batch and one transaction. Inside it the file is scanned once into a staging
table (typed values plus, per row, the reasons it is rejected), duplicate keys are marked, the
rejected rows go to ``rejected_rows`` and the good rows are upserted by natural key; only then
is the batch recorded and the transaction committed. An error, Ctrl-C or a crash before the
commit leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from kundenwert import __version__
from kundenwert.errors import ImportFileError
from kundenwert.i18n import translate
from kundenwert.importing.mapping import Mapping, resolve
from kundenwert.importing.messages import REASONS
from kundenwert.importing.parsing import MACROS, ColumnBuilder, quote_ident, reason_sql, sql_literal
from kundenwert.importing.sources import Source, open_source
from kundenwert.schema import Table
from kundenwert.settings import Settings, TableImport
from kundenwert.store import Store

_SRC, _STAGE, _DUPS, _CHANGED, _MISSING = (
    "kw_src",
    "kw_stage",
    "kw_dups",
    "kw_changed",
    "kw_missing",
)


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


def _mapping_hash(mapping: Mapping, source: Source, date_format: str | None, lang: str) -> str:
    spec = {
        "columns": mapping.columns,
        "decimal": source.decimal,
        "date_format": date_format,
        "dialect": source.dialect,
        "lang": lang,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


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
    content_hash = file_hash(path)
    mapping_hash = _mapping_hash(mapping, source, spec.date_format, lang)
    previous = _latest_batch(store.con, table.name)
    if previous and previous[1:4] == (content_hash, mapping_hash, 0):
        result.status, result.batch_id, result.rows_read = "unchanged", previous[0], previous[4]
        result.unchanged = previous[4]
        return result
    for _attempt in range(3):
        hashes = (content_hash, _mapping_hash(mapping, source, spec.date_format, lang))
        try:
            _run(store, source, mapping, table, settings, result, hashes, progress)
            break
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
            return open_source(source.path, spec, encoding_override="cp1252")
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
        "WHERE table_name = ? ORDER BY batch_id DESC LIMIT 1",
        [table],
    ).fetchone()


def _run(
    store: Store,
    source: Source,
    mapping: Mapping,
    table: Table,
    settings: Settings,
    result: FileResult,
    hashes: tuple[str, str],
    progress: ImportProgress | None,
) -> None:
    con = store.con
    con.execute(f"SET memory_limit = '{settings.import_.memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    # FSST string compression costs half the write time of a large import; the dictionary
    # and other encodings still apply, and the file stays compact.
    con.execute("SET disabled_compression_methods = 'fsst'")
    con.execute(MACROS)
    started = datetime.now()
    spec = settings.import_.for_table(table.name)
    if progress:
        progress.file_started(source.path, table.name, source.estimated_rows)
    con.execute("BEGIN TRANSACTION")
    try:
        source.register(con, _SRC, progress.rows_read if progress else None)
        con.execute(_stage_sql(table, mapping, source, spec.date_format, settings.language))
        _check_references(con, table, mapping, settings.language)
        _mark_duplicates(con, table, mapping, settings.language)
        batch_id = con.execute("SELECT nextval('import_batch_seq')").fetchone()[0]
        result.batch_id = batch_id
        counts = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE _err <> '') FROM {_STAGE}"
        ).fetchone()
        result.rows_read, result.rejected = counts
        _store_rejected(con, table, source, batch_id, settings.language)
        result.rows_read += len(source.malformed)
        result.rejected += len(source.malformed)
        _upsert(con, table, batch_id, result)
        _record_batch(con, table, source, batch_id, started, hashes, result)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _drop_temp(con)
        con.execute("RESET preserve_insertion_order")
        con.execute("RESET disabled_compression_methods")
        if progress:
            progress.file_finished()


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name in (_STAGE, _DUPS, _CHANGED, _MISSING):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    with contextlib.suppress(duckdb.Error):
        con.unregister(_SRC)
    con.execute(f"DROP VIEW IF EXISTS {_SRC}")


def _stage_sql(
    table: Table, mapping: Mapping, source: Source, date_format: str | None, lang: str
) -> str:
    builder = ColumnBuilder(decimal=source.decimal, date_format=date_format, lang=lang)
    cleaned, first, parsed, problems = [], [], [], []
    derived_line_no = table.name == "invoices" and "line_no" not in mapping.columns
    for col in table.columns:
        header = mapping.columns.get(col.name)
        if header is None:
            continue
        t, v = quote_ident(f"__t_{col.name}"), quote_ident(f"__v_{col.name}")
        text = header in source.text_columns
        f = quote_ident(f"__f_{col.name}")
        cleaned.append(f"{builder.clean(header, text=text)} AS {t}")
        first.append(f"{builder.parse(col, t, text=text)} AS {f}")
        fallback = builder.fallback(col, t, text=text)
        parsed.append(
            f"CASE WHEN {f} IS NULL AND {t} IS NOT NULL THEN {fallback} ELSE {f} END AS {v}"
            if fallback
            else f"{f} AS {v}"
        )
        required = col.required or col.name in table.key
        problems.extend(builder.column(col, t, v, required=required).problems)
    if derived_line_no:
        parsed.append(
            'row_number() OVER (PARTITION BY "__v_invoice_id" ORDER BY _row)::INTEGER '
            'AS "__v_line_no"'
        )
    for check in table.checks:
        if check.column in mapping.columns and check.not_before in mapping.columns:
            v, w = quote_ident(f"__v_{check.column}"), quote_ident(f"__v_{check.not_before}")
            t = quote_ident(f"__t_{check.column}")
            problems.append((check.column, f"{v} < {w}", reason_sql(check.message_key, lang, t)))
    errors = ", ".join(f"CASE WHEN {cond} THEN {reason} END" for _, cond, reason in problems)
    fields = ", ".join(
        f"CASE WHEN {cond} THEN {sql_literal(name)} END" for name, cond, _ in problems
    )
    record = (
        "json_object("
        + ", ".join(f"{sql_literal(h)}, {quote_ident(h)}" for h in source.headers)
        + ")"
    )
    stored = [
        f"{quote_ident(f'__v_{c}')} AS {quote_ident(c)}"
        for c in table.column_names
        if c in mapping.columns or (c == "line_no" and derived_line_no)
    ]
    return f"""
        CREATE TEMP TABLE {_STAGE} AS
        WITH c AS (SELECT *, {", ".join(cleaned)} FROM {_SRC}),
        f AS (SELECT *, {", ".join(first)} FROM c),
        p AS (SELECT *, {", ".join(parsed)} FROM f),
        e AS (
            SELECT p.*, concat_ws('; ', {errors}) AS _err,
                   concat_ws(', ', {fields}) AS _fields
            FROM p
        )
        SELECT _row, {", ".join(stored)}, _err,
               _fields,
               CASE WHEN _err <> '' THEN {record} END AS _record
        FROM e
    """


def _key_condition(table: Table, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{quote_ident(k)} = {right}.{quote_ident(k)}" for k in table.key)


def _parsed_record(table: Table, mapping: Mapping) -> str:
    """JSON of a staged row's parsed values under the file's headers (for rows rejected after
    parsing, whose text form is no longer at hand; the values are the ones read)."""
    pairs = ", ".join(
        f"{sql_literal(mapping.columns.get(c, c))}, s.{quote_ident(c)}"
        for c in table.column_names
        if c in mapping.columns or (c == "line_no" and table.name == "invoices")
    )
    return f"json_object({pairs})"


def _reject_more(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    *,
    reason: str,
    fields: str,
    source: str,
    where: str,
) -> None:
    """Add a rejection reason to staged rows matching ``where`` (``s`` is the staged row)."""
    con.execute(
        f"UPDATE {_STAGE} AS s SET _err = concat_ws('; ', NULLIF(s._err, ''), {reason}), "
        f"_fields = concat_ws(', ', NULLIF(s._fields, ''), {sql_literal(fields)}), "
        f"_record = coalesce(s._record, {_parsed_record(table, mapping)}) {source} WHERE {where}"
    )


def _check_references(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, lang: str
) -> None:
    # Checked on the narrow staged rows rather than in the scan, and as a plain anti join
    # first: almost always nothing is missing and no update is needed.
    for column, ref_table in table.references.items():
        col = quote_ident(column)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {_MISSING} AS SELECT s._row FROM {_STAGE} AS s "
            f"ANTI JOIN {quote_ident(ref_table)} AS r ON r.{col} = s.{col} "
            f"WHERE s.{col} IS NOT NULL"
        )
        if not con.execute(f"SELECT count(*) FROM {_MISSING}").fetchone()[0]:
            continue
        reason = reason_sql("unknown_reference", lang, f"s.{col}", field=column, table=ref_table)
        _reject_more(
            con,
            table,
            mapping,
            reason=reason,
            fields=column,
            source="",
            where=f"s._row IN (SELECT _row FROM {_MISSING})",
        )


def _mark_duplicates(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, lang: str
) -> None:
    keys = ", ".join(quote_ident(k) for k in table.key)
    con.execute(
        f"CREATE TEMP TABLE {_DUPS} AS SELECT {keys}, min(_row) AS _first FROM {_STAGE} "
        f"WHERE _err = '' GROUP BY {keys} HAVING count(*) > 1"
    )
    if not con.execute(f"SELECT count(*) FROM {_DUPS}").fetchone()[0]:
        return
    shown = " || ' / ' || ".join(f"CAST(s.{quote_ident(k)} AS VARCHAR)" for k in table.key)
    template = translate(
        REASONS, "duplicate_key", lang, field=", ".join(table.key), value="\x00", first="\x01"
    )
    before, rest = template.split("\x00")
    middle, after = rest.split("\x01")
    reason = (
        f"{sql_literal(before)} || {shown} || {sql_literal(middle)} || d._first || "
        f"{sql_literal(after)}"
    )
    _reject_more(
        con,
        table,
        mapping,
        reason=reason,
        fields=", ".join(table.key),
        source=f"FROM {_DUPS} AS d",
        where=f"{_key_condition(table, 's', 'd')} AND s._row <> d._first AND s._err = ''",
    )


def _store_rejected(
    con: duckdb.DuckDBPyConnection, table: Table, source: Source, batch_id: int, lang: str
) -> None:
    con.execute(
        f"INSERT INTO rejected_rows SELECT ?, ?, ?, _row, _fields, _err, _record "
        f"FROM {_STAGE} WHERE _err <> ''",
        [batch_id, table.name, source.path.name],
    )
    for row, text, expected, found in source.malformed:
        reason = translate(REASONS, "field_count", lang, expected=expected, found=found)
        record = json.dumps({"_text": text}, ensure_ascii=False)
        con.execute(
            "INSERT INTO rejected_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
            [batch_id, table.name, source.path.name, row, "*", reason, record],
        )


def _upsert(
    con: duckdb.DuckDBPyConnection, table: Table, batch_id: int, result: FileResult
) -> None:
    stage_cols = {r[0] for r in con.execute(f"DESCRIBE {_STAGE}").fetchall()}
    cols = [c for c in table.column_names if c in stage_cols]
    col_list = ", ".join(quote_ident(c) for c in cols)
    target = quote_ident(table.name)
    good = result.rows_read - result.rejected
    if not con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {target} LIMIT 1)").fetchone()[0]:
        con.execute(
            f"INSERT INTO {target} ({col_list}, batch_id) "
            f"SELECT {col_list}, {batch_id} FROM {_STAGE} WHERE _err = ''"
        )
        result.inserted = good
        return
    # Rows that are new or differ from what is stored; identical rows are left alone.
    con.execute(
        f"CREATE TEMP TABLE {_CHANGED} AS "
        f"SELECT {col_list} FROM {_STAGE} WHERE _err = '' "
        f"EXCEPT SELECT {col_list} FROM {target} AS t SEMI JOIN {_STAGE} AS s "
        f"ON {_key_condition(table, 't', 's')}"
    )
    result.updated = con.execute(
        f"SELECT count(*) FROM {_CHANGED} AS c SEMI JOIN {target} AS t "
        f"ON {_key_condition(table, 'c', 't')}"
    ).fetchone()[0]
    changed = con.execute(f"SELECT count(*) FROM {_CHANGED}").fetchone()[0]
    result.inserted = changed - result.updated
    result.unchanged = good - changed
    con.execute(
        f"DELETE FROM {target} AS t USING {_CHANGED} AS c WHERE {_key_condition(table, 't', 'c')}"
    )
    con.execute(
        f"INSERT INTO {target} ({col_list}, batch_id) SELECT {col_list}, {batch_id} FROM {_CHANGED}"
    )


def _record_batch(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: Source,
    batch_id: int,
    started: datetime,
    hashes: tuple[str, str],
    result: FileResult,
) -> None:
    con.execute(
        "INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            table.name,
            source.path.name,
            str(source.path.resolve()),
            source.format,
            *hashes,
            started,
            datetime.now(),
            result.rows_read,
            result.inserted,
            result.updated,
            result.unchanged,
            result.rejected,
            __version__,
        ],
    )


def unreadable(path: Path, table: str | None, exc: ImportFileError) -> FileResult:
    return FileResult(path=path, table=table, status="failed", error=exc.message, hint=exc.hint)
