"""Importing into a table that already holds rows: stage, check, then merge by natural key.

The file is scanned once into a temporary table; references and duplicate keys are checked
there; rejected rows are kept; the good rows replace stored rows with the same key where they
differ, identical rows are left alone (so their batch stays the one that brought them).
"""

from __future__ import annotations

import duckdb

from kundenwert.importing.mapping import Mapping
from kundenwert.importing.parsing import quote_ident, reason_sql, sql_literal
from kundenwert.importing.sources import Source
from kundenwert.importing.validation import (
    duplicate_reason_sql,
    key_condition,
    parsed_record,
    stored_columns,
    unassigned_split,
    validation_sql,
)
from kundenwert.schema import Table
from kundenwert.store.queries import one_row, scalar

STAGE, DUPS, CHANGED, MISSING = "kw_stage", "kw_dups", "kw_changed", "kw_missing"
TEMP_TABLES = (STAGE, DUPS, CHANGED, MISSING)


def stage(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    source: Source,
    *,
    date_format: str | None,
    lang: str,
) -> tuple[int, int]:
    """Scan the source into the staging table and mark every faulty row; (read, rejected)."""
    sql = validation_sql(
        table,
        mapping,
        source,
        date_format=date_format,
        lang=lang,
        inline_references=False,
        with_record=True,
    )
    con.execute(f"CREATE TEMP TABLE {STAGE} AS {sql}")
    check_references(con, table, mapping, lang)
    mark_duplicates(con, table, mapping, lang)
    read, rejected = one_row(
        con, f"SELECT count(*), count(*) FILTER (WHERE _err <> '') FROM {STAGE}"
    )
    return read, rejected


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
        f"UPDATE {STAGE} AS s SET _err = concat_ws('; ', NULLIF(s._err, ''), {reason}), "
        f"_fields = concat_ws(', ', NULLIF(s._fields, ''), {sql_literal(fields)}), "
        f"_record = coalesce(s._record, {parsed_record(table, mapping)}) {source} WHERE {where}"
    )


def check_references(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, lang: str
) -> None:
    # Checked on the narrow staged rows rather than in the scan, and as a plain anti join
    # first: almost always nothing is missing and no update is needed.
    for column, ref_table in table.references.items():
        col = quote_ident(column)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {MISSING} AS SELECT s._row FROM {STAGE} AS s "
            f"ANTI JOIN {quote_ident(ref_table)} AS r ON r.{col} = s.{col} "
            f"WHERE s.{col} IS NOT NULL"
        )
        if not scalar(con, f"SELECT count(*) FROM {MISSING}"):
            continue
        reason = reason_sql("unknown_reference", lang, f"s.{col}", field=column, table=ref_table)
        _reject_more(
            con,
            table,
            mapping,
            reason=reason,
            fields=column,
            source="",
            where=f"s._row IN (SELECT _row FROM {MISSING})",
        )


def mark_duplicates(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, lang: str
) -> None:
    keys = ", ".join(quote_ident(k) for k in table.key)
    con.execute(
        f"CREATE TEMP TABLE {DUPS} AS SELECT {keys}, min(_row) AS _first FROM {STAGE} "
        f"WHERE _err = '' GROUP BY {keys} HAVING count(*) > 1"
    )
    if not scalar(con, f"SELECT count(*) FROM {DUPS}"):
        return
    reason = duplicate_reason_sql(table, lang, row="s", first="d._first")
    _reject_more(
        con,
        table,
        mapping,
        reason=reason,
        fields=", ".join(table.key),
        source=f"FROM {DUPS} AS d",
        where=f"{key_condition(table, 's', 'd')} AND s._row <> d._first AND s._err = ''",
    )


def store_rejected(
    con: duckdb.DuckDBPyConnection, table: Table, file_name: str, batch_id: int
) -> None:
    con.execute(
        f"INSERT INTO rejected_rows SELECT ?, ?, ?, _row, _fields, _err, _record "
        f"FROM {STAGE} WHERE _err <> ''",
        [batch_id, table.name, file_name],
    )


def merge(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, batch_id: int
) -> tuple[int, int, int]:
    """Merge the good staged rows by key; returns (inserted, updated, unchanged)."""
    col_list = ", ".join(quote_ident(c) for c in stored_columns(table, mapping))
    target = quote_ident(table.name)
    good_rows = "_err = ''"
    if unassigned_split(mapping):
        good_rows += ' AND "customer_id" IS NOT NULL'
    good = scalar(con, f"SELECT count(*) FROM {STAGE} WHERE {good_rows}")
    # Rows that are new or differ from what is stored; identical rows are left alone.
    con.execute(
        f"CREATE TEMP TABLE {CHANGED} AS "
        f"SELECT {col_list} FROM {STAGE} WHERE {good_rows} "
        f"EXCEPT SELECT {col_list} FROM {target} AS t SEMI JOIN {STAGE} AS s "
        f"ON {key_condition(table, 't', 's')}"
    )
    updated = scalar(
        con,
        f"SELECT count(*) FROM {CHANGED} AS c SEMI JOIN {target} AS t "
        f"ON {key_condition(table, 'c', 't')}",
    )
    changed = scalar(con, f"SELECT count(*) FROM {CHANGED}")
    con.execute(
        f"DELETE FROM {target} AS t USING {CHANGED} AS c WHERE {key_condition(table, 't', 'c')}"
    )
    con.execute(
        f"INSERT INTO {target} ({col_list}, batch_id) SELECT {col_list}, {batch_id} FROM {CHANGED}"
    )
    return changed - updated, updated, good - changed


def merge_unassigned(
    con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping, batch_id: int
) -> int:
    """Store the good staged lines without a customer in ``unassigned_invoices``; returns
    their number. A line is kept in one place only: a key now assigned leaves the unassigned
    lines, a key now without a customer leaves the invoices."""
    col_list = ", ".join(quote_ident(c) for c in stored_columns(table, mapping))
    keys = key_condition(table, "t", "s")
    con.execute(
        f"DELETE FROM unassigned_invoices AS t USING {STAGE} AS s WHERE s._err = '' AND {keys}"
    )
    con.execute(
        f"DELETE FROM {quote_ident(table.name)} AS t USING {STAGE} AS s "
        f"WHERE s._err = '' AND s.customer_id IS NULL AND {keys}"
    )
    return scalar(
        con,
        f"INSERT INTO unassigned_invoices ({col_list}, batch_id) "
        f"SELECT {col_list}, {batch_id} FROM {STAGE} WHERE _err = '' AND customer_id IS NULL",
    )
