"""Store maintenance: keeping the large tables in the order the analyses read them.

Every analysis groups invoice lines and activities by customer. DuckDB stores a table in the
order rows were inserted, which for an ERP export is by invoice number or date: one
customer's lines are spread over the whole table. Rewritten in customer order, a customer's
lines sit together, so a group-by per customer finds its group's state in the cache instead
of at a random place in memory. On 20 million invoice lines and 2 cores a bare sum per
customer took 0.23 s instead of 1.43 s (docs/benchmarks.md, "Review").

:func:`optimize` does that rewrite, in one transaction, and records it, so that ``status``
can say how many rows were imported since. Imports do not sort: sorting each monthly export
alone helps little (a table of ten separately sorted parts: forecast summary 2.76 s, against
3.3 s unsorted and 1.69 s fully sorted), while a full rewrite on every import would cost the
time of the whole table each month.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kundenwert.errors import StoreError
from kundenwert.store.queries import scalar

if TYPE_CHECKING:
    from kundenwert.store.database import Store

# Table -> sort key. The key ends in the table's natural key, so the order is total and a
# rewrite of the same rows gives the same table.
CLUSTER_KEYS: dict[str, tuple[str, ...]] = {
    "invoices": ("customer_id", "date", "invoice_id", "line_no"),
    "activities": ("customer_id", "date", "activity_id"),
}
_STAGING = "kw_optimize_{}"


@dataclass(frozen=True)
class OptimizeResult:
    """What :func:`optimize` did: rows rewritten per table and the time it took."""

    rows: dict[str, int]
    seconds: float
    last_batch_id: int
    finished_at: datetime  # as recorded in optimize_runs (and shown by ``status``)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["finished_at"] = self.finished_at.isoformat(timespec="seconds")
        return out


def optimize(store: Store) -> OptimizeResult:
    """Rewrite invoices and activities sorted by customer and date, atomically.

    A failure or an interruption leaves the tables as they were (one transaction).
    """
    con = store.con
    start = time.perf_counter()
    rows: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        last_batch_id = int(scalar(con, "SELECT coalesce(max(batch_id), 0) FROM import_batches"))
        for table, key in CLUSTER_KEYS.items():
            rows[table] = _rewrite_sorted(con, table, key)
        finished_at = datetime.now()
        con.execute(
            "INSERT INTO optimize_runs VALUES (nextval('optimize_seq'), ?, ?, ?)",
            [finished_at, last_batch_id, sum(rows.values())],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    # Write the new tables out now (and free the old ones' blocks for reuse) rather than
    # leave it to whichever command opens the database next.
    con.execute("CHECKPOINT")
    return OptimizeResult(rows, time.perf_counter() - start, last_batch_id, finished_at)


def _rewrite_sorted(con, table: str, key: tuple[str, ...]) -> int:
    """Copy ``table`` sorted by ``key`` into a table of the same definition, then swap."""
    staging = _STAGING.format(table)
    con.execute(_same_definition(con, table, staging))
    order = ", ".join(key)
    count = con.execute(f"INSERT INTO {staging} SELECT * FROM {table} ORDER BY {order}")
    n = int(count.fetchone()[0])
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {staging} RENAME TO {table}")
    return n


def _same_definition(con, table: str, new_name: str) -> str:
    """The CREATE TABLE statement of ``table`` (constraints and defaults kept) for a new name."""
    row = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database()",
        [table],
    ).fetchone()
    if row is None:
        raise StoreError(f"Die Tabelle {table} fehlt in der Datenbank.")
    sql, replaced = re.subn(
        rf'^CREATE TABLE (?:main\.)?"?{table}"?\s*\(', f"CREATE TABLE {new_name}(", row[0]
    )
    if replaced != 1:  # a format DuckDB may change: fail loudly rather than copy badly
        raise StoreError(f"Die Definition der Tabelle {table} ist unerwartet: {row[0][:80]}")
    return sql


def last_optimize(store: Store) -> dict[str, Any] | None:
    """The latest optimize run and how many rows were imported after it (for ``status``)."""
    con = store.con
    row = con.execute(
        "SELECT finished_at, last_batch_id, rows FROM optimize_runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    finished_at, last_batch_id, rows = row
    since = [
        scalar(con, f"SELECT count(*) FROM {t} WHERE batch_id > ?", [last_batch_id])
        for t in CLUSTER_KEYS
    ]
    return {
        "finished_at": finished_at,
        "last_batch_id": int(last_batch_id),
        "rows": int(rows),
        "rows_imported_since": sum(int(n) for n in since),
    }
