"""The forecast in the review: the potential's second source and the forecast columns.

``potential.source`` decides where a customer's potential comes from: the ratings (0..100),
the forecast's customer lifetime value (money), or a blend of both (ratings where a customer
has no forecast). Whatever the source, the review keeps the forecast columns when
``potential.forecast_columns`` is on. A forecast that cannot be fitted never stops a review
that does not depend on it: its columns stay empty and the review says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kundenwert.errors import ConfigError, KundenwertError
from kundenwert.forecast.config import parse_duration
from kundenwert.review.config import ReviewSettings

FORECAST_COLUMNS = ("expected_purchases", "p_alive", "expected_spend", "clv")
#: Purchases in the validation holdout: actual, and predicted by the forecast fitted before it.
HOLDOUT_COLUMNS = ("holdout_actual", "holdout_predicted")
FORECAST_TABLE = "_kw_forecast"


@dataclass(frozen=True)
class ReviewForecast:
    table: pa.Table | None  # customer_id plus FORECAST_COLUMNS, or None
    info: dict[str, Any] = field(default_factory=dict)  # stored with the review


def review_forecast(store, settings, cfg: ReviewSettings, as_of: date) -> ReviewForecast:
    """Fit the forecast as of ``as_of`` if the review needs or keeps it."""
    if cfg.potential.source == "ratings" and not cfg.potential.forecast_columns:
        return ReviewForecast(None, {"status": "off"})
    try:
        forecast = import_module("kundenwert.forecast")
        table, fit = forecast.customer_forecast_fit(store, as_of, settings)
    except (ImportError, AttributeError) as exc:
        return _unavailable(cfg, "kundenwert.forecast fehlt", exc)
    except KundenwertError as exc:
        return _unavailable(cfg, exc.message, exc)
    info = {"status": "fitted", **fit}
    table = table.select(["customer_id", *FORECAST_COLUMNS])
    if cfg.potential.holdout:
        info["validation"], per_customer = _validation(
            store, settings, cfg.potential.holdout, as_of
        )
        if per_customer is not None:
            table = table.join(per_customer, "customer_id", join_type="left outer")
    return ReviewForecast(table, info)


def _validation(
    store, settings, holdout: str, as_of: date
) -> tuple[dict[str, Any], pa.Table | None]:
    """The holdout comparison of the forecast ending at ``as_of`` (or why there is none), and
    its per-customer figures."""
    period = parse_duration(holdout)
    try:
        evaluate = import_module("kundenwert.forecast").evaluate_holdout
    except (ImportError, AttributeError):
        return {"status": "unavailable", "reason": "kundenwert.forecast fehlt"}, None
    try:
        result = evaluate(
            store, period, settings.forecast, calibration_end=as_of - timedelta(days=period.days)
        )
    except KundenwertError as exc:
        return {"status": "unavailable", "reason": exc.message}, None
    return {"status": "done", **result.to_dict()}, result.per_customer


def _unavailable(cfg: ReviewSettings, reason: str, exc: Exception) -> ReviewForecast:
    if cfg.potential.source == "forecast":
        raise ConfigError(
            f'review.potential.source = "forecast", aber die Prognose ist nicht möglich: {reason}',
            hint='Wählen Sie review.potential.source = "blend" oder "ratings".',
            key="review.potential.source",
        ) from exc
    return ReviewForecast(None, {"status": "unavailable", "reason": reason})


def with_forecast_columns(store, base: ir.Table, forecast: ReviewForecast) -> ir.Table:
    """``base`` with the forecast columns (null for customers without a forecast)."""
    if forecast.table is not None:
        store.con.register("_kw_forecast_arrow", forecast.table)
        store.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {FORECAST_TABLE} AS FROM _kw_forecast_arrow"
        )
        store.con.unregister("_kw_forecast_arrow")
        f = store.ibis().table(FORECAST_TABLE)
        base = base.left_join(f, "customer_id").drop("customer_id_right")
    # Without a forecast, or without its validation, the columns are there all the same, empty.
    missing = [c for c in (*FORECAST_COLUMNS, *HOLDOUT_COLUMNS) if c not in base.columns]
    return base.mutate(**{c: ibis.null("float64") for c in missing}) if missing else base


def clv_cap(backend, t: ir.Table, cfg: ReviewSettings) -> float | None:
    """The lifetime value that counts as 100 in the blend (``clv_scale = "cap"``)."""
    expr = t.aggregate(cap=t.clv.quantile(cfg.potential.cap_quantile, where=t.clv > 0))
    value = backend.to_pyarrow(expr).to_pylist()[0]["cap"]
    return None if value is None else float(value)


def scaled_clv(t: ir.Table, cfg: ReviewSettings, cap: float | None) -> ir.Value:
    """The lifetime value on the potential's 0..100 scale (None without a forecast).

    ``rank`` (default): 100 x the share of the positive lifetime values at or below this
    one, so the median customer with a forecast is at 50, as the middle of a rating scale is;
    ``cap``: 100 x value / the ``cap_quantile`` of the positive values, capped at 100. A value
    of 0 or below is 0.
    """
    clv = t.clv
    if cfg.potential.clv_scale == "rank":
        positive = clv > 0
        # cume_dist counts ties together (RANGE frame): equal values, equal rank.
        rank = ibis.cume_dist().over(ibis.window(group_by=positive, order_by=clv))
        scaled = ibis.ifelse(positive, rank * 100.0, 0.0)
    elif cap:
        scaled = ibis.least(ibis.greatest(clv, 0.0) / cap, 1.0) * 100.0
    else:
        scaled = ibis.literal(0.0)
    return ibis.ifelse(clv.notnull(), scaled, ibis.null("float64")).cast("float64")


def potential_parts(cfg: ReviewSettings) -> list[tuple[str, float]]:
    """The parts of the potential and their weights (summing to 1): each rating indicator
    of ``potential.indicators`` and, for the blend, the scaled lifetime value ``clv``."""
    pot = cfg.potential
    if pot.source == "forecast":
        return [("clv", 1.0)]
    w = 1.0 if pot.source == "ratings" else pot.ratings_weight
    parts = [(n, w / len(pot.indicators)) for n in pot.indicators]
    return [*parts, ("clv", 1.0 - w)] if pot.source == "blend" else parts


def with_potential(t: ir.Table, cfg: ReviewSettings, cap: float | None) -> ir.Table:
    """Adds ``potential``, ``potential_coverage`` and ``potential_source``.

    One scale for every customer: the potential is the weighted mean of its *known* parts,
    their weights re-weighted to sum to 1; ``potential_coverage`` is the weight of the known
    parts. Nothing known: no potential (None), never on the high side of the matrix.
    Source ``forecast`` keeps the lifetime value in money.
    """
    if cfg.potential.source == "forecast":
        known = t.clv.notnull()
        return t.mutate(
            potential=t.clv,
            potential_coverage=ibis.ifelse(known, 1.0, 0.0),
            potential_source=ibis.ifelse(known, "forecast", "none"),
        )
    values = {n: t[f"norm_{n}"] for n, _ in potential_parts(cfg) if n != "clv"}
    if cfg.potential.source == "blend":
        values["clv"] = scaled_clv(t, cfg, cap)
    weighted, coverage = ibis.literal(0.0), ibis.literal(0.0)
    for name, weight in potential_parts(cfg):
        if weight <= 0:
            continue
        known = values[name].notnull()
        weighted = weighted + ibis.ifelse(known, weight * values[name], 0.0)
        coverage = coverage + ibis.ifelse(known, weight, 0.0)
    ratings_known = ibis.literal(False)
    for name in values:
        if name != "clv":
            ratings_known = ratings_known | values[name].notnull()
    clv_known = values["clv"].notnull() if "clv" in values else ibis.literal(False)
    source = ibis.cases(
        (ratings_known & clv_known, "blend"),
        (ratings_known, "ratings"),
        (clv_known, "forecast"),
        else_="none",
    )
    return t.mutate(
        potential=ibis.ifelse(coverage > 0, weighted / coverage, ibis.null("float64")),
        potential_coverage=coverage,
        potential_source=source,
    )


def potential_findings(backend, t: ir.Table, cfg: ReviewSettings) -> list[dict[str, Any]]:
    """Parts of the potential known for no customer (e.g. nobody is rated): the potential
    then rests on the other parts alone, and the review says so."""
    parts = [(n, w) for n, w in potential_parts(cfg) if w > 0]
    if len(parts) < 2:
        return []  # a single part known for nobody is an axis without information
    column = {n: ("clv" if n == "clv" else f"norm_{n}") for n, _ in parts}
    row = backend.to_pyarrow(t.aggregate(**{n: t[c].count() for n, c in column.items()}))
    counts = row.to_pylist()[0]
    unknown = [n for n, _ in parts if counts[n] == 0]
    if not unknown or len(unknown) == len(parts):
        return []
    return [{"key": "potential_part_unknown", "parts": unknown}]
