"""A review per business unit (:mod:`kundenwert.review.units`): rows and a summary per unit.

Each row is one customer in one business unit that serves it, with the unit's figures and,
beside them, the company view of the same customer (the computed values of the review's
customer row; overrides belong to the company view and are not applied to a unit). The CLI
(`kundenwert units`), the web's customer page, the workbook and the API read these.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from kundenwert.errors import NotFoundError
from kundenwert.reads.scope import EVERYONE, Scope
from kundenwert.store.queries import dict_rows

#: The company view beside a unit's row: review_customers column -> name in the row.
COMPANY = {
    "value_score": "company_value_score",
    "score_class": "company_score_class",
    "abc_class": "company_abc_class",
    "quadrant": "company_quadrant",
    "service_level": "company_service_level",
    "revenue": "company_revenue",
}
#: Columns of a unit row, in the order tables show them (the contributions come last).
ROW_COLUMNS = (
    "customer_id",
    "name",
    "business_unit",
    "home",
    "units",
    "revenue",
    "margin_3",
    "value_score",
    "score_class",
    "abc_class",
    "quadrant",
    "service_level",
    *COMPANY.values(),
)
#: Per unit: how many customers, how many shared with another unit, money and counts.
SUMMARY_COLUMNS = (
    "business_unit",
    "customers",
    "shared_customers",
    "revenue",
    "margin_3",
    "class_a",
    "class_b",
    "class_c",
    "top",
    "development",
    "premium",
    "small",
)


def _review_id(con, review_id: int | None) -> int:
    """The review asked for, which must exist, or the latest one."""
    from kundenwert.review.snapshots import latest_review_id  # the review package is heavy

    if review_id is None:
        return latest_review_id(con)
    if con.execute("SELECT 1 FROM reviews WHERE review_id = ?", [review_id]).fetchone():
        return review_id
    raise NotFoundError(
        f"Review {review_id} gibt es nicht.",
        hint="`kundenwert reviews` listet die gespeicherten Reviews.",
    )


def has_units(store, review_id: int | None = None) -> bool:
    """Whether the review has per-unit rows (not when ``review.units.enabled`` was off, nor
    for a review made before the per-unit view existed)."""
    review_id = _review_id(store.con, review_id)
    row = store.con.execute(
        "SELECT 1 FROM review_units WHERE review_id = ? LIMIT 1", [review_id]
    ).fetchone()
    return row is not None


def _visible(scope: Scope) -> tuple[str, list[Any]]:
    """An SQL condition on ``u.customer_id`` for the customers in ``scope``."""
    if scope.everyone:
        return "TRUE", []
    where, params = scope.where("cu")
    return f"u.customer_id IN (SELECT customer_id FROM customers cu WHERE {where})", params


def unit_rows(
    store,
    review_id: int | None = None,
    *,
    customer_id: str | None = None,
    business_unit: str | None = None,
    shared_only: bool = False,
    scope: Scope = EVERYONE,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The per-unit rows of a review (the latest by default), largest unit revenue first.

    ``shared_only``: only customers served by two or more units. Each row carries ``units``
    (how many units serve the customer), the unit's figures, the company view beside them
    (``company_*``) and ``contributions`` ({indicator: contribution to the unit's score}).
    """
    con = store.con
    review_id = _review_id(con, review_id)
    indicators = json.loads(
        con.execute("SELECT indicators FROM reviews WHERE review_id = ?", [review_id]).fetchone()[0]
    )
    visible, params = _visible(scope)
    where, extra = [visible], []
    if customer_id is not None:
        where.append("u.customer_id = ?")
        extra.append(customer_id)
    if business_unit is not None:
        where.append("u.business_unit = ?")
        extra.append(business_unit)
    if shared_only:
        where.append("u.units > 1")
    company = ", ".join(f"c.{k} AS {v}" for k, v in COMPANY.items())
    sql = f"""
        WITH u AS (
            SELECT *, count(*) OVER (PARTITION BY customer_id) AS units
            FROM review_units WHERE review_id = ?
        )
        SELECT u.customer_id, c.name, u.business_unit, u.home, u.units, u.revenue,
               u.cogs, u.deductions, u.margin_1, u.margin_2, u.cost_to_serve, u.margin_3,
               u.care_exceeds_margin, u.margins_complete, u.abc_measure, u.abc_share_above,
               u.value_score, u.score_coverage, u.score_class, u.abc_class, u.potential,
               u.quadrant, u.strategic, u.service_level, {company}, u.contribution
        FROM u JOIN review_customers c ON c.review_id = u.review_id
             AND c.customer_id = u.customer_id
        WHERE {" AND ".join(where)}
        ORDER BY u.revenue DESC, u.customer_id, u.business_unit
        {f"LIMIT {int(limit)}" if limit is not None else ""}
    """
    rows = dict_rows(con.execute(sql, [review_id, *params, *extra]))
    for row in rows:
        values = row.pop("contribution") or []
        row["contributions"] = dict(zip(indicators, values, strict=False))
    return rows


def unit_summary(store, review_id: int | None = None, *, scope: Scope = EVERYONE) -> list[dict]:
    """Per business unit: customers, customers shared with another unit, revenue, margin III,
    customers per ABC class and per quadrant (largest revenue first)."""
    con = store.con
    review_id = _review_id(con, review_id)
    visible, params = _visible(scope)
    sql = f"""
        WITH u AS (
            SELECT *, count(*) OVER (PARTITION BY customer_id) AS units
            FROM review_units WHERE review_id = ?
        )
        SELECT business_unit, count(*) AS customers,
               count(*) FILTER (WHERE units > 1) AS shared_customers,
               sum(revenue) AS revenue, sum(margin_3) AS margin_3,
               count(*) FILTER (WHERE abc_class = 'A') AS class_a,
               count(*) FILTER (WHERE abc_class = 'B') AS class_b,
               count(*) FILTER (WHERE abc_class = 'C') AS class_c,
               count(*) FILTER (WHERE quadrant = 'top') AS top,
               count(*) FILTER (WHERE quadrant = 'development') AS development,
               count(*) FILTER (WHERE quadrant = 'premium') AS premium,
               count(*) FILTER (WHERE quadrant = 'small') AS small
        FROM u WHERE {visible}
        GROUP BY business_unit ORDER BY revenue DESC, business_unit
    """
    return dict_rows(con.execute(sql, [review_id, *params]))


#: The export's per-unit table (workbook sheet, or a file beside the CSV and Parquet).
EXPORT_COLUMNS = ("customer_id", "name", "business_unit", "home", "units", "revenue",
                  "margin_1", "cost_to_serve", "margin_3", "value_score", "score_coverage",
                  "score_class", "abc_class", "quadrant", "service_level",
                  *COMPANY.values())  # fmt: skip
#: Titles of that table (a sheet name: at most 31 characters).
EXPORT_TITLE = {"de": "Geschäftsbereiche", "en": "Business units"}


def unit_table(store, review_id: int) -> pa.Table | None:
    """Every per-unit row of a review for the export (largest unit revenue first); None when
    the review has no per-unit view."""
    if not has_units(store, review_id):
        return None
    rows = unit_rows(store, review_id)
    if not rows:
        return None
    return pa.Table.from_pylist([{c: r[c] for c in EXPORT_COLUMNS} for r in rows])
