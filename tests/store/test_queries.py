"""store.queries: one value or one row of a query that must return a row."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from kundenwert.errors import StoreError
from kundenwert.store.queries import dict_rows, fetch_row, fetch_scalar, one_row, scalar


def test_scalar_reads_the_first_column_of_the_first_row() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER, y VARCHAR)")
    con.execute("INSERT INTO t VALUES (3, 'a'), (4, 'b'), (5, NULL)")
    assert scalar(con, "SELECT count(*) FROM t") == 3
    assert scalar(con, "SELECT sum(x) FROM t WHERE x > ?", [3]) == 9
    # a row whose value is NULL is a value (None), not a missing row
    assert scalar(con, "SELECT y FROM t WHERE x = ?", [5]) is None
    # INSERT returns the number of rows it wrote
    assert scalar(con, "INSERT INTO t SELECT x + 10, y FROM t WHERE x >= 4") == 2


def test_one_row_returns_the_whole_row() -> None:
    con = duckdb.connect()
    assert one_row(con, "SELECT 1, 'zwei', NULL") == (1, "zwei", None)


def test_a_missing_row_is_a_store_error() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(StoreError, match="keine Zeile"):
        scalar(con, "SELECT x FROM t")
    with pytest.raises(StoreError, match="keine Zeile"):
        one_row(con, "SELECT x FROM t WHERE x = ?", [1])


def test_a_python_object_is_found_only_when_the_caller_executes() -> None:
    """DuckDB's replacement scan looks in the frame calling execute (the chunked import)."""
    con = duckdb.connect()
    kw_rows = pa.table({"x": [1, 2, 3, 4]})
    assert kw_rows.num_rows == 4
    assert fetch_scalar(con.execute("SELECT count(*) FROM kw_rows WHERE x > 1")) == 3
    assert fetch_row(con.execute("SELECT min(x), max(x) FROM kw_rows")) == (1, 4)
    with pytest.raises(duckdb.CatalogException, match="kw_rows"):
        scalar(con, "SELECT count(*) FROM kw_rows")


def test_dict_rows_names_every_value_by_its_column() -> None:
    con = duckdb.connect()
    rows = dict_rows(con.execute("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s) ORDER BY n"))
    assert rows == [{"n": 1, "s": "a"}, {"n": 2, "s": "b"}]
    assert dict_rows(con.execute("SELECT 1 AS n WHERE false")) == []
