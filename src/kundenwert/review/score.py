"""The value score (DOMAIN.md point 2): normalised indicators, weights, contributions.

Normalisation to 0..100 (documented in docs/review.md):

* money, counts, hours (invoices, installed_base, activities): ``100 * min(max(x, 0) / cap, 1)``
  where ``cap`` is the ``cap_quantile`` (default 0.95, interpolated) of all positive values
  in the review; no positive value at all gives 0 for everyone. Capping keeps one giant
  customer from flattening everybody else, and the rule is monotone: more never scores less.
* ratings: linear on the configured scale, ``100 * (x - worst) / (best - worst)``, clipped.
  A customer without a (recent enough) rating gets the indicator's neutral value (default: the
  middle of the scale) or 0 (``missing = "zero"``); the result marks it as missing.
* customers (location): the configured points (already 0..100).

Weights are per business unit (``default`` for every other unit) and divided by their sum,
so a customer's contribution of an indicator is ``share * normalised`` and the contributions
add up to the score.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kundenwert.review.config import Indicator, ReviewSettings


def money_caps(backend, t: ir.Table, cfg: ReviewSettings) -> dict[str, float | None]:
    """The cap of every money-like indicator, computed once over the whole population."""
    money = {n: i for n, i in cfg.scoring.indicators.items() if i.is_money}
    if not money:
        return {}
    raw = {n: t[f"raw_{n}"] for n in money}
    expr = t.aggregate(
        **{n: raw[n].quantile(ind.cap_quantile, where=raw[n] > 0) for n, ind in money.items()}
    )
    row = backend.to_pyarrow(expr).to_pylist()[0]
    return {n: (None if row[n] is None else float(row[n])) for n in money}


def normalised(t: ir.Table, name: str, ind: Indicator, cap: float | None) -> tuple:
    """(normalised 0..100, missing flag) of one indicator."""
    raw = t[f"raw_{name}"]
    if ind.is_money:
        if cap is None or cap <= 0:
            return ibis.literal(0.0), ibis.literal(False)
        return ibis.least(ibis.greatest(raw, 0.0) / cap, 1.0) * 100.0, ibis.literal(False)
    if ind.source == "ratings":
        low, high = ind.scale
        fallback = ind.neutral_value() if ind.missing == "neutral" else low
        value = raw.fill_null(fallback)
        scaled = ibis.least(ibis.greatest((value - low) / (high - low), 0.0), 1.0) * 100.0
        return scaled, raw.isnull()
    return ibis.least(ibis.greatest(raw, 0.0), 100.0), ibis.literal(False)


def weight_share(t: ir.Table, cfg: ReviewSettings, name: str) -> ir.Value:
    """The indicator's weight share for each customer's business unit."""
    default = cfg.scoring.shares("default")[name]
    cases = [
        (t.business_unit == unit, ibis.literal(cfg.scoring.shares(unit)[name]))
        for unit in cfg.scoring.weights
        if unit != "default"
    ]
    return ibis.cases(*cases, else_=ibis.literal(default)) if cases else ibis.literal(default)


def with_score(t: ir.Table, cfg: ReviewSettings, caps: dict[str, float | None]) -> ir.Table:
    cols, total = {}, None
    for name, ind in cfg.scoring.indicators.items():
        norm, missing = normalised(t, name, ind, caps.get(name))
        norm = norm.cast("float64")
        share = weight_share(t, cfg, name).cast("float64")
        contribution = share * norm
        cols[f"norm_{name}"] = norm
        cols[f"miss_{name}"] = missing
        cols[f"share_{name}"] = share
        cols[f"contrib_{name}"] = contribution
        total = contribution if total is None else total + contribution
    return t.mutate(**cols, value_score=total)
