"""Reading one value or one row of a query that always returns a row.

An aggregate without GROUP BY (``count(*)``, ``max(...)``), ``nextval(...)`` and the row count
DuckDB returns for INSERT and DELETE always give exactly one row; DuckDB's ``fetchone()`` is
typed as possibly None all the same. These helpers read such a row and fail with a clear
message if it is missing, instead of an assert or a ``TypeError`` at every caller.

DuckDB's replacement scan finds a Python object named in the SQL (the import's ``kw_src``
chunk) only among the locals of the frame that calls ``execute``: a statement over such an
object is executed by its caller, which hands the result to :func:`fetch_scalar`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from kundenwert.errors import StoreError


def fetch_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The next row of an executed statement, which must have one."""
    row = result.fetchone()
    if row is None:
        raise StoreError("Die Abfrage lieferte keine Zeile.")
    return row


def fetch_scalar(result: duckdb.DuckDBPyConnection) -> Any:
    """The first value of the next row of an executed statement, which must have one."""
    return fetch_row(result)[0]


def dict_rows(result: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every remaining row of an executed statement as a dict by column name."""
    names = [d[0] for d in result.description or ()]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """The first row of ``sql``, which must return one."""
    return fetch_row(con.execute(sql, params))


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> Any:
    """The first column of the first row of ``sql``, which must return a row."""
    return fetch_row(con.execute(sql, params))[0]
