"""Contribution margins I, II, III (DOMAIN.md point 8): the one place their rules live.

margin_1 = revenue - cost of goods; margin_2 = margin_1 - customer-specific deductions;
margin_3 = margin_2 - cost to serve (every care and service activity, free goodwill included).
A customer is flagged when care cost something and margin III is negative: it costs more to
look after than it brings.

The rules for one invoice line and one activity are functions of column values, so the review
(exact decimals over the window) and the customer dynamics (float months,
:mod:`kundenwert.dynamics.series`) apply the same ones:

* an invoice line's unknown cost of goods counts as 0 in the sum, but the line's margin is
  built on a missing input: the line is *uncosted* (a line with amount 0 is not);
* an unknown deduction counts as 0 (most lines have none; not a missing input);
* an activity with a booked cost costs that; one without a cost but with hours costs
  ``hours x review.margins.cost_per_hour`` when the rate is set; with hours, no cost and no
  rate it counts as 0 and is *uncosted*.

A customer's margins are *complete* when no line and no activity of the window is uncosted.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def goods_cost(cost: ir.NumericValue) -> ir.NumericValue:
    """An invoice line's cost of goods, 0 when unknown."""
    return cost.fill_null(0)


def goods_cost_unknown(amount: ir.NumericValue, cost: ir.NumericValue) -> ir.BooleanValue:
    """The line's cost of goods is unknown (and matters: the line has an amount)."""
    return cost.isnull() & (amount != 0)


def line_margin_2(
    amount: ir.NumericValue, cost: ir.NumericValue, deductions: ir.NumericValue
) -> ir.NumericValue:
    """Margin II of one invoice line."""
    return amount - goods_cost(cost) - deductions.fill_null(0)


def care_cost(
    cost: ir.NumericValue, hours: ir.NumericValue, cost_per_hour: float | None
) -> ir.NumericValue:
    """What one activity cost: booked cost, else hours x rate (when set), else 0."""
    if cost_per_hour is not None:
        # Costed in the cost column's own type (exact decimals in the review).
        cost = cost.fill_null((hours * cost_per_hour).cast(cost.type()))
    return cost.fill_null(0)


def care_cost_unknown(
    cost: ir.NumericValue, hours: ir.NumericValue, cost_per_hour: float | None
) -> ir.BooleanValue:
    """The activity took time but its cost is unknown (no booked cost, no hourly rate)."""
    if cost_per_hour is not None:
        return ibis.literal(False)
    return cost.isnull() & (hours.fill_null(0) > 0)


def with_margins(t: ir.Table) -> ir.Table:
    """Margins I-III of per-customer sums (revenue, cogs, deductions, cost_to_serve)."""
    # One projection (not a chain of mutates): keeps the compiled query flat.
    margin_1 = t.revenue - t.cogs
    margin_2 = margin_1 - t.deductions
    margin_3 = margin_2 - t.cost_to_serve
    return t.mutate(
        margin_1=margin_1,
        margin_2=margin_2,
        margin_3=margin_3,
        care_exceeds_margin=(t.cost_to_serve > 0) & (margin_3 < 0),
        margins_complete=(t.uncosted_lines == 0) & (t.uncosted_activities == 0),
    )
