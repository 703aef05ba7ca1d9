"""Contribution margins I, II, III per customer (DOMAIN.md point 8), exact decimals.

margin_1 = revenue - cost of goods; margin_2 = margin_1 - customer-specific deductions;
margin_3 = margin_2 - cost to serve (every care and service activity, free goodwill included).
A customer is flagged when care cost something and margin III is negative: it costs more to
look after than it brings.
"""

from __future__ import annotations

import ibis.expr.types as ir


def with_margins(t: ir.Table) -> ir.Table:
    # One projection (not a chain of mutates): keeps the compiled query flat.
    margin_1 = t.revenue - t.cogs
    margin_2 = margin_1 - t.deductions
    margin_3 = margin_2 - t.cost_to_serve
    return t.mutate(
        margin_1=margin_1,
        margin_2=margin_2,
        margin_3=margin_3,
        care_exceeds_margin=(t.cost_to_serve > 0) & (margin_3 < 0),
    )
