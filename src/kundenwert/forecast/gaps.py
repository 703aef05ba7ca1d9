"""The gaps between a customer's purchase days, as Ibis expressions: what the MBG/CNBD-k needs.

Per customer at ``as_of`` (purchase days as in :func:`kundenwert.forecast.summary.purchases`):

* ``log_gaps`` — sum of the logarithms of the gaps between consecutive purchase days, in the
  time unit (0 without a repeat purchase): the MBG/CNBD-k's sufficient statistic for k,
* ``gap_share`` — last gap / (last gap + the one before it), the Wheat-Morrison (1990)
  statistic; null with fewer than two gaps,
* ``last_gap`` — the last gap in days (null without a repeat purchase).

A separate query beside :func:`~kundenwert.forecast.summary.summary` (joined on customer_id),
so that the summary the other models use stays as it is; it runs only for the MBG/CNBD-k.
"""

from __future__ import annotations

import math
from datetime import date

import ibis

from kundenwert.forecast.config import UNIT_DAYS
from kundenwert.forecast.summary import purchases

GAP_COLUMNS = ("log_gaps", "gap_share", "last_gap")


def gap_summary(
    invoices: ibis.Table, as_of: date, unit: str = "week", *, zero_value: bool = False
) -> ibis.Table:
    """customer_id, log_gaps, gap_share and last_gap of every customer with a purchase."""
    daily = purchases(invoices, as_of, zero_value=zero_value)
    # One window (one sort): each purchase day's gap to the one before, and whether one or two
    # more purchase days follow it (the last gap has none, the one before it exactly one).
    by_date = ibis.window(group_by=daily.customer_id, order_by=daily.date)
    days = daily.date.delta(daily.date.lag().over(by_date), unit="day").cast("float64")
    gaps = daily.mutate(
        gap=days,
        after=daily.date.lead().over(by_date).notnull(),
        after_two=daily.date.lead(2).over(by_date).notnull(),
    )
    per_customer = gaps.group_by("customer_id").aggregate(
        log_gaps=(gaps.gap.log() - math.log(UNIT_DAYS[unit])).sum(),
        last_gap=gaps.gap.max(where=~gaps.after),
        previous_gap=gaps.gap.max(where=gaps.after & ~gaps.after_two),
    )
    return per_customer.select(
        customer_id=per_customer.customer_id,
        log_gaps=per_customer.log_gaps.fill_null(0.0),
        gap_share=per_customer.last_gap / (per_customer.last_gap + per_customer.previous_gap),
        last_gap=per_customer.last_gap,
    )


def with_gaps(
    summary: ibis.Table,
    invoices: ibis.Table,
    as_of: date,
    unit: str = "week",
    *,
    zero_value: bool = False,
) -> ibis.Table:
    """``summary`` (one row per customer) with the columns of :func:`gap_summary` added."""
    gaps = gap_summary(invoices, as_of, unit, zero_value=zero_value)
    joined = summary.left_join(gaps, summary.customer_id == gaps.customer_id)
    return joined.select(*summary.columns, *(joined[c] for c in GAP_COLUMNS))
