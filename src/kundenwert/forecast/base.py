"""What the forecast models share: input checks, the maximum-likelihood fit, the fitted state.

Every model is fitted by L-BFGS-B on the logarithms of its (positive) parameters with the
analytic gradient of the log-likelihood. The objective is the weighted *mean* log-likelihood, so
tolerances mean the same for 2,000 and for 2,000,000 customers. A fit counts as converged only
when the optimiser says so, the gradient is small at the end, and no parameter sits on its
bound (a parameter running off to 0 or infinity is a degenerate fit, not an estimate). A model
that did not converge refuses to predict unless it was built with ``allow_unconverged=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from kundenwert.errors import InputError, KundenwertError

LOG_BOUND = 18.0  # parameters between e^-18 (1.5e-8) and e^18 (6.6e7)
GRAD_TOL = 1e-5  # largest |d mean-LL / d log-param| accepted as a stationary point
CURVATURE_TOL = 1e-8  # smallest curvature of the mean LL (log-params) that identifies a parameter


class ConvergenceError(KundenwertError):
    """A model fit did not converge, so its parameters must not be used."""

    exit_code = 3
    code = "not_converged"


class NotFittedError(KundenwertError):
    """A model was asked to predict before it was fitted."""

    code = "not_fitted"


def wsum(weights: np.ndarray, values: np.ndarray) -> float:
    """Weighted sum without BLAS: OpenBLAS threads spinning on a busy machine turned a 16k-long
    dot product into 10 ms (a thousandfold); an element-wise product and sum stays ~20 us."""
    return float(np.sum(weights * values))


PARTS = 2  # per-customer arrays are evaluated in this many slices, one thread each
_T = TypeVar("_T")


def split(array: np.ndarray, parts: int = PARTS) -> list[np.ndarray]:
    """``array`` in ``parts`` contiguous slices (views), for :func:`map_parts`."""
    return np.array_split(array, parts)


#: Rows per block when a slice is evaluated block by block (:func:`blocks`): a dozen
#: temporaries of this many floats stay in the core's cache. Evaluated over a whole slice
#: (400,000 rows for a million customers) every temporary went out to memory and back, and one
#: BG/NBD likelihood evaluation took a third longer. Fixed, like PARTS, so that the partial
#: sums (added block after block) are the same on every machine.
BLOCK = 16_384


def blocks(array: np.ndarray, size: int = BLOCK) -> list[np.ndarray]:
    """``array`` in contiguous blocks (views) of ``size`` rows, the last one shorter."""
    return [array[start : start + size] for start in range(0, len(array), size)]


def sum_blocks(fn: Callable[[Any], tuple], parts: Sequence[Any], start: tuple) -> tuple:
    """The elementwise sums of ``fn(block)`` (a tuple of floats or arrays) over ``parts``, block
    after block from ``start`` (its zeros, also the result when a slice has no blocks)."""
    totals = list(start)
    for block in parts:
        for k, value in enumerate(fn(block)):
            totals[k] = totals[k] + value
    return tuple(totals)


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=PARTS, thread_name_prefix="kundenwert-fit")


def map_parts(fn: Callable[[int], _T], parts: int = PARTS) -> Sequence[_T]:
    """``[fn(0), ..., fn(parts - 1)]``, the slices evaluated in threads.

    NumPy releases the GIL inside its loops over large arrays, so the slices of one likelihood
    evaluation run on separate cores. The number of slices is fixed (not the number of cores),
    so the partial sums, added in slice order, are the same on every machine. NumPy's error
    state (``np.errstate``) belongs to the calling thread, so it is handed on to the workers.
    """
    errors = np.geterr()

    def run(i: int) -> _T:
        with np.errstate(**errors):
            return fn(i)

    return list(_pool().map(run, range(parts)))


#: Up to this value whole numbers are told apart by a table of the values present.
_TABLE_LIMIT = 1 << 20


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for a float array, the same result.

    Frequencies, and ages and recencies in days, are whole numbers below a few thousand: a
    table of the values present finds the distinct ones and each row's index without the sort
    np.unique does (0.05 s for each of the three columns of a million customers' triples).
    """
    if len(values) and values.min() >= 0 and values.max() < _TABLE_LIMIT:
        whole = values.astype(np.int64)
        if np.array_equal(whole, values):
            present = np.zeros(int(whole.max()) + 1, dtype=bool)
            present[whole] = True
            position = np.cumsum(present) - 1
            return np.flatnonzero(present).astype(np.float64), position[whole]
    return np.unique(values, return_inverse=True)


def column(data: Any, name: str) -> np.ndarray:
    """Column ``name`` of a mapping, pandas or pyarrow table, as a float numpy array."""
    try:
        values = data[name]
    except (KeyError, IndexError) as exc:
        raise InputError(
            f"Die Kundenübersicht hat keine Spalte {name!r}.",
            hint="Erzeugen Sie sie mit kundenwert.forecast.summary.summary().",
        ) from exc
    from_arrow = _arrow_numbers(values)
    if from_arrow is not None:
        values = from_arrow
    elif hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()
    return np.asarray(values, dtype=np.float64)


#: Arrow's names of the number types whose buffer is laid out as the NumPy type's.
_ARROW_NUMBERS = {"double": np.float64, "float": np.float32, "int64": np.int64, "int32": np.int32}


def _arrow_numbers(values: Any) -> np.ndarray | None:
    """A numeric Arrow column (array or chunked) without nulls, read from its data buffers;
    None for anything else. Arrow's own ``to_numpy`` goes through its pandas conversion, which
    imports pandas (0.1 s at the start of every ``forecast fit``) even to return NumPy."""
    chunks = getattr(values, "chunks", None)
    if chunks is None and hasattr(values, "buffers") and hasattr(values, "offset"):
        chunks = [values]
    dtype = _ARROW_NUMBERS.get(str(getattr(values, "type", "")))
    if chunks is None or dtype is None or values.null_count:
        return None
    size = np.dtype(dtype).itemsize
    parts = [
        np.frombuffer(c.buffers()[1], dtype=dtype, count=len(c), offset=c.offset * size)
        for c in chunks
        if len(c)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def counts_of(data: Any, n: int) -> np.ndarray:
    """The ``count`` column (customers per row) when present, else one customer per row."""
    has_count = "count" in data if isinstance(data, Mapping) else _has_column(data, "count")
    counts = column(data, "count") if has_count else np.ones(n)
    if counts.shape != (n,) or np.any(counts <= 0):
        raise InputError("Die Spalte count muss für jede Zeile eine positive Anzahl enthalten.")
    return counts


def _has_column(data: Any, name: str) -> bool:
    # Arrow tables name their columns in column_names, data frames in columns (a pandas Index,
    # which has no truth value: hence no `or` between them).
    names: Any = getattr(data, "column_names", None)
    if names is None:
        names = getattr(data, "columns", ())
    return name in list(names)


def check_rft(frequency: np.ndarray, recency: np.ndarray, T: np.ndarray) -> None:
    """Frequency, recency and age must describe a possible purchase history."""
    problems = []
    if not (frequency.shape == recency.shape == T.shape):
        problems.append("frequency, recency und T sind verschieden lang")
    elif not np.all(np.isfinite(frequency) & np.isfinite(recency) & np.isfinite(T)):
        problems.append("fehlende oder unendliche Werte")
    else:
        if np.any(frequency < 0) or np.any(frequency != np.round(frequency)):
            problems.append("frequency muss eine ganze Zahl >= 0 sein")
        if np.any(recency < 0) or np.any(recency > T):
            problems.append("es muss 0 <= recency <= T gelten")
        if np.any((frequency == 0) & (recency != 0)):
            problems.append("ohne Wiederholungskauf muss recency 0 sein")
    if problems:
        raise InputError(
            "Ungültige Kaufhistorie: " + "; ".join(problems) + ".",
            hint="Erzeugen Sie die Übersicht mit kundenwert.forecast.summary.summary().",
        )


@dataclass(frozen=True)
class FitOutcome:
    params: dict[str, float]
    log_likelihood: float
    converged: bool
    message: str
    iterations: int


def maximise(
    mean_loglik: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    names: tuple[str, ...],
    n_customers: float,
    *,
    maxiter: int,
    tol: float,
) -> FitOutcome:
    """Maximise a mean log-likelihood given on natural parameters, over their logarithms."""

    # Every evaluation by its point: the optimiser ends on a point it has evaluated, and a
    # million customers' likelihood is not computed twice for the checks below.
    evaluated: dict[bytes, tuple[float, np.ndarray]] = {}

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        key = theta.tobytes()
        if key not in evaluated:
            evaluated[key] = _negative_log_likelihood(mean_loglik, theta)
        value, grad = evaluated[key]
        return value, grad.copy()  # the optimiser may write into the gradient it is given

    # Three or four parameters: BLAS threads only add wake-up cost, and on a busy machine their
    # spinning made each L-BFGS-B step take milliseconds instead of microseconds.
    with threadpool_limits(limits=1, user_api="blas"):
        result = minimize(
            objective,
            np.log(start),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-LOG_BOUND, LOG_BOUND)] * len(start),
            options={"maxiter": maxiter, "ftol": tol, "gtol": tol, "maxcor": 20},
        )
        value, grad = objective(result.x)
    on_bound = bool(np.any(np.abs(result.x) >= LOG_BOUND - 1e-6))
    small_grad = bool(np.max(np.abs(grad)) < GRAD_TOL)
    # What makes a fit converged is the first-order condition, checked here on the gradient
    # itself. L-BFGS-B also stops with ABNORMAL when its line search finds no decrease, which
    # at an optimum happens by rounding alone (Online Retail II: 7 of 60 orderings of the same
    # customers, all at the same parameters to six digits); such a stop is accepted only at a
    # stationary point.
    converged = bool(small_grad and not on_bound and value < 1e10)
    message = str(result.message)
    if converged and not result.success:
        message += "; stopped by the line search at a stationary point"
    if on_bound:
        message += "; a parameter reached its bound (degenerate fit)"
    elif not small_grad:
        message += f"; gradient not small at the end (max {np.max(np.abs(grad)):.2e})"
    elif converged and _flattest_curvature(objective, result.x, grad) < CURVATURE_TOL:
        # A flat likelihood (e.g. nobody ever bought again) stops the optimiser anywhere.
        converged = False
        message += "; likelihood flat at the end (parameters not identified by the data)"
    return FitOutcome(
        params=dict(zip(names, (float(v) for v in np.exp(result.x)), strict=True)),
        log_likelihood=float(-value * n_customers),
        converged=converged,
        message=message,
        iterations=int(result.nit),
    )


def _negative_log_likelihood(
    mean_loglik: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray
) -> tuple[float, np.ndarray]:
    """The objective of :func:`maximise` and its gradient at log-parameters ``theta``."""
    params = np.exp(theta)
    with np.errstate(all="ignore"):
        value, grad = mean_loglik(params)
    if not np.isfinite(value) or not np.all(np.isfinite(grad)):
        # Outside the region where the terms are representable: push the optimiser back.
        return 1e10, np.zeros_like(theta)
    return -value, -grad * params  # chain rule for log-parameters


def _flattest_curvature(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray, grad: np.ndarray
) -> float:
    """Smallest eigenvalue of the Hessian of the objective (forward differences of the gradient).

    A proper maximum has a clearly positive-definite Hessian (of the negative mean LL); a flat
    direction means the data do not pin that parameter down.
    """
    step = 1e-5
    columns = [(objective(theta + step * unit)[1] - grad) / step for unit in np.eye(len(theta))]
    hessian = np.array(columns)
    return float(np.linalg.eigvalsh((hessian + hessian.T) / 2.0).min())


class FittedModel:
    """Fitted state and the guard every prediction passes through."""

    name: str = ""
    param_names: tuple[str, ...] = ()
    #: Set only on a limit model taken instead of the configured one (forecast.fitting): the
    #: summary of the fit it replaced and why. Declared, not assigned: absent until then.
    replaces_: dict[str, Any]

    def __init__(
        self, *, maxiter: int = 2000, tol: float = 1e-12, allow_unconverged: bool = False
    ) -> None:
        self.maxiter = maxiter
        self.tol = tol
        self.allow_unconverged = allow_unconverged

    def _store(self, outcome: FitOutcome, n_customers: float, n_rows: int) -> None:
        self.params_ = outcome.params
        self.log_likelihood_ = outcome.log_likelihood
        self.converged_ = outcome.converged
        self.message_ = outcome.message
        self.n_iter_ = outcome.iterations
        self.n_customers_ = round(n_customers)
        self.n_distinct_ = n_rows

    def _params(self) -> tuple[float, ...]:
        """The fitted parameters, after checking the fit may be used."""
        if not hasattr(self, "params_"):
            raise NotFittedError(f"Das Modell {self.name} ist noch nicht angepasst.")
        if not self.converged_ and not self.allow_unconverged:
            raise ConvergenceError(
                f"Die Anpassung des Modells {self.name} ist nicht konvergiert "
                f"({self.message_}); seine Parameter werden nicht verwendet.",
                hint="Prüfen Sie die Datenlage (genug Kunden mit Wiederholungskäufen?) oder "
                "wählen Sie ein anderes Modell/eine andere Zeiteinheit.",
            )
        return tuple(self.params_[n] for n in self.param_names)

    def near_limit(self) -> bool:
        """Whether the fit sits close to a limit of the model that needs fewer parameters."""
        return False

    def summary_dict(self) -> dict[str, Any]:
        """Parameters, log-likelihood, convergence and size of the fit, for output."""
        out = {
            "model": self.name,
            **self.params_,
            "log_likelihood": self.log_likelihood_,
            "converged": self.converged_,
            "message": self.message_,
            "iterations": self.n_iter_,
            "n_customers": self.n_customers_,
            "n_distinct": self.n_distinct_,
        }
        # A limit model taken instead of the configured one says what it replaced and why.
        if getattr(self, "replaces_", None):
            out["replaces"] = self.replaces_
        return out
