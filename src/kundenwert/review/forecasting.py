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
    """The lifetime value that counts as 100 in the blend."""
    expr = t.aggregate(cap=t.clv.quantile(cfg.potential.cap_quantile, where=t.clv > 0))
    value = backend.to_pyarrow(expr).to_pylist()[0]["cap"]
    return None if value is None else float(value)


def with_potential(t: ir.Table, cfg: ReviewSettings, cap: float | None) -> ir.Table:
    """Adds ``potential`` and ``potential_source`` per the configured source."""
    source = cfg.potential.source
    has_forecast = t.clv.notnull()
    if source == "forecast":
        # No forecast for a customer (no purchase yet) means no expected future spend.
        return t.mutate(
            potential=t.clv.fill_null(0.0),
            potential_source=ibis.ifelse(has_forecast, "forecast", "none"),
        )
    names = cfg.potential.indicators
    ratings = sum((t[f"norm_{n}"] for n in names[1:]), t[f"norm_{names[0]}"]) / len(names)
    if source == "ratings":
        return t.mutate(potential=ratings, potential_source=ibis.literal("ratings"))
    w = cfg.potential.ratings_weight
    scaled = ibis.least(ibis.greatest(t.clv, 0.0) / cap, 1.0) * 100.0 if cap else ibis.literal(0.0)
    return t.mutate(
        potential=ibis.ifelse(has_forecast, w * ratings + (1 - w) * scaled, ratings),
        potential_source=ibis.ifelse(has_forecast, "blend", "ratings"),
    )
