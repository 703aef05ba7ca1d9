"""The value score (DOMAIN.md point 2): normalised indicators, weights, coverage, contributions.

Normalisation to 0..100 (documented in docs/review.md):

* money, counts, hours (invoices, installed_base, activities): ``100 * min(max(x, 0) / cap, 1)``
  where ``cap`` is the ``cap_quantile`` (default 0.95, interpolated) of all positive values
  in the review; no positive value at all gives 0 for everyone. Capping keeps one giant
  customer from flattening everybody else, and the rule is monotone: more never scores less.
  No rows is a known 0 (no invoices in the window, no machines delivered).
* ratings: linear on the configured scale, ``100 * (x - worst) / (best - worst)``, clipped; a
  reversed scale (best < worst, e.g. competitive intensity) works the same way. A customer
  without a (recent enough) rating is *unknown* on that indicator (``missing = "unknown"``,
  the default), or gets the worst value when the company decided so (``missing = "zero"``).
* customers (location): the configured points (already 0..100); an empty attribute is unknown.

Missing is unknown, never neutral: the score is taken over the known indicators only, their
weights re-weighted to sum to 1. ``score_coverage`` is the configured weight share of the
known indicators; below ``minimum_coverage`` a customer gets no score (None). Weights are per
business unit (``default`` for every other unit); a customer's contribution of an indicator is
``re-weighted share * normalised`` and the contributions add up to the score.
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
    """(normalised 0..100 or None when unknown, missing flag) of one indicator."""
    raw = t[f"raw_{name}"]
    if ind.is_money:
        if cap is None or cap <= 0:
            return ibis.literal(0.0), ibis.literal(False)
        return ibis.least(ibis.greatest(raw, 0.0) / cap, 1.0) * 100.0, ibis.literal(False)
    if ind.source == "ratings":
        worst, best = ind.scale
        value = raw.fill_null(worst) if ind.missing == "zero" else raw
        # (x - worst) / (best - worst) is the same formula for a reversed scale (best < worst).
        scaled = ibis.least(ibis.greatest((value - worst) / (best - worst), 0.0), 1.0) * 100.0
        return _keep_unknown(value, scaled), raw.isnull()
    return _keep_unknown(raw, ibis.least(ibis.greatest(raw, 0.0), 100.0)), raw.isnull()


def _keep_unknown(raw: ir.Value, scaled: ir.Value) -> ir.Value:
    # DuckDB's GREATEST and LEAST skip NULLs (GREATEST(NULL, 0) is 0): unknown stays unknown.
    return ibis.ifelse(raw.isnull(), ibis.null("float64"), scaled)


def weight_share(t: ir.Table, cfg: ReviewSettings, name: str) -> ir.Value:
    """The indicator's configured weight share for each customer's business unit."""
    default = cfg.scoring.shares("default")[name]
    cases = [
        (t.business_unit == unit, ibis.literal(cfg.scoring.shares(unit)[name]))
        for unit in cfg.scoring.weights
        if unit != "default"
    ]
    return ibis.cases(*cases, else_=ibis.literal(default)) if cases else ibis.literal(default)


def with_score(t: ir.Table, cfg: ReviewSettings, caps: dict[str, float | None]) -> ir.Table:
    names = list(cfg.scoring.indicators)
    norms, misses, shares = {}, {}, {}
    for name, ind in cfg.scoring.indicators.items():
        norm, missing = normalised(t, name, ind, caps.get(name))
        norms[name] = norm.cast("float64")
        misses[name] = missing
        shares[name] = weight_share(t, cfg, name).cast("float64")
    coverage = sum(
        (ibis.ifelse(norms[n].notnull(), shares[n], 0.0) for n in names[1:]),
        ibis.ifelse(norms[names[0]].notnull(), shares[names[0]], 0.0),
    )
    t = t.mutate(score_coverage=coverage, **{f"norm_{n}": norms[n] for n in names})
    scored = (t.score_coverage > 0) & (t.score_coverage >= cfg.scoring.minimum_coverage - 1e-12)
    cols, total = {}, None
    for n in names:
        norm = t[f"norm_{n}"]
        share = ibis.ifelse(norm.notnull() & scored, shares[n] / t.score_coverage, 0.0)
        contribution = ibis.ifelse(scored, share * norm.fill_null(0.0), ibis.null("float64"))
        cols[f"miss_{n}"] = misses[n]
        cols[f"share_{n}"] = share
        cols[f"contrib_{n}"] = contribution
        total = contribution if total is None else total + contribution
    return t.mutate(**cols, value_score=total)
