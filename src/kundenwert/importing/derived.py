"""Columns an export does not hold as such: computed from its fields, or set by rules.

Three settings of a table's import produce them (see :class:`~kundenwert.settings.TableImport`):
``computed`` (a SQL expression over the file's headers), ``rules`` (a value where a field equals
one of some values or starts with a prefix) and, for invoices, ``credit_note_prefix``. Each
becomes one extra column of the scanned source, named ``=<column>``, which the mapping then
uses like a header; validation, rejected rows and merging are the same as for any column.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from kundenwert.errors import ImportFileError
from kundenwert.i18n import translate
from kundenwert.importing.messages import TEXT
from kundenwert.importing.parsing import quote_ident, sql_literal
from kundenwert.schema import Table
from kundenwert.settings import TableImport
from kundenwert.sqlexpr import check_expression

PREFIX = "="


@dataclass(frozen=True)
class Derived:
    """One derived column: its SQL over the file's columns, and whether it yields text."""

    column: str
    sql: str
    text: bool | None  # None: known only once the engine has typed the expression
    setting: str  # the configuration key that defines it, for messages
    reads: frozenset[str] = frozenset()  # the file's headers it reads

    @property
    def alias(self) -> str:
        return PREFIX + self.column


class HeaderIndex:
    """The file's headers by their trimmed lower-case form: a header named in the
    configuration matches whatever its case and surrounding blanks."""

    def __init__(self, headers: list[str], *, table: str, file: str, lang: str) -> None:
        self.headers, self.table, self.file, self.lang = headers, table, file, lang
        self._by_key = {h.strip().lower(): h for h in headers}

    def get(self, name: str) -> str | None:
        return self._by_key.get(name.strip().lower())

    def find(self, name: str, setting: str) -> str:
        """The header ``name`` as the file spells it; raises ImportFileError naming
        ``setting`` when the file has no such column."""
        found = self.get(name)
        if found is None:
            raise ImportFileError(
                translate(
                    TEXT,
                    "derived_header_absent",
                    self.lang,
                    file=self.file,
                    setting=setting,
                    header=name,
                    headers=", ".join(self.headers),
                ),
                hint=translate(TEXT, "derived_hint", self.lang, table=self.table),
                file=self.file,
                column=setting,
            )
        return found


def derived_columns(
    table: Table,
    spec: TableImport,
    headers: list[str],
    mapped: dict[str, str],
    *,
    file: str,
    lang: str,
) -> list[Derived]:
    """The derived columns of ``table`` for a file with ``headers``; ``mapped`` maps our
    columns to headers already found. Raises ImportFileError naming a header that is absent."""
    header = HeaderIndex(headers, table=table.name, file=file, lang=lang).find

    out: dict[str, Derived] = {}
    for column, expression in spec.computed.items():
        setting = f"import.tables.{table.name}.computed.{column}"
        reads = frozenset(header(name, setting) for name in check_expression(expression))
        out[column] = Derived(column, f"({expression})", None, setting, reads)

    def base(column: str) -> str:
        if column in out:
            return out[column].sql
        if column in mapped:
            return quote_ident(mapped[column])
        return "NULL"

    for column, (whens, reads) in _rules(table, spec, header).items():
        sql = f"CASE {' '.join(whens)} ELSE CAST({base(column)} AS VARCHAR) END"
        if column in out:
            reads |= out[column].reads
        out[column] = Derived(column, sql, True, f"import.tables.{table.name}.rules", reads)

    if spec.credit_note_prefix is not None:
        invoice = base("invoice_id")
        sql = (
            f"starts_with(trim(CAST({invoice} AS VARCHAR)), {sql_literal(spec.credit_note_prefix)})"
        )
        out["credit_note"] = Derived(
            "credit_note", sql, False, f"import.tables.{table.name}.credit_note_prefix"
        )
    return list(out.values())


def _rules(table: Table, spec: TableImport, header) -> dict[str, tuple[list[str], frozenset[str]]]:
    """Per column its rules as CASE branches, in order, and the headers they read."""
    out: dict[str, tuple[list[str], frozenset[str]]] = {}
    for i, rule in enumerate(spec.rules):
        whens, reads = out.get(rule.column, ([], frozenset()))
        if rule.header is None:
            condition = "true"
        else:
            found = header(rule.header, f"import.tables.{table.name}.rules[{i}]")
            reads |= {found}
            field = f"trim(CAST({quote_ident(found)} AS VARCHAR))"
            if rule.prefix is not None:
                condition = f"starts_with({field}, {sql_literal(rule.prefix)})"
            else:
                condition = f"{field} IN ({', '.join(sql_literal(v) for v in rule.equals)})"
        out[rule.column] = ([*whens, f"WHEN {condition} THEN {sql_literal(rule.value)}"], reads)
    return out


def source_sql(source_view: str, derived: list[Derived]) -> str:
    """The scanned source with the derived columns added."""
    if not derived:
        return source_view
    extra = ", ".join(f"{d.sql} AS {quote_ident(d.alias)}" for d in derived)
    return f"(SELECT *, {extra} FROM {source_view})"


def type_derived(
    con: duckdb.DuckDBPyConnection,
    derived: list[Derived],
    empty: pa.Table,
    *,
    file: str,
    lang: str,
) -> set[str]:
    """Let the engine type the derived columns on ``empty``, a table without rows shaped like
    the file; returns the aliases that yield text.

    An expression the engine cannot bind (a function that does not exist, text times text)
    fails here, before anything is written, with the setting named.
    """
    kw_probe = empty  # found by DuckDB's replacement scan under this local name
    text: set[str] = set()
    for d in derived:
        try:
            rows = con.execute(
                f"DESCRIBE SELECT {d.sql} AS {quote_ident(d.alias)} FROM kw_probe"
            ).fetchall()
        except duckdb.Error as exc:
            raise ImportFileError(
                translate(
                    TEXT,
                    "derived_invalid",
                    lang,
                    file=file,
                    setting=d.setting,
                    error=str(exc).splitlines()[0],
                ),
                hint=translate(TEXT, "derived_invalid_hint", lang),
                file=file,
                column=d.setting,
            ) from exc
        if d.text or (d.text is None and rows[0][1] == "VARCHAR"):
            text.add(d.alias)
    del kw_probe
    return text


def number_macro(decimal: str) -> str:
    """``number(x)`` for computed columns: a text field read as a number with the file's
    decimal separator (typed fields pass through)."""
    parse = "kw_num_comma" if decimal == "," else "kw_num_dot"
    return (
        "CREATE OR REPLACE TEMP MACRO number(x) AS "
        f"TRY_CAST({parse}(kw_compact(CAST(x AS VARCHAR))) AS DOUBLE)"
    )
