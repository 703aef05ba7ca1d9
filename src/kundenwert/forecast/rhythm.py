"""Each customer's rhythm beside the model's P(alive): the inputs of a "customer gone silent"
alert that knows a regular customer's missed reorder from an irregular customer's quiet spell.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from kundenwert.forecast.config import UNIT_DAYS
from kundenwert.forecast.fitting import ForecastFit, fit_forecast

RHYTHM_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("frequency", pa.int64()),
        ("p_alive", pa.float64()),
        ("usual_gap_days", pa.float64()),
        ("last_gap_days", pa.float64()),
        ("days_since_last", pa.int64()),
        ("overdue_ratio", pa.float64()),
        ("model", pa.string()),
        ("k", pa.int64()),
    ]
)


def customer_rhythm(
    source: Any, as_of: date, settings: Any, *, unit: str | None = None
) -> tuple[pa.Table, dict[str, Any]]:
    """Per customer with a purchase up to ``as_of``: P(alive) and her rhythm; and the fit.

    ``source`` is a :class:`~kundenwert.store.Store` or an Ibis invoice table; ``settings`` the
    whole :class:`~kundenwert.settings.Settings` or its ``forecast`` section, whose ``model``
    (``bgnbd``, ``pnbd``, ``mbgcnbd`` or ``auto``) is fitted. Returns :func:`rhythm_table` of
    that fit and the fit's description (``ForecastFit.to_dict``: model, k, how auto chose;
    :func:`kundenwert.forecast.text.describe_fit` turns it into a sentence). A fit that does
    not converge raises :class:`~kundenwert.forecast.base.ConvergenceError`.
    """
    fs = settings.forecast if hasattr(settings, "forecast") else settings
    fit = fit_forecast(source, as_of, fs, unit=unit)
    return rhythm_table(fit), fit.to_dict()


def rhythm_table(fit: ForecastFit) -> pa.Table:
    """One row per customer of ``fit`` (schema :data:`RHYTHM_SCHEMA`):

    * ``p_alive`` — P(still a customer at the reference date) under the fitted model. Under the
      MBG/CNBD-k with k > 1 it falls faster once the silence exceeds the customer's own usual
      gap than under BG/NBD or Pareto/NBD, which see purchases as random;
    * ``usual_gap_days`` — her mean gap between purchase days (first to last purchase divided
      by the repeat purchases); null without a repeat purchase;
    * ``last_gap_days`` — the gap before her last purchase (null when the model was fitted
      without the gaps, i.e. not the MBG/CNBD-k, or without a repeat purchase);
    * ``days_since_last`` — days from her last purchase to the reference date;
    * ``overdue_ratio`` — days_since_last / usual_gap_days (2.3: silent for 2.3 usual gaps);
    * ``model``, ``k`` — the purchase model code and, for the MBG/CNBD-k, its k.
    """
    c = fit.customers
    days = UNIT_DAYS[fit.unit]
    x, tx, T = (c[name].to_numpy().astype(np.float64) for name in ("frequency", "recency", "T"))
    p_alive = fit.purchases.probability_alive(x, tx, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        usual = np.where(x > 0, tx * days / x, np.nan)
        since = np.rint((T - tx) * days).astype(np.int64)  # whole days, units back to days
        ratio = np.where(x > 0, since / usual, np.nan)
    last_gap = (
        c["last_gap"].cast(pa.float64())
        if "last_gap" in c.column_names
        else pa.nulls(c.num_rows, pa.float64())
    )
    k = fit.purchases.params_.get("k")
    columns = [
        c["customer_id"].cast(pa.string()),
        c["frequency"].cast(pa.int64()),
        pa.array(p_alive, pa.float64()),
        pa.array(usual, pa.float64(), from_pandas=True),
        last_gap,
        pa.array(since, pa.int64()),
        pa.array(ratio, pa.float64(), from_pandas=True),
        pa.array([fit.purchases.name] * c.num_rows, pa.string()),
        pa.array([None if k is None else int(k)] * c.num_rows, pa.int64()),
    ]
    return pa.Table.from_arrays(columns, schema=RHYTHM_SCHEMA)
