"""Reading one value or one row of a query that always returns a row.

An aggregate without GROUP BY (``count(*)``, ``max(...)``), ``nextval(...)`` and the row count
DuckDB returns for INSERT and DELETE always give exactly one row; DuckDB's ``fetchone()`` is
typed as possibly None all the same. These helpers read such a row and fail with a clear
message if it is missing, instead of an assert or a ``TypeError`` at every caller.
"""

from __future__ import annotations

from typing import Any

import duckdb

from kundenwert.errors import StoreError


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """The first row of ``sql``, which must return one."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise StoreError(f"Die Abfrage lieferte keine Zeile: {sql[:80]}")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> Any:
    """The first column of the first row of ``sql``, which must return a row."""
    return one_row(con, sql, params)[0]
