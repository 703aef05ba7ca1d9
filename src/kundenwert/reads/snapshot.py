"""A review's customer table held in an in-memory DuckDB database for fast reads.

Built once per review (the web keeps it per data generation, the CLI for one command): the
effective customer table with the master data (sorted by the ABC measure, with a lower-cased
search column), the dynamics tables when known (alerts, actions) and, for the customer page,
the activity log sorted by customer, so that one customer's rows are found by zone maps rather
than a scan. Reads then run on a cursor of this database, never on the file.
"""

from __future__ import annotations

import threading
from typing import Any

import duckdb
import pyarrow as pa

#: Per-customer reads copied sorted by customer, so that zone maps find one customer's rows.
_COPIES = {
    "activities": "SELECT customer_id, date, kind, hours, cost, free_of_charge, performed_by, "
    "description, initiated_by FROM activities ORDER BY customer_id, date DESC",
    "surveys": "SELECT customer_id, date, satisfaction, recommend, why_chosen, early_hesitation, "
    "would_miss, would_recommend_to, comment FROM surveys ORDER BY customer_id, date DESC",
}


class Snapshot:
    def __init__(
        self,
        table: pa.Table,
        store_con,
        *,
        alerts: pa.Table | None = None,
        actions: pa.Table | None = None,
        dynamics: Any = None,
        logs: bool = True,
    ) -> None:
        self.dynamics = dynamics
        self.db = duckdb.connect()
        # Many requests run at once: one thread per query serves them better than two each.
        self.db.execute("SET threads = 1")
        self.db.register("src", table)
        # Row i of `table` is the row of `frame` whose rowid is i: a page takes its rows from
        # the columnar table by position, which is cheaper than fetching them from `frame`.
        self.table = self.db.execute(
            "SELECT * FROM src ORDER BY abc_measure DESC, customer_id"
        ).to_arrow_table()
        self.db.unregister("src")
        self.db.register("src", self.table)
        self.db.execute(
            "CREATE TABLE frame AS SELECT *, "
            "lower(customer_id || ' ' || coalesce(name, '')) AS search_text FROM src"
        )
        self.db.unregister("src")
        # One customer's page looks it up by number: an index instead of a scan.
        self.db.execute("CREATE INDEX frame_customer ON frame (customer_id)")
        for name, extra in (("alerts", alerts), ("actions", actions)):
            if extra is not None:
                self.db.register("src", extra)
                self.db.execute(f"CREATE TABLE {name} AS SELECT * FROM src ORDER BY customer_id")
                self.db.execute(f"CREATE INDEX {name}_customer ON {name} (customer_id)")
                self.db.unregister("src")
        for name, sql in _COPIES.items() if logs else ():
            self.db.register("src", store_con.execute(sql).to_arrow_table())
            self.db.execute(f"CREATE TABLE {name} AS SELECT * FROM src")
            self.db.execute(f"CREATE INDEX {name}_customer ON {name} (customer_id)")
            self.db.unregister("src")
        self.columns = set(table.column_names)
        self.has_dynamics = alerts is not None
        self._memo: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def cursor(self):
        return self.db.cursor()

    def rows_at(self, positions: list[int], columns: tuple[str, ...] | None = None) -> list[dict]:
        """The rows of ``frame`` with these rowids, in this order (all or some columns)."""
        table = self.table
        if columns is not None:
            table = table.select([c for c in columns if c in self.columns])
        return table.take(pa.array(positions, pa.int64())).to_pylist()

    def memo(self, key: tuple, compute) -> Any:
        """A result that stays valid as long as this snapshot (overview figures, choices)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def close(self) -> None:
        self.db.close()


def enrich(con, customers: pa.Table) -> pa.Table:
    """The effective review table with the master data lists filter on."""
    con.register("_eff", customers)
    try:
        return con.execute(
            "SELECT e.*, cu.account_manager, cu.city, cu.industry, cu.country "
            "FROM _eff e LEFT JOIN (SELECT DISTINCT ON (customer_id) * FROM customers) cu "
            "USING (customer_id) ORDER BY e.abc_measure DESC, e.customer_id"
        ).to_arrow_table()
    finally:
        con.unregister("_eff")


def per_customer(result, lang: str) -> pa.Table:
    """customer_id, trajectory, phase, evidence and the list of alerts of each customer."""
    customers = result.customers(lang).select(
        ["customer_id", "trajectory", "confidence", "phase", "evidence"]
    )
    con = duckdb.connect()
    try:
        con.register("c", customers)
        con.register("a", result.alerts)
        return con.execute(
            "SELECT c.*, coalesce(list(a.alert ORDER BY a.alert) FILTER "
            "(WHERE a.alert IS NOT NULL), []) AS alerts "
            "FROM c LEFT JOIN a USING (customer_id) GROUP BY ALL"
        ).to_arrow_table()
    finally:
        con.close()


def with_dynamics(base: pa.Table, result, lang: str) -> pa.Table:
    """The review's customer table with the dynamics columns joined on."""
    con = duckdb.connect()
    try:
        con.register("b", base)
        con.register("d", per_customer(result, lang))
        return con.execute(
            "SELECT b.*, d.* EXCLUDE (customer_id) FROM b LEFT JOIN d USING (customer_id) "
            "ORDER BY b.abc_measure DESC, b.customer_id"
        ).to_arrow_table()
    finally:
        con.close()


def open_snapshot(store, review_id: int, *, dynamics: Any = None, lang: str = "de",
                  logs: bool = True) -> Snapshot:  # fmt: skip
    """A review's snapshot: its effective customers (overrides applied) with master data and,
    given the dynamics result of the same review, trajectories, phases, alerts and actions."""
    from kundenwert.review import load_review

    table = enrich(store.con, load_review(store, review_id).customers)
    if dynamics is None:
        return Snapshot(table, store.con, logs=logs)
    return Snapshot(
        with_dynamics(table, dynamics, lang),
        store.con,
        alerts=dynamics.alerts,
        actions=dynamics.actions,
        dynamics=dynamics,
        logs=logs,
    )


def latest_review_id(store) -> int | None:
    row = store.con.execute("SELECT max(review_id) FROM reviews").fetchone()
    return int(row[0]) if row and row[0] is not None else None
