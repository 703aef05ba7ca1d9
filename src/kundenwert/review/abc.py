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


def abc_classes(t: ir.Table, cfg: AbcSettings) -> ir.Table:
    """(customer_id, abc_measure, abc_share_above, abc_class) for every customer of ``t``.

    Computed on a narrow projection: the ranking window then sorts two columns, not the
    whole customer row.
    """
    n = t.select("customer_id", abc_measure=t[cfg.measure])
    positive = ibis.ifelse(n.abc_measure > 0, n.abc_measure, 0)
    n = n.mutate(_abc_pos=positive)
    ranked = ibis.window(
        order_by=[ibis.desc(n.abc_measure), n.customer_id], preceding=None, following=0
    )
    n = n.mutate(
        _abc_above=n._abc_pos.sum().over(ranked) - n._abc_pos,
        _abc_total=n._abc_pos.sum().over(ibis.window()),
    )
    a_limit = n._abc_total * ibis.literal(Decimal(str(cfg.a_cutoff)))
    b_limit = n._abc_total * ibis.literal(Decimal(str(cfg.b_cutoff)))
    abc_class = ibis.cases(
        (n.abc_measure <= 0, "C"),
        (n._abc_above < a_limit, "A"),
        (n._abc_above < b_limit, "B"),
        else_="C",
    )
    share_above = ibis.ifelse(
        n._abc_total > 0, n._abc_above.cast("float64") / n._abc_total.cast("float64"), None
    )
    return n.select("customer_id", "abc_measure", abc_share_above=share_above, abc_class=abc_class)
