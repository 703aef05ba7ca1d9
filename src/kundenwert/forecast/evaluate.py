"""Holdout validation: fit on a calibration period, compare predictions with what happened.

The table the literature shows (Fader, Hardie & Lee 2005, fig. 4): customers grouped by their
number of repeat purchases in the calibration period (0, 1, ..., 6, 7+), and per group the mean
number of purchases in the holdout period, actual against predicted (conditional expectation).
Beside it the totals and the error per customer (MAE, RMSE).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from kundenwert.engine.inputs import to_arrow
from kundenwert.errors import InputError
from kundenwert.forecast.config import Duration, ForecastSettings
from kundenwert.forecast.fitting import AUTO, fit_purchase_summary, invoices_of, needs_gaps
from kundenwert.forecast.gaps import GAP_COLUMNS, with_gaps
from kundenwert.forecast.summary import SUMMARY_COLUMNS, calibration_holdout

TOP_GROUP = 7  # customers with 7 or more calibration purchases form one group ("7+")


@dataclass(frozen=True)
class FrequencyGroup:
    label: str
    customers: int
    actual_mean: float
    predicted_mean: float


@dataclass
class HoldoutEvaluation:
    model: str
    unit: str
    calibration_end: date
    holdout_end: date
    holdout: str
    params: dict[str, float]
    log_likelihood: float
    converged: bool
    customers: int
    total_actual: float
    total_predicted: float
    mae: float
    rmse: float
    groups: list[FrequencyGroup] = field(default_factory=list)
    #: With model "auto": how each candidate did on the calibration data's own holdout.
    selection: dict[str, Any] | None = None
    #: Per customer of the calibration period: customer_id, holdout_actual, holdout_predicted.
    per_customer: pa.Table | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        per_customer, self.per_customer = self.per_customer, None
        try:
            out = asdict(self)
        finally:
            self.per_customer = per_customer
        out.pop("per_customer")
        out["calibration_end"] = self.calibration_end.isoformat()
        out["holdout_end"] = self.holdout_end.isoformat()
        return out

    def groups_table(self) -> pa.Table:
        """The per-group comparison as a table (for the export)."""
        return pa.Table.from_pylist([asdict(g) for g in self.groups])


def group_comparison(
    frequency: np.ndarray, actual: np.ndarray, predicted: np.ndarray
) -> list[FrequencyGroup]:
    groups = np.minimum(frequency, TOP_GROUP).astype(int)
    out = []
    for g in range(TOP_GROUP + 1):
        member = groups == g
        if not member.any():
            continue
        out.append(
            FrequencyGroup(
                label=f"{g}+" if g == TOP_GROUP else str(g),
                customers=int(member.sum()),
                actual_mean=float(actual[member].mean()),
                predicted_mean=float(predicted[member].mean()),
            )
        )
    return out


def _last_invoice_date(invoices: Any) -> date:
    last = to_arrow(invoices.date.max()).as_py()
    if last is None:
        raise InputError("Es gibt keine Rechnungen.", hint="Importieren Sie zuerst Rechnungen.")
    return last


def evaluate_holdout(
    source: Any,
    holdout: Duration,
    settings: ForecastSettings,
    *,
    calibration_end: date | None = None,
    unit: str | None = None,
    model: str | None = None,
) -> HoldoutEvaluation:
    """Fit on invoices up to ``calibration_end`` and predict the following ``holdout``.

    Without ``calibration_end`` the holdout is the last ``holdout`` of the data. With model
    ``auto`` the model is chosen on the calibration data alone (:mod:`.choice`).
    """
    unit = unit or settings.unit
    name = model or settings.model
    invoices = invoices_of(source)
    if calibration_end is None:
        calibration_end = _last_invoice_date(invoices) - timedelta(days=holdout.days)
    selection = None
    if name == AUTO:
        from kundenwert.forecast.choice import choose_model  # it calls this function

        selection = choose_model(invoices, calibration_end, settings, unit)
        name = selection["chosen"]
    zero_value = settings.zero_value_purchases
    expr = calibration_holdout(invoices, calibration_end, holdout, unit, zero_value=zero_value)
    columns = list(SUMMARY_COLUMNS)
    if needs_gaps(name):
        expr = with_gaps(expr, invoices, calibration_end, unit, zero_value=zero_value)
        columns += GAP_COLUMNS
    table = to_arrow(expr)
    fitted = fit_purchase_summary(table.select(columns), settings, name)
    x, tx, T = (table[c].to_numpy() for c in ("frequency", "recency", "T"))
    actual = table["holdout_frequency"].to_numpy().astype(np.float64)
    predicted = fitted.expected_purchases(holdout.in_units(unit), x, tx, T)
    error = predicted - actual
    return HoldoutEvaluation(
        model=fitted.name,
        unit=unit,
        calibration_end=calibration_end,
        holdout_end=calibration_end + timedelta(days=holdout.days),
        holdout=str(holdout),
        params=dict(fitted.params_),
        log_likelihood=fitted.log_likelihood_,
        converged=fitted.converged_,
        customers=len(x),
        total_actual=float(actual.sum()),
        total_predicted=float(predicted.sum()),
        mae=float(np.abs(error).mean()),
        rmse=float(np.sqrt((error**2).mean())),
        groups=group_comparison(x, actual, predicted),
        selection=selection,
        per_customer=pa.table(
            {
                "customer_id": table["customer_id"].cast(pa.string()),
                "holdout_actual": pa.array(actual),
                "holdout_predicted": pa.array(np.asarray(predicted, dtype=np.float64)),
            }
        ),
    )
