"""Raw per-customer figures from the input tables, as Ibis expressions.

Everything is "as seen on the as-of date": rows dated after it are ignored. Flows (invoices,
activities) count within the window; stocks (installed base, ratings) count up to the as-of
date. Money stays DECIMAL (exact sums); only indicator values become floats, for scoring.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from kundenwert.review.config import Indicator, ReviewSettings
from kundenwert.review.margins import (
    care_cost,
    care_cost_unknown,
    goods_cost,
    goods_cost_unknown,
    line_margin_2,
)
from kundenwert.review.period import months_before

#: Money per customer: DECIMAL(18,4) holds up to 99,999,999,999,999.9999 per customer and
#: window; an overflow raises instead of rounding. Narrower than the DECIMAL(38,4) of SUM,
#: it halves the memory and speeds up everything downstream.
MONEY = "decimal(18,4)"
ZERO = ibis.literal(Decimal("0"), type=MONEY)


def _money(value: ir.Value) -> ir.Value:
    return value.cast(MONEY)


def customers(backend, cfg: ReviewSettings, as_of: date) -> ir.Table:
    """Customers known on the as-of date (a customer_since after it is not yet a customer)."""
    t = backend.table("customers")
    t = t.filter(t.customer_since.isnull() | (t.customer_since <= as_of))
    # Only the columns a rule reads: every column is carried through the joins that follow.
    attributes = {
        ind.attribute
        for ind in cfg.scoring.indicators.values()
        if ind.source == "customers"
        and ind.attribute is not None  # always, for source customers (Indicator's validator)
        and ind.attribute not in ("name", "business_unit")
    }
    return t.select("customer_id", "name", "business_unit", *sorted(attributes))


def invoice_lines(backend, start: date, as_of: date) -> ir.Table:
    """The invoice lines of the window."""
    t = backend.table("invoices")
    return t.filter((t.date >= start) & (t.date <= as_of))


def invoice_aggregates(t: ir.Table, cfg: ReviewSettings) -> dict[str, ir.Value]:
    """The sums over invoice lines ``t``, per whatever they are grouped by (a customer, or a
    customer and a business unit)."""
    cost = goods_cost(t.cost)
    aggs = {  # SUM skips NULLs: an unknown cost or deduction counts as 0 (review.margins)
        "revenue": t.amount.sum(),
        "cogs": t.cost.sum(),
        "deductions": t.deductions.sum(),
        "uncosted_lines": t.count(where=goods_cost_unknown(t.amount, t.cost)),
        "uncosted_revenue": t.amount.sum(where=goods_cost_unknown(t.amount, t.cost)),
    }
    for name, ind in _indicators(cfg, "invoices"):
        where = t.category.isin(ind.categories) if ind.categories else None
        if ind.measure == "count":
            aggs[f"raw_{name}"] = t.count(where=where).cast("float64")
        else:
            assert ind.measure is not None  # the Indicator validator sets the source's default
            value = {
                "amount": t.amount,
                "margin_1": t.amount - cost,
                # margin_3: margin II here; the cost to serve is taken off in base_table.
                "margin_2": line_margin_2(t.amount, t.cost, t.deductions),
                "margin_3": line_margin_2(t.amount, t.cost, t.deductions),
            }[ind.measure]
            aggs[f"raw_{name}"] = value.sum(where=where).cast("float64")
    return aggs


def invoice_figures(backend, cfg: ReviewSettings, start: date, as_of: date) -> ir.Table:
    t = invoice_lines(backend, start, as_of)
    return t.group_by("customer_id").aggregate(**invoice_aggregates(t, cfg))


def activity_figures(backend, cfg: ReviewSettings, start: date, as_of: date) -> ir.Table:
    t = backend.table("activities")
    t = t.filter((t.date >= start) & (t.date <= as_of))
    rate = cfg.margins.cost_per_hour
    cost = care_cost(_money(t.cost), t.hours, rate)
    goodwill = (t.kind == "goodwill") | t.free_of_charge.fill_null(False)
    aggs = {
        "cost_to_serve": cost.sum(),
        "goodwill_cost": cost.sum(where=goodwill),
        "activity_count": t.count(),
        "uncosted_activities": t.count(where=care_cost_unknown(t.cost, t.hours, rate)),
    }
    for name, ind in _indicators(cfg, "activities"):
        where = t.kind.isin(ind.kinds) if ind.kinds else None
        if ind.measure == "count":
            aggs[f"raw_{name}"] = t.count(where=where).cast("float64")
        elif ind.measure == "hours":
            aggs[f"raw_{name}"] = t.hours.sum(where=where).cast("float64")
        else:
            aggs[f"raw_{name}"] = cost.sum(where=where).cast("float64")
    return t.group_by("customer_id").aggregate(**aggs)


def installed_figures(backend, cfg: ReviewSettings, as_of: date) -> ir.Table | None:
    wanted = _indicators(cfg, "installed_base")
    if not wanted:
        return None
    t = backend.table("installed_base")
    # Undated machines count: they are delivered, we just do not know when.
    t = t.filter(t.installed_on.isnull() | (t.installed_on <= as_of))
    aggs = {}
    for name, ind in wanted:
        if ind.measure == "count":
            aggs[f"raw_{name}"] = t.count().cast("float64")
        else:
            aggs[f"raw_{name}"] = t.value.sum().cast("float64")
    return t.group_by("customer_id").aggregate(**aggs)


def rating_figures(backend, cfg: ReviewSettings, as_of: date) -> ir.Table | None:
    """The latest rating on or before the as-of date per customer and rated indicator."""
    wanted = {}  # output column -> (rating name, earliest date accepted)
    for name, ind in _indicators(cfg, "ratings"):
        since = months_before(as_of, ind.max_age_months) if ind.max_age_months else None
        wanted[f"raw_{name}"] = (ind.rating or name, since)
    for i, rule in enumerate(cfg.service.strategic):
        wanted[f"strategic_{i}"] = (rule.rating, None)
    if not wanted:
        return None
    t = backend.table("ratings")
    names = sorted({rating for rating, _ in wanted.values()})
    t = t.filter((t.date <= as_of) & t.indicator.isin(names))
    aggs = {}
    for column, (rating, since) in wanted.items():
        where = t.indicator == rating
        if since is not None:
            where = where & (t.date > since)
        aggs[column] = t.value.argmax(t.date, where=where)
    return t.group_by("customer_id").aggregate(**aggs)


def location_points(t: ir.Table, ind: Indicator) -> ir.Value:
    """Points of a customer attribute by the longest matching prefix, else the default; an
    empty attribute is unknown (None), not the default."""
    column = t[ind.attribute].cast("string").strip().upper()
    cases = [
        (column.startswith(prefix.upper()), ibis.literal(float(points)))
        for prefix, points in sorted(ind.points.items(), key=lambda kv: -len(kv[0]))
    ]
    default = ibis.literal(float(ind.default_points))
    points = (ibis.cases(*cases, else_=default) if cases else default).cast("float64")
    unknown = column.isnull() | (column == "")
    return ibis.ifelse(unknown, ibis.null("float64"), points)


#: The business unit of lines and customers that name none (shown as "without a unit").
NO_UNIT = ""
#: What care costs: the customer's own unit carries it (activities name no unit).
CARE_COLUMNS = ("cost_to_serve", "goodwill_cost", "activity_count", "uncosted_activities")


def unit_of(*units: ir.StringValue) -> ir.StringValue:
    """The first unit given that is not empty, else :data:`NO_UNIT`."""
    return ibis.coalesce(*(u.nullif("") for u in units), ibis.literal(NO_UNIT))


def unit_invoice_figures(source, cfg: ReviewSettings, start: date, as_of: date) -> ir.Table:
    """The invoice figures per customer and business unit, from the input tables ``source``
    (the store's Ibis backend, or :func:`kundenwert.engine.open_inputs` on another engine):
    one row per customer and unit that booked a line for it in the window.

    A line counts for its own unit (``invoices.business_unit``); a line without one counts
    for the customer's unit (``customers.business_unit``). Only line aggregates: the result
    is bounded by customers times units, so on another engine it is all that has to be
    brought into the store.
    """
    lines = invoice_lines(source, start, as_of)
    aggs = invoice_aggregates(lines, cfg)
    # Summed per booked unit first (lines without one in a group of their own), then those
    # groups given the customer's unit and summed again (every figure is a sum or a count):
    # the lines need no join with the customers.
    booked = lines.group_by(["customer_id", "business_unit"]).aggregate(**aggs)
    cust = customers(source, cfg, as_of)
    own = cust.select("customer_id", own_unit=cust.business_unit)
    booked = booked.join(own, "customer_id")  # also drops lines of customers not yet known
    booked = booked.mutate(unit=unit_of(booked.business_unit, booked.own_unit))
    figures = booked.group_by(["customer_id", "unit"]).aggregate(
        **{name: booked[name].sum() for name in aggs}
    )
    return figures.rename(business_unit="unit")


def unit_rows(cust: ir.Table, figures: ir.Table) -> ir.Table:
    """One row per customer and business unit, from the customers ``cust`` and their invoice
    figures per unit (:func:`unit_invoice_figures`, only its keys are read).

    A customer has a row for its own unit (always, also without revenue in the window) and
    for every other unit that booked a line for it in the window. ``home`` marks the
    customer's own unit.
    """
    key = {"customer_id": "string", "business_unit": "string"}
    homes = cust.select(cust.customer_id, business_unit=unit_of(cust.business_unit)).cast(key)
    booked = figures.select("customer_id", "business_unit").cast(key)
    pairs = ibis.union(homes, booked, distinct=True)
    home_unit = unit_of(cust.business_unit)
    cust = cust.mutate(own_unit=home_unit).drop("business_unit")
    t = pairs.join(cust, "customer_id")
    return t.mutate(home=t.business_unit == t.own_unit)


def _left(t: ir.Table, part: ir.Table, keys: list[str]) -> ir.Table:
    return t.left_join(part, keys).drop(*(f"{k}_right" for k in keys))


def base_table(backend, cfg: ReviewSettings, start: date, as_of: date) -> ir.Table:
    """One row per customer with the money figures and every indicator's raw value."""
    t = customers(backend, cfg, as_of)
    parts = [
        invoice_figures(backend, cfg, start, as_of),
        activity_figures(backend, cfg, start, as_of),
        installed_figures(backend, cfg, as_of),
        rating_figures(backend, cfg, as_of),
    ]
    for part in parts:
        if part is not None:
            t = _left(t, part, ["customer_id"])
    return _filled(t, cfg)


def unit_base_table(cfg: ReviewSettings, company: ir.Table, figures: ir.Table) -> ir.Table:
    """One row per customer and business unit (:func:`unit_rows`), from the company view's
    base table ``company`` (:func:`base_table`) and the invoice figures per customer and unit
    ``figures`` (:func:`unit_invoice_figures`), both tables of the same backend.

    The invoice figures are the unit's; what has no unit is the customer's and the same in
    every unit (installed base, ratings, customer attributes, activity indicators), taken
    from ``company`` as it is. Except the cost of care: activities name no unit, so their
    cost (and count) is carried once, by the customer's own unit, and is 0 in every other.
    """
    invoice_columns = [c for c in company.columns if c in _invoice_columns(cfg)]
    t = unit_rows(company.drop(*invoice_columns), figures)
    t = _left(t, figures, ["customer_id", "business_unit"])
    zero = {c: ibis.literal(0).cast(t[c].type()) for c in CARE_COLUMNS}
    t = t.mutate(**{c: ibis.ifelse(t.home, t[c], zero[c]) for c in CARE_COLUMNS})
    return _filled(t, cfg, attributes=False)


def _invoice_columns(cfg: ReviewSettings) -> set[str]:
    names = {f"raw_{name}" for name, _ in _indicators(cfg, "invoices")}
    return {"revenue", "cogs", "deductions", "uncosted_lines", "uncosted_revenue", *names}


def _filled(t: ir.Table, cfg: ReviewSettings, *, attributes: bool = True) -> ir.Table:
    """Money and counts without rows are a known 0; every raw value in the rule's form.
    ``attributes``: also the points of customer attributes (not when they are filled)."""
    money = ("revenue", "cogs", "deductions", "cost_to_serve", "goodwill_cost", "uncosted_revenue")
    fills = {c: _money(t[c]).fill_null(ZERO) for c in money}
    for count in ("activity_count", "uncosted_lines", "uncosted_activities"):
        fills[count] = t[count].fill_null(0)
    for name, ind in cfg.scoring.indicators.items():
        if ind.source == "invoices" and ind.measure == "margin_3":
            care = t.cost_to_serve.cast("float64").fill_null(0.0)
            fills[f"raw_{name}"] = t[f"raw_{name}"].fill_null(0.0) - care
        elif ind.is_money:
            fills[f"raw_{name}"] = t[f"raw_{name}"].fill_null(0.0)
        elif ind.source == "customers" and attributes:
            fills[f"raw_{name}"] = location_points(t, ind)
    return t.mutate(**fills)


def _indicators(cfg: ReviewSettings, source: str) -> list[tuple[str, Indicator]]:
    return [(n, i) for n, i in cfg.scoring.indicators.items() if i.source == source]
