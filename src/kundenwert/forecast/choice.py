"""Model ``auto``: the purchase model that forecast the calibration data's own last weeks best.

Before ``as_of`` the last ``forecast.selection_holdout`` (default 26 weeks) of the data is held
out: BG/NBD, Pareto/NBD and MBG/CNBD-k are each fitted on the purchases before it and predict
each customer's purchases in it (:func:`kundenwert.forecast.evaluate.evaluate_holdout`). The
model with the smallest mean absolute error per customer is chosen and then fitted on all data
up to ``as_of``; on equal error the simpler model earlier in that list wins. A model whose fit
fails (too few customers, no convergence) is left out with its reason. Nothing after ``as_of``
is used, so ``forecast evaluate --model auto`` chooses without seeing its own holdout.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import ibis

from kundenwert.errors import KundenwertError
from kundenwert.forecast.config import ForecastSettings
from kundenwert.forecast.evaluate import evaluate_holdout

CANDIDATES = ("bgnbd", "pnbd", "mbgcnbd")


def choose_model(
    invoices: ibis.Table, as_of: date, settings: ForecastSettings, unit: str
) -> dict[str, Any]:
    """The candidate with the smallest holdout MAE per customer, and how each candidate did.

    Returned: ``chosen`` (a model code), ``holdout`` (e.g. ``26w``), ``calibration_end``,
    ``mae`` (per candidate; None when its fit failed), ``fitted`` (the model each candidate
    became, e.g. a limit) and ``failed`` (candidate -> reason).
    """
    holdout = settings.selection_holdout_duration
    calibration_end = as_of - timedelta(days=holdout.days)
    mae: dict[str, float | None] = {}
    fitted: dict[str, str] = {}
    failed: dict[str, str] = {}
    for name in CANDIDATES:
        try:
            result = evaluate_holdout(
                invoices, holdout, settings, calibration_end=calibration_end, unit=unit, model=name
            )
        except KundenwertError as exc:
            mae[name] = None
            failed[name] = str(exc)
            continue
        mae[name] = result.mae
        fitted[name] = result.model
    usable = {name: m for name in CANDIDATES if (m := mae[name]) is not None}
    if not usable:
        raise KundenwertError(
            "Kein Prognosemodell ließ sich für die automatische Wahl anpassen: "
            + "; ".join(f"{name}: {reason}" for name, reason in failed.items()),
            hint="Wählen Sie ein Modell fest oder verkürzen Sie forecast.selection_holdout.",
        )
    chosen = min(usable, key=usable.__getitem__)  # min keeps the first on a tie
    return {
        "chosen": chosen,
        "holdout": str(holdout),
        "calibration_end": calibration_end.isoformat(),
        "mae": mae,
        "fitted": fitted,
        "failed": failed,
    }
