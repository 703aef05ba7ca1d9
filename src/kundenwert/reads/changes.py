"""Review-to-review changes: class and quadrant migrations as matrices, per customer, and the
customers who moved most.

Both reviews are read as stored (the computed class and quadrant of each snapshot): a
comparison of last year's review with this year's must not change when an override is set
today. A customer in only one of the two reviews appears as ``new`` or ``gone``.

One ranking for every edge: customers are ordered by the absolute change of the value score
(``rank="score"``, the default: the review's own measure of value), or, when asked, of the
revenue (``rank="revenue"``); ties by customer number. `kundenwert changes --rank`, the web's
comparison page (``?rank=``) and ``GET /api/v1/changes?rank=`` take the same choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa

from kundenwert.errors import InputError, NotFoundError
from kundenwert.reads.scope import EVERYONE, Scope

ABSENT = {"from": "new", "to": "gone"}
Rank = Literal["score", "revenue"]
RANKS: dict[str, str] = {"score": "score_change", "revenue": "revenue_change"}


@dataclass
class ReviewChanges:
    from_id: int
    to_id: int
    rank: str  # "score" or "revenue"
    class_matrix: pa.Table  # class_from, class_to, customers
    quadrant_matrix: pa.Table  # quadrant_from, quadrant_to, customers
    moved: pa.Table  # customers whose class or quadrant changed, by the rank
    top_movers: pa.Table  # customers in both reviews with the largest change, by the rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_id,
            "to": self.to_id,
            "rank": self.rank,
            "class_matrix": self.class_matrix.to_pylist(),
            "quadrant_matrix": self.quadrant_matrix.to_pylist(),
            "moved": self.moved.to_pylist(),
            "top_movers": self.top_movers.to_pylist(),
        }


def _review_ids(store, from_id: int | None, to_id: int | None) -> tuple[int, int]:
    ids = [r[0] for r in store.con.execute("SELECT review_id FROM reviews ORDER BY 1").fetchall()]
    if to_id is None:
        to_id = ids[-1] if ids else None
    if from_id is None and to_id is not None:
        before = [i for i in ids if i < to_id]
        from_id = before[-1] if before else None
    if from_id is None or to_id is None or from_id not in ids or to_id not in ids:
        raise NotFoundError(
            "Für einen Vergleich braucht es zwei gespeicherte Reviews.",
            hint="`kundenwert reviews` listet sie; `kundenwert review --as-of ...` legt eines an.",
        )
    return from_id, to_id


def review_changes(
    store,
    from_id: int | None = None,
    to_id: int | None = None,
    *,
    top: int = 20,
    scope: Scope = EVERYONE,
    rank: str = "score",
    moved_limit: int | None = None,
) -> ReviewChanges:
    """Compare two reviews (default: the latest and the one before it) within ``scope``."""
    if rank not in RANKS:
        raise InputError(f"Unbekannte Rangfolge {rank!r}.", hint=f"Erlaubt: {', '.join(RANKS)}.")
    from_id, to_id = _review_ids(store, from_id, to_id)
    where, params = scope.where("cu")
    order = f"abs({RANKS[rank]}) DESC NULLS LAST, customer_id"
    con = store.con.cursor()
    try:
        # The joined rows once (as Arrow: the store may be open read-only), then four reads.
        joined = con.execute(
            "WITH a AS (SELECT * FROM review_customers WHERE review_id = ?), "
            "b AS (SELECT * FROM review_customers WHERE review_id = ?), "
            "j AS (SELECT coalesce(a.customer_id, b.customer_id) AS customer_id, "
            "  coalesce(b.name, a.name) AS name, "
            "  coalesce(a.abc_class, ?) AS class_from, coalesce(b.abc_class, ?) AS class_to, "
            "  coalesce(a.quadrant, ?) AS quadrant_from, coalesce(b.quadrant, ?) AS quadrant_to, "
            "  a.value_score AS score_from, b.value_score AS score_to, "
            "  b.value_score - a.value_score AS score_change, "
            "  CAST(a.revenue AS DOUBLE) AS revenue_from, CAST(b.revenue AS DOUBLE) AS revenue_to, "
            "  CAST(b.revenue AS DOUBLE) - CAST(a.revenue AS DOUBLE) AS revenue_change "
            "  FROM a FULL JOIN b ON a.customer_id = b.customer_id) "
            "SELECT j.* FROM j LEFT JOIN (SELECT DISTINCT ON (customer_id) customer_id, "
            "  account_manager FROM customers) cu USING (customer_id) "
            f"WHERE {where}",
            [from_id, to_id, ABSENT["from"], ABSENT["to"], ABSENT["from"], ABSENT["to"], *params],
        ).to_arrow_table()
        con.register("_changes", joined)

        def arrow(sql: str, args: list | None = None) -> pa.Table:
            return con.execute(sql, args or []).to_arrow_table()

        matrix = "SELECT {0}_from, {0}_to, count(*) AS customers FROM _changes GROUP BY ALL "
        limit = "" if moved_limit is None else f" LIMIT {int(moved_limit)}"
        out = ReviewChanges(
            from_id=from_id,
            to_id=to_id,
            rank=rank,
            class_matrix=arrow(matrix.format("class") + "ORDER BY 1, 2"),
            quadrant_matrix=arrow(matrix.format("quadrant") + "ORDER BY 1, 2"),
            moved=arrow(
                "SELECT * FROM _changes WHERE class_from <> class_to "
                f"OR quadrant_from <> quadrant_to ORDER BY {order}{limit}"
            ),
            top_movers=arrow(
                f"SELECT * FROM _changes WHERE {RANKS[rank]} IS NOT NULL ORDER BY {order} LIMIT ?",
                [top],
            ),
        )
        con.unregister("_changes")
        return out
    finally:
        con.close()


def class_migrations(store, scope: Scope, from_id: int, to_id: int) -> list[dict[str, Any]]:
    """Customers in both reviews whose computed class moved: counts per (before, after)."""
    where, params = scope.where("cu")
    cur = store.con.execute(
        "SELECT a.abc_class AS before, b.abc_class AS after, count(*) AS n "
        "FROM review_customers a JOIN review_customers b USING (customer_id) "
        "LEFT JOIN (SELECT DISTINCT ON (customer_id) * FROM customers) cu "
        "USING (customer_id) "
        "WHERE a.review_id = ? AND b.review_id = ? AND a.abc_class <> b.abc_class "
        f"AND {where} GROUP BY 1, 2 ORDER BY 1, 2",
        [from_id, to_id, *params],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
