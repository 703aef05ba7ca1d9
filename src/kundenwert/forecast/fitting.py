"""Fitting the forecast models on the invoices of the store (or any invoice table) at a date."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from kundenwert.engine.inputs import Inputs, to_arrow
from kundenwert.errors import InputError
from kundenwert.forecast.config import ForecastSettings
from kundenwert.store.database import Store

if TYPE_CHECKING:
    import ibis

    from kundenwert.forecast.bgnbd import BetaGeoModel
    from kundenwert.forecast.gammagamma import GammaGammaModel
    from kundenwert.forecast.limits import CommonDropoutModel
    from kundenwert.forecast.mbgcnbd import MBGCNBDModel, Regularity, SearchSample
    from kundenwert.forecast.pnbd import ParetoNBDModel

    PurchaseModel = BetaGeoModel | ParetoNBDModel | MBGCNBDModel | CommonDropoutModel

LR_LEVEL = 0.95  # the likelihood-ratio test between a model and its limit
AUTO = "auto"  # the model setting that chooses by holdout error (kundenwert.forecast.choice)

#: Each purchase model's module and class. The model modules are imported only when a model is
#: fitted: with them SciPy's special functions and optimiser (half a second of every
#: ``forecast fit`` process), which :func:`fit_forecast` imports in a thread while the engine
#: computes the summary.
MODELS: dict[str, tuple[str, str]] = {
    "bgnbd": ("kundenwert.forecast.bgnbd", "BetaGeoModel"),
    "pnbd": ("kundenwert.forecast.pnbd", "ParetoNBDModel"),
    "mbgcnbd": ("kundenwert.forecast.mbgcnbd", "MBGCNBDModel"),
}
#: What fitting any purchase model and Gamma-Gamma imports besides the model's own module.
FIT_MODULES = (
    "kundenwert.forecast.gammagamma",
    "kundenwert.forecast.limits",
    "kundenwert.forecast.distinct",
    "scipy.special",
)


def needs_gaps(name: str) -> bool:
    """Whether fitting ``name`` needs the gaps between purchases (:mod:`.gaps`) in the summary."""
    return name in ("mbgcnbd", AUTO)


def invoices_of(source: Any) -> ibis.Table:
    """The invoice lines of a :class:`~kundenwert.store.Store`, of engine inputs
    (:class:`kundenwert.engine.Inputs`, e.g. on Spark) or an Ibis table as is."""
    import ibis

    from kundenwert.forecast.summary import invoices_table

    if isinstance(source, ibis.Table):
        return source
    if isinstance(source, Inputs):
        return source.table("invoices")
    return invoices_table(source)


def purchase_model(name: str, **kwargs: Any) -> BetaGeoModel | ParetoNBDModel | MBGCNBDModel:
    if name not in MODELS:
        raise InputError(
            f"Unbekanntes Prognosemodell {name!r}.",
            hint=f"Möglich: {', '.join(MODELS)}, {AUTO}.",
        )
    module, cls = MODELS[name]
    return getattr(import_module(module), cls)(**kwargs)


def import_in_background(name: str) -> threading.Thread:
    """Import what fitting model ``name`` needs in a thread and return it (to be joined).

    Started just before the summary runs: DuckDB (and Spark's client) release the GIL while
    they compute, so the imports cost the process little wall time. A failing import is left
    to the thread that needs the module, which meets the same error.
    """

    def load() -> None:
        for module in (*FIT_MODULES, MODELS.get(name, MODELS["bgnbd"])[0]):
            try:
                import_module(module)
            except Exception:  # raised again where the module is needed
                return

    thread = threading.Thread(target=load, name="kundenwert-imports")
    thread.start()
    return thread


def fit_purchases(
    triples: Any,
    name: str,
    allow_unconverged: bool = False,
    regularity: Regularity | None = None,
    search: SearchSample | None = None,
) -> PurchaseModel:
    """The configured purchase model, or the limit it runs into, fitted on distinct triples.

    A fit that does not converge, or whose parameters run off towards a limit of the model
    (the BG/NBD's a and b growing with a/(a+b) fixed), is compared with the limits that need
    fewer parameters: one dropout probability for all customers (BG/NBD only), then no dropout
    at all (NBD, the limit of both models). A limit is taken when it converges and the
    configured model is not better by a likelihood-ratio test at 5 %; it then names the fit it
    replaces (``replaces``) in every output. Without a usable limit the configured fit stands,
    converged or not, and predicting from an unconverged one raises ConvergenceError.
    The MBG/CNBD-k needs ``regularity`` (the gaps, :func:`.mbgcnbd.regularity_of`) to choose k,
    on ``search`` when given (:func:`.mbgcnbd.search_sample`); its only limit here is the NBD
    (its own common-dropout limit is not implemented).
    """
    from kundenwert.forecast.limits import CommonDropoutModel

    model = purchase_model(name, allow_unconverged=allow_unconverged)
    if name == "mbgcnbd":
        fitted: PurchaseModel = model.fit(triples, regularity, search)  # type: ignore[call-arg]
    else:
        fitted = model.fit(triples)
    if fitted.converged_ and not fitted.near_limit():
        return fitted
    candidates = [CommonDropoutModel(dropout=False)]
    if name == "bgnbd":
        candidates.insert(0, CommonDropoutModel())
    for limit in candidates:
        limit.fit(triples)
        extra = len(fitted.param_names) - len(limit.param_names)
        gain = fitted.log_likelihood_ - limit.log_likelihood_
        if limit.converged_ and 2.0 * gain <= chi2_quantile(LR_LEVEL, extra):
            limit.replaces_ = {
                **fitted.summary_dict(),
                "reason": "not_converged" if not fitted.converged_ else "near_limit",
            }
            return limit
    return fitted


def chi2_quantile(level: float, df: int) -> float:
    """``scipy.stats.chi2.ppf(level, df)`` by its own formula, without importing scipy.stats
    (half a second at the start of every ``forecast fit``)."""
    from scipy.special import gammaincinv

    return float(2.0 * gammaincinv(df / 2.0, level))


@dataclass
class ForecastFit:
    """A purchase model and (when the data allow) a spend model, fitted at ``as_of``."""

    as_of: date
    unit: str
    purchases: PurchaseModel
    spend: GammaGammaModel | None
    customers: pa.Table  # the summary the models were fitted on, one row per customer
    #: With model "auto": how each candidate did on the calibration data's own holdout.
    selection: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"as_of": self.as_of.isoformat(), "unit": self.unit}
        out.update(self.purchases.summary_dict())
        if self.selection is not None:
            out["selection"] = self.selection
        out["spend"] = None if self.spend is None else self.spend.summary_dict()
        return out


def fit_summary(
    customers: pa.Table,
    settings: ForecastSettings,
    model: str | None = None,
    *,
    allow_unconverged: bool = False,
) -> tuple[PurchaseModel, GammaGammaModel | None]:
    """Fit the purchase model on the distinct triples, Gamma-Gamma on the distinct spend pairs.

    The two fits are independent, so Gamma-Gamma (with its distinct pairs) runs in a thread
    beside the purchase model: their NumPy work releases the GIL, and each fills the other's
    single-threaded stretches (sorting the distinct rows, the optimiser's steps). Each result
    is the same as fitted alone.
    """
    from threadpoolctl import threadpool_limits

    # Set here once for both threads: each fit limits BLAS to one thread itself and restores
    # the previous limit, and two such limits overlapping in time could leave the wrong one.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(1) as spend_thread:
        spend = spend_thread.submit(fit_spend, customers, settings, allow_unconverged)
        fitted = fit_purchase_summary(
            customers, settings, model, allow_unconverged=allow_unconverged
        )
        return fitted, spend.result()


def fit_spend(
    customers: pa.Table, settings: ForecastSettings, allow_unconverged: bool = False
) -> GammaGammaModel | None:
    """Gamma-Gamma on the distinct spend pairs, or None with too few repeat customers."""
    from kundenwert.forecast.distinct import spend_pairs
    from kundenwert.forecast.gammagamma import GammaGammaModel

    pairs = spend_pairs(customers)
    if int(pairs["count"].sum()) < settings.min_repeat_customers:
        return None
    return GammaGammaModel(allow_unconverged=allow_unconverged).fit(pairs)


def fit_purchase_summary(
    customers: pa.Table,
    settings: ForecastSettings,
    model: str | None = None,
    *,
    allow_unconverged: bool = False,
) -> PurchaseModel:
    """The purchase model alone (what a holdout comparison needs), on the distinct triples."""
    from kundenwert.forecast.distinct import triples

    n = customers.num_rows
    if n < settings.min_customers:
        raise InputError(
            f"Für die Prognose sind {n} Kunden mit Käufen zu wenige "
            f"(mindestens {settings.min_customers}).",
            hint="Wählen Sie einen späteren Stichtag oder senken Sie forecast.min_customers.",
        )
    name = model or settings.model
    if name == AUTO:
        raise InputError(
            "Das Modell auto wird an den Rechnungen gewählt, nicht an einer Kundenübersicht.",
            hint="Verwenden Sie fit_forecast oder wählen Sie vorher mit forecast.choice.",
        )
    if not needs_gaps(name):
        return fit_purchases(triples(customers), name, allow_unconverged)
    if "log_gaps" not in customers.column_names:
        raise InputError(
            f"Das Modell {name} braucht die Abstände zwischen den Käufen (Spalte log_gaps).",
            hint="Erzeugen Sie die Übersicht mit kundenwert.forecast.gaps.with_gaps().",
        )
    from kundenwert.forecast.mbgcnbd import regularity_of, search_sample

    regularity, search = regularity_of(customers), search_sample(customers)
    return fit_purchases(triples(customers), name, allow_unconverged, regularity, search)


def fit_forecast(
    source: Any,
    as_of: date,
    settings: ForecastSettings,
    *,
    unit: str | None = None,
    model: str | None = None,
    allow_unconverged: bool = False,
) -> ForecastFit:
    """Summarise the invoices up to ``as_of`` and fit the models (``kundenwert forecast fit``).

    With model ``auto`` the purchase model is first chosen by its holdout error on the data
    before ``as_of`` (:func:`kundenwert.forecast.choice.choose_model`).
    """
    unit = unit or settings.unit
    name = model or settings.model
    selection = None
    if name == AUTO:
        from kundenwert.forecast.choice import choose_model  # it fits models itself

        selection = choose_model(invoices_of(source), as_of, settings, unit)
        name = selection["chosen"]
    loading = import_in_background(name)
    try:
        customers = customer_summary(source, as_of, settings, unit, name)
    finally:
        loading.join()
    fitted, spend = fit_summary(customers, settings, name, allow_unconverged=allow_unconverged)
    return ForecastFit(as_of, unit, fitted, spend, customers, selection)


def customer_summary(
    source: Any, as_of: date, settings: ForecastSettings, unit: str, name: str
) -> pa.Table:
    """The per-customer summary model ``name`` is fitted on (with the gaps when it needs them),
    of the invoices of ``source`` (as :func:`invoices_of` takes them).

    On a store, without the gaps, the summary runs as the SQL Ibis compiles it to
    (:mod:`.summary_sql`), without importing Ibis.
    """
    zero_value = settings.zero_value_purchases
    if isinstance(source, Store) and not needs_gaps(name):
        from kundenwert.forecast.summary_sql import store_summary

        return store_summary(source, as_of, unit, zero_value)
    from kundenwert.forecast.gaps import with_gaps
    from kundenwert.forecast.summary import summary

    invoices = invoices_of(source)
    table = summary(invoices, as_of, unit, zero_value=zero_value)
    if needs_gaps(name):
        table = with_gaps(table, invoices, as_of, unit, zero_value=zero_value)
    return to_arrow(table)
