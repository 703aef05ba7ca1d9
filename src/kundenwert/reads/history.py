"""One customer's months: revenue and contribution margins I, II and III per month.

The margins follow the review's rules (:mod:`kundenwert.review.margins`: a line's cost of
goods, an activity's cost, margins I-III), so that a month's margin III is the review's margin
III of that month; nothing is computed by a second rule here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis

from kundenwert.review.inputs import MONEY, ZERO
from kundenwert.review.margins import (
    care_cost,
    care_cost_unknown,
    goods_cost,
    goods_cost_unknown,
    with_margins,
)


def monthly_history(
    store, settings, customer_id: str, *, as_of: date | None = None, months: int = 36
) -> list[dict[str, Any]]:
    """The latest ``months`` months with invoices or activities up to ``as_of``, oldest first:
    month, revenue, margin_1, margin_2, margin_3 (floats)."""
    backend = store.ibis()
    inv = backend.table("invoices")
    inv = inv.filter(inv.customer_id == customer_id)
    act = backend.table("activities")
    act = act.filter(act.customer_id == customer_id)
    if as_of is not None:
        inv, act = inv.filter(inv.date <= as_of), act.filter(act.date <= as_of)
    money = inv.group_by(month=inv.date.truncate("M")).aggregate(
        revenue=inv.amount.sum(),
        cogs=goods_cost(inv.cost).sum(),
        deductions=inv.deductions.sum(),
        uncosted_lines=inv.count(where=goods_cost_unknown(inv.amount, inv.cost)),
    )
    rate = settings.review.margins.cost_per_hour
    care = act.group_by(month=act.date.truncate("M")).aggregate(
        cost_to_serve=care_cost(act.cost.cast(MONEY), act.hours, rate).sum(),
        uncosted_activities=act.count(where=care_cost_unknown(act.cost, act.hours, rate)),
    )
    j = money.outer_join(care, "month")
    j = j.select(
        month=ibis.coalesce(j.month, j.month_right),
        **{
            c: j[c].cast(MONEY).fill_null(ZERO)
            for c in ("revenue", "cogs", "deductions", "cost_to_serve")
        },
        uncosted_lines=j.uncosted_lines.fill_null(0),
        uncosted_activities=j.uncosted_activities.fill_null(0),
    )
    j = with_margins(j).order_by(ibis.desc("month")).limit(months)
    rows = backend.to_pyarrow(j).to_pylist()[::-1]
    keep = ("revenue", "margin_1", "margin_2", "margin_3")
    return [{"month": r["month"], **{k: float(r[k]) for k in keep}} for r in rows]
