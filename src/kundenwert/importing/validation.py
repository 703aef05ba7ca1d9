"""The query that reads a registered source and says, for every row, its values and its faults.

``validation_sql`` yields one row per source row: ``_row`` (the row number in the file), the
typed columns under our names, ``_err`` (all reasons, '' when the row is good), ``_fields`` (the
fields at fault) and optionally ``_record`` (the row as read, as JSON, for rejected rows only).
Both import paths (:mod:`kundenwert.importing.direct` and :mod:`kundenwert.importing.staged`)
are built on it.
"""

from __future__ import annotations

from kundenwert.i18n import translate
from kundenwert.importing.derived import source_sql
from kundenwert.importing.mapping import Mapping
from kundenwert.importing.messages import REASONS
from kundenwert.importing.parsing import ColumnBuilder, quote_ident, reason_sql, sql_literal
from kundenwert.importing.sources import Source
from kundenwert.schema import Table

SOURCE_VIEW = "kw_src"


def derives_line_no(table: Table, mapping: Mapping) -> bool:
    """Invoices without a line_no column are numbered 1, 2, ... in file order per invoice."""
    return table.name == "invoices" and "line_no" not in mapping.columns


def stored_columns(table: Table, mapping: Mapping) -> list[str]:
    """Our columns this file provides, in table order."""
    return [
        c
        for c in table.column_names
        if c in mapping.columns or (c == "line_no" and derives_line_no(table, mapping))
    ]


def unassigned_split(mapping: Mapping) -> bool:
    """Invoice lines without a customer go to ``unassigned_invoices`` rather than rejected."""
    return "customer_id" in mapping.optional


def typed_headers(table: Table, mapping: Mapping, source: Source) -> dict[str, str]:
    """The file's headers DuckDB's CSV reader may parse itself, with their SQL type: amounts
    (DECIMAL), which it parses as the text path does (:mod:`kundenwert.importing.csvnative`
    says where not). A header a derived column reads stays text, as that column expects."""
    derived_sql = " ".join(d.sql for d in mapping.derived)
    read = set().union(*(d.reads for d in mapping.derived))
    by_header: dict[str, set[str]] = {}
    for col in table.columns:
        header = mapping.columns.get(col.name)
        if header is not None:
            by_header.setdefault(header, set()).add(col.sql_type if col.type == "decimal" else "")
    return {
        h: types.pop()
        for h, types in by_header.items()
        if len(types) == 1
        and "" not in types
        and h in source.text_columns
        and h not in read
        and quote_ident(h) not in derived_sql
    }


def key_condition(table: Table, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{quote_ident(k)} = {right}.{quote_ident(k)}" for k in table.key)


def parsed_record(table: Table, mapping: Mapping, alias: str = "s") -> str:
    """JSON of a row's parsed values under the file's headers, for rows rejected after parsing
    (duplicates, unknown references), whose text form is no longer at hand."""
    pairs = ", ".join(
        f"{sql_literal(mapping.columns.get(c, c))}, {alias}.{quote_ident(c)}"
        for c in stored_columns(table, mapping)
    )
    return f"json_object({pairs})"


def duplicate_reason_sql(table: Table, lang: str, *, row: str, first: str) -> str:
    """The reason for a duplicate key as SQL: ``row`` is the rejected row's alias, ``first`` the
    expression of the row number that was stored instead."""
    shown = " || ' / ' || ".join(f"CAST({row}.{quote_ident(k)} AS VARCHAR)" for k in table.key)
    template = translate(
        REASONS, "duplicate_key", lang, field=", ".join(table.key), value="\x00", first="\x01"
    )
    before, rest = template.split("\x00")
    middle, after = rest.split("\x01")
    return (
        f"({sql_literal(before)} || {shown} || {sql_literal(middle)} || {first} || "
        f"{sql_literal(after)})"
    )


def erased_sql(table: Table, mapping: Mapping) -> str:
    """SQL that is true for a row naming an erased person (``Table.erasure``), else 'false'.

    A plain join on the id: hashing every row of a 20-million-line activity file would cost
    seconds per million rows (sha256 in DuckDB: about 0.6 s per million)."""
    erasure = table.erasure
    if erasure is None or erasure.column not in mapping.columns:
        return "false"
    v = quote_ident(f"__v_{erasure.column}")
    return f"coalesce({v} IN (SELECT contact_id FROM erased_contacts), false)"


def validation_sql(
    table: Table,
    mapping: Mapping,
    source: Source,
    *,
    date_format: str | None,
    lang: str,
    inline_references: bool,
    with_record: bool,
    extra: dict[str, str] | None = None,
    typed: frozenset[str] = frozenset(),
) -> str:
    """The SELECT over ``kw_src`` described in the module docstring.

    ``inline_references`` checks references (customer exists) in the same scan; otherwise the
    caller checks them later on the narrower staged rows. ``extra`` adds columns (alias to
    SQL over the source's columns) to the output as they are. ``typed`` names text headers
    the scanned view holds already parsed (DuckDB's CSV reader, :func:`typed_headers`).
    """
    builder = ColumnBuilder(decimal=source.decimal, date_format=date_format, lang=lang)
    cleaned: list[str] = []
    first: list[str] = []
    parsed: list[str] = []
    problems: list[tuple[str, str, str]] = []  # (field, condition, reason expression)
    extra = extra or {}
    settings_of = {d.column: d.setting for d in mapping.derived}
    cleaned.extend(f"{sql} AS {quote_ident(alias)}" for alias, sql in extra.items())
    for col in table.columns:
        header = mapping.columns.get(col.name)
        if header is None:
            continue
        t, f, v = (quote_ident(f"__{p}_{col.name}") for p in ("t", "f", "v"))
        text = header in source.text_columns and header not in typed
        cleaned.append(f"{builder.clean(header, text=text)} AS {t}")
        first.append(f"{builder.parse(col, t, text=text)} AS {f}")
        fallback = builder.fallback(col, t, text=text)
        parsed.append(
            f"CASE WHEN {f} IS NULL AND {t} IS NOT NULL THEN {fallback} ELSE {f} END AS {v}"
            if fallback
            else f"{f} AS {v}"
        )
        required = (col.required or col.name in table.key) and col.name not in mapping.optional
        setting = settings_of.get(col.name)
        # A condition that can never hold still costs its evaluation on every row.
        can_fail = not builder.never_fails(col, text=text, typed=header in typed)
        checks = builder.column(col, t, v, required=required, setting=setting, can_fail=can_fail)
        problems.extend(checks.problems)
    if derives_line_no(table, mapping):
        parsed.append(
            'row_number() OVER (PARTITION BY "__v_invoice_id" ORDER BY _row)::INTEGER '
            'AS "__v_line_no"'
        )
    for check in table.checks:
        if check.column in mapping.columns and check.not_before in mapping.columns:
            v, w = quote_ident(f"__v_{check.column}"), quote_ident(f"__v_{check.not_before}")
            t = quote_ident(f"__t_{check.column}")
            problems.append((check.column, f"{v} < {w}", reason_sql(check.message_key, lang, t)))
    if inline_references:
        for column, ref_table in table.references.items():
            v = quote_ident(f"__v_{column}")
            known = f"(SELECT {quote_ident(column)} FROM {quote_ident(ref_table)})"
            reason = reason_sql("unknown_reference", lang, v, field=column, table=ref_table)
            problems.append((column, f"{v} IS NOT NULL AND {v} NOT IN {known}", reason))
    erased = erased_sql(table, mapping)
    if erased != "false" and table.erasure and table.erasure.refuse:
        erased_col = table.erasure.column
        problems.append((erased_col, erased, reason_sql("erased_contact", lang, field=erased_col)))
    errors = ", ".join(f"CASE WHEN {cond} THEN {reason} END" for _, cond, reason in problems)
    fields = ", ".join(f"CASE WHEN {cond} THEN {sql_literal(n)} END" for n, cond, _ in problems)
    # Whether any reason applies, without building the reasons: all the good rows' scan needs.
    bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in problems) or "false"
    blank = set(table.erasure.blank) if table.erasure else set()
    stored = ", ".join(
        f"CASE WHEN _erased THEN NULL ELSE {quote_ident(f'__v_{c}')} END AS {quote_ident(c)}"
        if c in blank
        else f"{quote_ident(f'__v_{c}')} AS {quote_ident(c)}"
        for c in stored_columns(table, mapping)
    )
    record = ""
    if with_record:
        pairs = ", ".join(f"{sql_literal(h)}, {quote_ident(h)}" for h in source.headers)
        # An erased person's row is never kept as read: it would bring their data back.
        record = (
            f", CASE WHEN _err <> '' THEN CASE WHEN _erased THEN json_object() "
            f"ELSE json_object({pairs}) END END AS _record"
        )
    passed = "".join(f", {quote_ident(alias)}" for alias in extra)
    return f"""
        WITH c AS (SELECT *, {", ".join(cleaned)} FROM {source_sql(SOURCE_VIEW, mapping.derived)}),
        f AS (SELECT *, {", ".join(first)} FROM c),
        p AS (SELECT *, {", ".join(parsed)} FROM f),
        e AS (
            SELECT p.*, concat_ws('; ', {errors}) AS _err, concat_ws(', ', {fields}) AS _fields,
                {erased} AS _erased, {bad} AS _bad
            FROM p
        )
        SELECT _row, {stored}, _err, _fields, _bad {record} {passed}
        FROM e
    """
