"""Future potential: buy-till-you-die forecasts of purchases, spend and lifetime value.

BG/NBD and Pareto/NBD for the number of future purchases, Gamma-Gamma for their value, fitted by
maximum likelihood on each customer's repeat-purchase summary (see :mod:`.summary`) and
validated on a holdout period (see :mod:`.evaluate`).

Names are imported lazily: ``kundenwert.settings`` imports :mod:`.config`, and loading the
settings must not pull in SciPy and Ibis.
"""

from __future__ import annotations

from kundenwert.lazy import lazy_exports

_EXPORTS = {
    "BetaGeoModel": "bgnbd",
    "ConvergenceError": "base",
    "Duration": "config",
    "ForecastFit": "fitting",
    "ForecastSettings": "config",
    "GammaGammaModel": "gammagamma",
    "HoldoutEvaluation": "evaluate",
    "NotFittedError": "base",
    "ParetoNBDModel": "pnbd",
    "customer_forecast": "customers",
    "customer_forecast_fit": "customers",
    "customer_lifetime_value": "clv",
    "evaluate_holdout": "evaluate",
    "fit_forecast": "fitting",
    "fit_summary": "fitting",
    "forecast_table": "customers",
    "parse_duration": "config",
}

__all__, __getattr__ = lazy_exports(__name__, _EXPORTS)
