"""Future potential: buy-till-you-die forecasts of purchases, spend and lifetime value.

BG/NBD, Pareto/NBD and MBG/CNBD-k for the number of future purchases, Gamma-Gamma for their
value, fitted by maximum likelihood on each customer's repeat-purchase summary (see
:mod:`.summary`) and validated on a holdout period (see :mod:`.evaluate`).

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
    "MBGCNBDModel": "mbgcnbd",
    "NotFittedError": "base",
    "ParetoNBDModel": "pnbd",
    "choose_model": "choice",
    "customer_forecast": "customers",
    "customer_forecast_fit": "customers",
    "customer_lifetime_value": "clv",
    "customer_rhythm": "rhythm",
    "evaluate_holdout": "evaluate",
    "fit_forecast": "fitting",
    "fit_summary": "fitting",
    "forecast_table": "customers",
    "gap_summary": "gaps",
    "parse_duration": "config",
    "rhythm_table": "rhythm",
}

__all__, __getattr__ = lazy_exports(__name__, _EXPORTS)
