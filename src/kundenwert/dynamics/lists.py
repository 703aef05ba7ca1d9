"""The lists people work through: alerts and next actions, ordered and cut per account manager.

A 2,000-customer company raised over a thousand alerts and two thousand actions; nobody reads
that. The default views show each account manager the few with the most money at stake
(``dynamics.alerts.per_owner``); the whole list stays available (CLI ``--all``, JSON without
``--limit``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def by_stake(alerts: pa.Table) -> pa.Table:
    """Alerts ordered by the money at stake, highest first (then customer and alert)."""
    order = [("stake", "descending"), ("customer_id", "ascending"), ("alert", "ascending")]
    return alerts.sort_by(order)


def per_owner(table: pa.Table, n: int) -> pa.Table:
    """The first ``n`` rows of every account manager (``owner``), in the table's order."""
    owners = table["owner"].to_pylist()
    keep = np.zeros(len(owners), dtype=bool)
    seen: dict[object, int] = {}
    for i, owner in enumerate(owners):
        seen[owner] = seen.get(owner, 0) + 1
        keep[i] = seen[owner] <= n
    return table.filter(pa.array(keep))


def pick(
    table: pa.Table,
    *,
    column: str | None = None,
    value: str | None = None,
    owner_limit: int | None = None,
    limit: int | None = None,
) -> pa.Table:
    """Rows where ``column`` equals ``value`` (when given), at most ``owner_limit`` per account
    manager and ``limit`` in all (None: no cut), in the table's order."""
    if column is not None and value is not None:
        table = table.filter(pc.equal(table[column], value))
    if owner_limit is not None:
        table = per_owner(table, owner_limit)
    return table.slice(0, limit) if limit is not None else table
