"""From invoice lines to each customer's repeat-purchase summary, as Ibis expressions.

The rule for what counts as a purchase (documented in docs and tested): all invoice lines of one
customer on one calendar day are one purchase occasion, valued at the day's net total; credit
notes (negative lines) reduce that total, and a day whose total is zero or negative is no
purchase (optionally, ``zero_value=True``, a day totalling exactly zero still counts: CDNOW
has such lines and the published fits count them). Several lines a day being one transaction is
how the buy-till-you-die literature treats CDNOW, and it keeps an invoice split into many lines
from looking like a loyal customer.

Per customer, at a reference date ``as_of`` (invoices after it are ignored):

* ``frequency`` — number of repeat purchases (purchase days after the first one),
* ``recency`` — time from the first to the last purchase,
* ``T`` — age: time from the first purchase to ``as_of``,
* ``monetary_value`` — mean value of the repeat purchases (0 without repeat purchases),

with times in days or weeks (days / 7), as in Fader, Hardie & Lee (2005).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from kundenwert.forecast.config import UNIT_DAYS, Duration

if TYPE_CHECKING:
    from kundenwert.store import Store

SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value")


def invoices_table(store: Store) -> ibis.Table:
    """The store's invoice lines as an Ibis table."""
    return store.ibis().table("invoices")


def purchases(
    invoices: ibis.Table, until: date, since: date | None = None, *, zero_value: bool = False
) -> ibis.Table:
    """One row per customer and purchase day (``since`` < date <= ``until``) with its value."""
    lines = invoices.filter(invoices.date <= ibis.literal(until))
    if since is not None:
        lines = lines.filter(lines.date > ibis.literal(since))
    # Summed exactly (decimal), then made a float: summed as floats, a purchase and its
    # cancellation on one day left 1e-13 or -1e-13 depending on the order of the lines, so the
    # day was a purchase of almost nothing in one run and none in the next (Online Retail II).
    daily = lines.group_by(["customer_id", "date"]).aggregate(exact=lines.amount.sum())
    daily = daily.mutate(amount=daily.exact.cast("float64"))
    # The sign tested on the exact sum (the same as its float's): converting 20 million
    # 128-bit sums to floats only to compare them with zero took 0.4 s of DuckDB's CPU time.
    return daily.filter(daily.exact >= 0 if zero_value else daily.exact > 0)


def min_by(value: ir.Value, key: ir.Value) -> ir.Value:
    """``value`` of the row with the smallest ``key`` in each group (keys unique in a group).

    Ibis compiles its own ``argmin`` for DuckDB to ``FIRST(value ORDER BY key)``, an ordered
    aggregate that sorts every group; the engine's ``min_by`` (DuckDB's ``arg_min``; Spark has
    it too) keeps one running minimum: 10 % of a 20-million-line forecast summary's CPU time.
    """
    fn = ibis.udf.agg.builtin(
        lambda value, key: None,
        name="min_by",
        signature=((value.type(), key.type()), value.type()),
    )
    return fn(value, key)


def summary(
    invoices: ibis.Table, as_of: date, unit: str = "week", *, zero_value: bool = False
) -> ibis.Table:
    """The repeat-purchase summary of every customer with a purchase up to ``as_of``.

    ``invoices`` is any Ibis table with columns customer_id, date and amount (the store's
    ``invoices`` table, or an in-memory table in tests).
    """
    unit_days = UNIT_DAYS[unit]
    daily = purchases(invoices, as_of, zero_value=zero_value)
    per_customer = daily.group_by("customer_id").aggregate(
        n=daily.count(),
        first=daily.date.min(),
        last=daily.date.max(),
        # In the amounts' own (decimal) type: a float sum depends on the order of the rows,
        # and the same store sorted by `kundenwert optimize` gave values 1 ulp apart.
        total=daily.exact.sum(),
        first_amount=min_by(daily.exact, daily.date),
    )
    frequency = (per_customer.n - 1).cast("int64")
    repeat_total = (per_customer.total - per_customer.first_amount).cast("float64")
    return per_customer.select(
        customer_id=per_customer.customer_id,
        frequency=frequency,
        recency=per_customer.last.delta(per_customer.first, unit="day").cast("float64") / unit_days,
        T=ibis.literal(as_of).delta(per_customer.first, unit="day").cast("float64") / unit_days,
        monetary_value=ibis.ifelse(frequency > 0, repeat_total / frequency.cast("float64"), 0.0),
    )


def calibration_holdout(
    invoices: ibis.Table,
    calibration_end: date,
    holdout: Duration,
    unit: str = "week",
    *,
    zero_value: bool = False,
) -> ibis.Table:
    """Calibration summary at ``calibration_end`` plus each customer's holdout purchases.

    ``holdout_frequency`` counts the purchase days in (calibration_end, calibration_end +
    holdout]; customers whose first purchase lies in the holdout are not part of the cohort and
    are left out, as in the literature.
    """
    calibration = summary(invoices, calibration_end, unit, zero_value=zero_value)
    holdout_end = calibration_end + timedelta(days=holdout.days)
    later = purchases(invoices, holdout_end, calibration_end, zero_value=zero_value)
    counts = later.group_by("customer_id").aggregate(
        holdout_frequency=later.count(), holdout_amount=later.amount.sum()
    )
    joined = calibration.left_join(counts, calibration.customer_id == counts.customer_id)
    return joined.select(
        *SUMMARY_COLUMNS,
        holdout_frequency=joined.holdout_frequency.fill_null(0).cast("int64"),
        holdout_amount=joined.holdout_amount.fill_null(0.0),
    )
