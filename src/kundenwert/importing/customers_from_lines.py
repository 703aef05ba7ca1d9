"""Customers created from invoice lines, for exports that come without a customer file.

With ``create_customers`` an invoice import first adds every customer number its valid lines
name that the database does not know, taking further customer fields (``customer_columns``,
e.g. the country) from the customer's latest line in the file. The name is the customer number
unless a column for it is mapped. The new customers are recorded as their own import batch of
the customers table, so their origin can be traced.
"""

from __future__ import annotations

import duckdb

from kundenwert.importing.mapping import Mapping
from kundenwert.importing.parsing import ColumnBuilder, quote_ident
from kundenwert.importing.sources import Source
from kundenwert.importing.validation import validation_sql
from kundenwert.schema import CUSTOMERS, Table
from kundenwert.store.queries import scalar


def create_customers(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    mapping: Mapping,
    source: Source,
    batch_id: int,
    *,
    date_format: str | None,
    lang: str,
) -> int:
    """Insert the unknown customers of the (registered) source; returns how many."""
    builder = ColumnBuilder(decimal=source.decimal, date_format=date_format, lang=lang)
    columns = mapping.customer_headers
    extra = {}
    for column, header in columns.items():
        text = header in source.text_columns
        extra[f"__c_{column}"] = builder.parse(
            CUSTOMERS.column(column), builder.clean(header, text=text), text=text
        )
    scan = validation_sql(
        table,
        mapping,
        source,
        date_format=date_format,
        lang=lang,
        inline_references=False,
        with_record=False,
        extra=extra,
    )
    # The latest line's value of each column; the customer number stands in for a name.
    values = {c: f"arg_max({quote_ident(f'__c_{c}')}, _row)" for c in columns}
    values["name"] = f"coalesce({values.get('name', 'NULL')}, customer_id)"
    targets = ", ".join(quote_ident(c) for c in values)
    selected = ", ".join(values.values())
    return scalar(
        con,
        f"INSERT INTO customers (customer_id, {targets}, batch_id) "
        f"SELECT customer_id, {selected}, {batch_id} FROM ({scan}) "
        f"WHERE _err = '' AND customer_id IS NOT NULL "
        f"AND customer_id NOT IN (SELECT customer_id FROM customers) GROUP BY customer_id",
    )
