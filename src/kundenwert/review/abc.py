"""ABC analysis (DOMAIN.md point 3).

Customers are sorted by the measure, descending, ties by customer id. A customer's class is
set by the cumulative share of the customers ranked *above* it: below ``a_cutoff`` gives A,
below ``b_cutoff`` B, otherwise C. So the customer that crosses a cut-off keeps the higher
class, and one dominant customer is A. Customers with no positive measure are C. The shares
are compared in exact decimals so that a share of exactly 80 % is not A by rounding luck.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

from kundenwert.review.config import AbcSettings


def with_abc(t: ir.Table, cfg: AbcSettings) -> ir.Table:
    measure = t[cfg.measure]
    positive = ibis.ifelse(measure > 0, measure, 0).cast("decimal(38,4)")
    t = t.mutate(abc_measure=measure, _abc_pos=positive)
    ranked = ibis.window(
        order_by=[ibis.desc(t.abc_measure), t.customer_id], preceding=None, following=0
    )
    t = t.mutate(
        _abc_above=t._abc_pos.sum().over(ranked) - t._abc_pos,
        _abc_total=t._abc_pos.sum().over(ibis.window()),
    )
    a_limit = t._abc_total * ibis.literal(Decimal(str(cfg.a_cutoff)))
    b_limit = t._abc_total * ibis.literal(Decimal(str(cfg.b_cutoff)))
    abc_class = ibis.cases(
        (t.abc_measure <= 0, "C"),
        (t._abc_above < a_limit, "A"),
        (t._abc_above < b_limit, "B"),
        else_="C",
    )
    share_above = ibis.ifelse(
        t._abc_total > 0, t._abc_above.cast("float64") / t._abc_total.cast("float64"), None
    )
    t = t.mutate(abc_class=abc_class, abc_share_above=share_above)
    return t.drop("_abc_pos", "_abc_above", "_abc_total")
