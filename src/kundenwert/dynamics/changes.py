"""Review-to-review changes: class and quadrant migrations as matrices, per customer, and the
customers who moved most (by value score).

Both reviews are read as stored (the computed class and quadrant of each snapshot): a
comparison of last year's review with this year's must not change when an override is set
today. A customer in only one of the two reviews appears as ``new`` or ``gone``.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa

from kundenwert.errors import NotFoundError

ABSENT = {"from": "new", "to": "gone"}


@dataclass
class ReviewChanges:
    from_id: int
    to_id: int
    class_matrix: pa.Table  # from_class, to_class, customers
    quadrant_matrix: pa.Table  # from_quadrant, to_quadrant, customers
    moved: pa.Table  # customers whose class or quadrant changed
    top_movers: pa.Table  # largest absolute change of the value score


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
    store, from_id: int | None = None, to_id: int | None = None, *, top: int = 20
) -> ReviewChanges:
    """Compare two reviews (default: the latest and the one before it)."""
    from_id, to_id = _review_ids(store, from_id, to_id)
    backend = store.ibis()
    rc = backend.table("review_customers")
    cols = ["customer_id", "name", "abc_class", "quadrant", "value_score", "revenue"]
    a = rc.filter(rc.review_id == from_id).select(*cols)
    b = rc.filter(rc.review_id == to_id).select(*cols)
    j = a.outer_join(b, "customer_id", lname="{name}_from", rname="{name}_to")
    j = j.select(
        customer_id=ibis.coalesce(j.customer_id_from, j.customer_id_to),
        name=ibis.coalesce(j.name_to, j.name_from),
        class_from=j.abc_class_from.fill_null(ABSENT["from"]),
        class_to=j.abc_class_to.fill_null(ABSENT["to"]),
        quadrant_from=j.quadrant_from.fill_null(ABSENT["from"]),
        quadrant_to=j.quadrant_to.fill_null(ABSENT["to"]),
        score_from=j.value_score_from,
        score_to=j.value_score_to,
        score_change=j.value_score_to - j.value_score_from,
        revenue_from=j.revenue_from.cast("float64"),
        revenue_to=j.revenue_to.cast("float64"),
    )
    class_matrix = (
        j.group_by(["class_from", "class_to"])
        .aggregate(customers=j.count())
        .order_by(["class_from", "class_to"])
    )
    quadrant_matrix = (
        j.group_by(["quadrant_from", "quadrant_to"])
        .aggregate(customers=j.count())
        .order_by(["quadrant_from", "quadrant_to"])
    )
    moved = j.filter((j.class_from != j.class_to) | (j.quadrant_from != j.quadrant_to))
    movers = j.filter(j.score_change.notnull()).order_by(
        [ibis.desc(j.score_change.abs()), "customer_id"]
    )
    return ReviewChanges(
        from_id=from_id,
        to_id=to_id,
        class_matrix=backend.to_pyarrow(class_matrix),
        quadrant_matrix=backend.to_pyarrow(quadrant_matrix),
        moved=backend.to_pyarrow(moved.order_by("customer_id")),
        top_movers=backend.to_pyarrow(movers.limit(top)),
    )
