"""Per-customer forecast: the potential source the review joins (one row per customer)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from kundenwert.forecast.clv import customer_lifetime_value
from kundenwert.forecast.fitting import ForecastFit, fit_forecast

FORECAST_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("frequency", pa.int64()),
        ("recency", pa.float64()),
        ("T", pa.float64()),
        ("expected_purchases", pa.float64()),
        ("p_alive", pa.float64()),
        ("expected_spend", pa.float64()),
        ("clv", pa.float64()),
        ("model", pa.string()),
    ]
)


def forecast_table(fit: ForecastFit, settings: Any) -> pa.Table:
    """Expected purchases over the horizon, P(alive), expected spend and CLV per customer.

    ``expected_spend`` and ``clv`` are null when there were too few repeat customers to fit
    the spend model (``forecast.min_repeat_customers``).
    """
    fs = settings.forecast if hasattr(settings, "forecast") else settings
    c = fit.customers
    x, tx, T = (c[name].to_numpy() for name in ("frequency", "recency", "T"))
    horizon = fs.horizon_duration
    purchases = fit.purchases.expected_purchases(horizon.in_units(fit.unit), x, tx, T)
    p_alive = fit.purchases.probability_alive(x, tx, T)
    model = fit.purchases.name
    if fit.spend is None:
        spend = clv = pa.nulls(c.num_rows, pa.float64())
    else:
        model += "+" + fit.spend.name
        spend = fit.spend.expected_spend(x, c["monetary_value"].to_numpy())
        clv = customer_lifetime_value(
            fit.purchases,
            spend,
            x,
            tx,
            T,
            horizon_days=horizon.days,
            unit=fit.unit,
            margin=fs.margin,
            discount_rate=fs.discount_rate,
        )
    columns = [
        c["customer_id"].cast(pa.string()),
        c["frequency"].cast(pa.int64()),
        c["recency"],
        c["T"],
        pa.array(purchases),
        pa.array(p_alive),
        spend if isinstance(spend, pa.Array) else pa.array(np.asarray(spend)),
        clv if isinstance(clv, pa.Array) else pa.array(np.asarray(clv)),
        pa.array([model] * c.num_rows, pa.string()),
    ]
    return pa.Table.from_arrays(columns, schema=FORECAST_SCHEMA)


def customer_forecast(store: Any, as_of: date, settings: Any) -> pa.Table:
    """Fit the configured models on the store's invoices up to ``as_of``; one row per customer.

    ``settings`` is the whole :class:`~kundenwert.settings.Settings` (its ``forecast`` section
    is used) or a :class:`~kundenwert.forecast.config.ForecastSettings`. A fit that did not
    converge raises :class:`~kundenwert.forecast.base.ConvergenceError`.
    """
    return customer_forecast_fit(store, as_of, settings)[0]


def customer_forecast_fit(store: Any, as_of: date, settings: Any) -> tuple[pa.Table, dict]:
    """:func:`customer_forecast` and the fit it came from (models, parameters, convergence),
    as the review stores it."""
    fs = settings.forecast if hasattr(settings, "forecast") else settings
    fit = fit_forecast(store, as_of, fs)
    return forecast_table(fit, fs), fit.to_dict()
