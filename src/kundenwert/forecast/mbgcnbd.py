"""MBG/CNBD-k model (Reutterer, Platzer & Schröder 2021, "Leveraging purchase regularity for
predicting customer behavior the easy way"; Batislam, Denizel & Filiztekin 2007 for k = 1).

While alive a customer's gaps between purchases are Erlang-k with rate lambda ~ Gamma(r, alpha)
(k = 1: a Poisson process as in the BG/NBD; larger k: ever more regular reorders, coefficient of
variation 1/sqrt(k)); after every purchase, the first one included ("dropout possible at zero",
the M of MBG), she drops out with probability p ~ Beta(a, b). Given her x repeat purchases, the
last at t_x, observed up to T, with L the sum of the logarithms of her x gaps:

    log L = (k-1) L - x log((k-1)!) + log B(a, b+x+1) - log B(a, b)
            + log G(r+kx) - log G(r) + r log alpha - (r+kx) log(alpha+T) + log(S1 + S2),
    S1 = a/(b+x) ((alpha+T)/(alpha+t_x))^(r+kx)                       (dropped out after t_x)
    S2 = sum_{j<k} G(r+kx+j)/G(r+kx) z^j/j!,   z = (T-t_x)/(alpha+T)  (alive, j of the k phases
                                                                        of the next gap done)

S2 is a short polynomial (k <= 12) evaluated by its term recursion, so one evaluation costs a
logarithm and an exponential per distinct (x, t_x, T), as the BG/NBD's does. L enters only
through the constant (k-1) L: (r, alpha, a, b) are fitted on the distinct triples, and the sum
of L over all customers makes the log-likelihoods of different k comparable (they are densities
of the same purchase times; k = 1 gives the MBG/NBD, whose likelihood is that of the BG/NBD's
data with one more dropout chance).

k is chosen from the data: the Wheat-Morrison (1990) estimate from each customer's last two gaps
(their share M = g_last / (g_last + g_previous) is Beta(k, k) under Erlang-k, so Var M =
1/(4(2k+1))) gives the start: the two whole k around it are fitted, and the profile
log-likelihood is then walked over k (1 to 12) in the direction it rises until it falls.
BTYDplus instead fits every k from 1 upwards; starting at the estimate needs two or three fits
instead of up to twelve, and finds the same k where the profile has one peak (as on the data
tried here: simulated k = 3, CDNOW, the demo). Above SEARCH_CUSTOMERS customers the search runs
on a fixed sample of them (:func:`search_sample`) and only the chosen k is fitted on all.

SciPy has no routines for this model; the likelihood, its gradient and the predictions are
written here (BTYDplus, the R reference, was read to check the formulas, not copied).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import betainc, betaln, expit, gammaln, psi

from kundenwert.errors import InputError
from kundenwert.forecast.base import (
    FitOutcome,
    FittedModel,
    check_rft,
    column,
    counts_of,
    map_parts,
    maximise,
    split,
    unique_inverse,
    wsum,
)
from kundenwert.forecast.bgnbd import RIDGE_AB, _numerator
from kundenwert.forecast.distinct import triples

PARAMS = ("r", "alpha", "a", "b")
K_MAX = 12  # as BTYDplus: Erlang-12 gaps already have a coefficient of variation of 0.29


@dataclass(frozen=True)
class Regularity:
    """What the purchase history says about the rhythm of reorders (the inputs to choosing k).

    ``log_gap_sum``: the sum over all customers of the logarithms of their gaps between purchase
    days, in the model's time unit. ``gap_share_var``: the variance over the customers with at
    least two gaps of M = last gap / (last two gaps), the Wheat-Morrison statistic; None when
    fewer than two customers have two gaps. ``customers_with_two_gaps``: how many those are.
    """

    log_gap_sum: float
    gap_share_var: float | None
    customers_with_two_gaps: int

    @property
    def wheat_morrison_k(self) -> float | None:
        """k = 1/(8 Var M) - 1/2, as M ~ Beta(k, k) under Erlang-k gaps (Wheat & Morrison 1990)."""
        if self.gap_share_var is None or self.gap_share_var <= 0:
            return None
        return 1.0 / (8.0 * self.gap_share_var) - 0.5


def regularity_of(customers: Any) -> Regularity:
    """The :class:`Regularity` of a per-customer summary with columns log_gaps and gap_share.

    ``gap_share`` is NaN (or null) for customers with fewer than two gaps; see
    :func:`kundenwert.forecast.gaps.gap_summary`.
    """
    log_gaps = column(customers, "log_gaps")
    share = column(customers, "gap_share")
    share = share[np.isfinite(share)]
    var = float(np.var(share, ddof=1)) if len(share) >= 2 else None
    return Regularity(float(np.sum(log_gaps)), var, len(share))


#: Above this many customers k is searched on a fixed sample of about this many (the chosen k
#: is then fitted on all of them): each k tried costs a full fit, and on 851,000 customers the
#: search on all of them took three to four times the BG/NBD's fit (docs/forecast.md).
SEARCH_CUSTOMERS = 100_000


@dataclass(frozen=True)
class SearchSample:
    """The customers k is searched on: their distinct triples with counts and regularity."""

    triples: dict[str, np.ndarray]
    regularity: Regularity
    customers: int


def search_sample(customers: Any, limit: int = SEARCH_CUSTOMERS) -> SearchSample | None:
    """About ``limit`` of the customers of a per-customer summary (with log_gaps and
    gap_share), or None when there are no more than ``limit``.

    The customers are put in an order fixed by their values and every ``ceil(n / limit)``-th
    is taken, so the sample is the same whatever order the database returned the customers in;
    each keeps her own gaps, so the likelihoods of the different k are compared on the same
    customers, gaps included. The order is by a hash of (frequency, recency, T), which the
    database computes exactly, then by log_gaps rounded to 1e-6: the database sums the logs of
    the gaps in no fixed order, so their last bits differ from run to run (seen: 2e-12), and
    customers equal to 1e-6 are interchangeable for choosing k.
    """
    names = ("frequency", "recency", "T", "log_gaps", "gap_share")
    values = {c: column(customers, c) for c in names}
    n = len(values["frequency"])
    if n <= limit:
        return None
    order = np.lexsort((np.round(values["log_gaps"], 6), _row_hash(values, names[:3])))
    keep = order[:: math.ceil(n / limit)]
    sample = {c: v[keep] for c, v in values.items()}
    return SearchSample(triples(sample), regularity_of(sample), len(keep))


def _row_hash(values: dict[str, np.ndarray], names: tuple[str, ...]) -> np.ndarray:
    """A 64-bit hash of each row's float bits (multiply-xorshift; numpy has no row hash)."""
    h = np.zeros(len(values[names[0]]), dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping modulo 2^64 is the point
        for name in names:
            h ^= (values[name] + 0.0).view(np.uint64)
            h *= np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(29)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(32)
    return h


class _Triples:
    """Distinct (x, t_x, T) with weights, indexed for a fast likelihood (as the BG/NBD's).

    Terms of x alone are evaluated once per distinct x, the "alive" factor (alpha+T)^-(r+kx)
    is summed per distinct T from weights prepared here; what is left per triple is one
    log(1 + e^diff) and its logistic (plus, for k > 1, the short polynomial S2), evaluated in
    slices on separate threads (see :func:`map_parts`).
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> None:
        self.n = float(w.sum())
        self.total_x = wsum(w, x)
        self.ux, ix = unique_inverse(x)
        self.wx = np.bincount(ix, weights=w, minlength=len(self.ux))
        self.uT, iT = unique_inverse(T)
        self.utx, itx = unique_inverse(tx)
        self.w_T = np.bincount(iT, weights=w, minlength=len(self.uT))
        self.wx_T = np.bincount(iT, weights=w * x, minlength=len(self.uT))
        self.parts = [
            _Slice(*arrays)
            for arrays in zip(*(split(v) for v in (x, w, ix, iT, itx, T - tx)), strict=True)
        ]


@dataclass(frozen=True)
class _Slice:
    x: np.ndarray
    w: np.ndarray
    ix: np.ndarray
    iT: np.ndarray
    itx: np.ndarray
    gap: np.ndarray  # T - t_x, the time since the last purchase


@dataclass(frozen=True)
class _PerValue:
    k: int
    r: float
    log_odds_x: np.ndarray  # log(a) - log(b + x) per distinct x
    log_at: np.ndarray  # log(alpha + T) per distinct T
    log_atx: np.ndarray
    inv_at: np.ndarray
    inv_atx: np.ndarray


def _alive_sum(k: int, rkx: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, ...]:
    """S2 = sum_{j<k} prod_{i<j}(r+kx+i) z^j / j!, with S2's sums for d/dr and d/dz.

    Returned: S2, sum_j term_j * sum_{i<j} 1/(r+kx+i) (d S2/dr) and sum_j j term_j (z d S2/dz).
    """
    if k == 1:
        return np.ones_like(z), np.zeros_like(z), np.zeros_like(z)
    # j = 1 written out: term = (r+kx) z, its harmonic factor 1/(r+kx) makes d_r = z.
    term = rkx * z
    s2, d_r, j_term = term + 1.0, z.copy(), term.copy()
    harmonic = None
    for j in range(2, k):
        step = 1.0 / (rkx + (j - 1.0))
        harmonic = 1.0 / rkx + step if harmonic is None else harmonic + step
        term *= (rkx + (j - 1.0)) * z / j
        s2 += term
        d_r += term * harmonic
        j_term += j * term
    return s2, d_r, j_term


def _slice_terms(s: _Slice, v: _PerValue) -> tuple[float, float, float, float, np.ndarray]:
    """One slice's sum of log(S1 + S2) and its gradient parts (the dead share by x)."""
    rkx = v.r + v.k * s.x
    log_ratio = v.log_at[s.iT] - v.log_atx[s.itx]  # log((alpha+T)/(alpha+t_x)) >= 0
    log_s1 = v.log_odds_x[s.ix] + rkx * log_ratio
    inv_diff = v.inv_at[s.iT] - v.inv_atx[s.itx]
    # log(S1 + S2) = c + log(1 + S2 e^-c), c = log S1, and the share S1/(S1+S2) =
    # 1/(1 + S2 e^-c): one exponential and one logarithm per triple, as in the BG/NBD. Below
    # c = -500 the dead term is negligible (e^-500 against S2 >= 1), and clipping c there keeps
    # S2 e^-c finite (S2 stays below e^200 for any k <= 12 and x below 10^6).
    c = np.maximum(log_s1, -500.0)
    e = np.exp(-c)
    if v.k > 1:
        inv_at = v.inv_at[s.iT]
        s2, d_r, j_term = _alive_sum(v.k, rkx, s.gap * inv_at)
        e_s2 = s2 * e
    else:
        e_s2 = e
    one_plus = 1.0 + e_s2
    dead = 1.0 / one_plus  # S1 / (S1 + S2)
    ww = s.w * dead
    ll = wsum(s.w, c + np.log(one_plus))
    g_r = wsum(ww, log_ratio)
    g_alpha = wsum(ww * rkx, inv_diff)
    if v.k > 1:
        # The alive share divided by S2 is e^-c / (1 + S2 e^-c): no division by S2 needed.
        w_alive_s2 = ww * e
        g_r += wsum(w_alive_s2, d_r)
        g_alpha -= wsum(w_alive_s2 * inv_at, j_term)
    by_x = np.bincount(s.ix, weights=ww, minlength=len(v.log_odds_x))
    return ll, g_r, g_alpha, float(ww.sum()), by_x


def _loglik_parts(params: np.ndarray, d: _Triples, k: int) -> tuple[float, np.ndarray]:
    """Log-likelihood (without the constant of the gaps) and its gradient in (r, alpha, a, b)."""
    r, alpha, a, b = (float(p) for p in params)
    ux, wx = d.ux, d.wx
    # Terms of x alone, once per distinct x.
    ll_x = gammaln(r + k * ux) - gammaln(r) + betaln(a, b + ux + 1.0) - betaln(a, b)
    ll = wsum(wx, ll_x) + d.n * r * np.log(alpha)
    g_r = wsum(wx, psi(r + k * ux) - psi(r)) + d.n * np.log(alpha)
    g_alpha = d.n * r / alpha
    g_a = wsum(wx, psi(a + b) - psi(a + b + ux + 1.0))
    g_b = wsum(wx, psi(b + ux + 1.0) - psi(a + b + ux + 1.0) - psi(b) + psi(a + b))
    v = _PerValue(
        k=k,
        r=r,
        log_odds_x=np.log(a) - np.log(b + ux),
        log_at=np.log(alpha + d.uT),
        log_atx=np.log(alpha + d.utx),
        inv_at=1.0 / (alpha + d.uT),
        inv_atx=1.0 / (alpha + d.utx),
    )
    # The factor (alpha+T)^-(r+kx) of every customer, summed per distinct T.
    exponent_T = r * d.w_T + k * d.wx_T
    ll -= wsum(exponent_T, v.log_at)
    g_r -= wsum(d.w_T, v.log_at)
    g_alpha -= wsum(exponent_T, v.inv_at)
    parts = map_parts(lambda i: _slice_terms(d.parts[i], v), len(d.parts))
    ll += sum(p[0] for p in parts)
    g_r += sum(p[1] for p in parts)
    g_alpha += sum(p[2] for p in parts)
    g_a += sum(p[3] for p in parts) / a
    dead_by_x = sum(p[4] for p in parts)
    assert isinstance(dead_by_x, np.ndarray)  # not the start 0: there are always PARTS slices
    g_b -= wsum(dead_by_x, 1.0 / (b + ux))
    return ll, np.array([g_r, g_alpha, g_a, g_b])


def gap_constant(k: int, log_gap_sum: float, total_x: float) -> float:
    """(k-1) sum L - sum x log((k-1)!): the Erlang-k density's part that no parameter touches."""
    return (k - 1) * log_gap_sum - total_x * math.lgamma(k)


def mbgcnbd_log_likelihood(
    params: Any,
    frequency: Any,
    recency: Any,
    T: Any,
    log_gaps: Any = 0.0,
    weights: Any = None,
) -> tuple[float, np.ndarray]:
    """Total log-likelihood and its gradient in (r, alpha, a, b); ``params`` = (k, r, alpha,
    a, b). ``log_gaps``: each row's sum of log gaps (times its weight when rows are weighted)."""
    k = int(params[0])
    x, tx, t = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    data = _Triples(x, tx, t, w)
    ll, grad = _loglik_parts(np.asarray(params[1:], dtype=np.float64), data, k)
    return ll + gap_constant(k, float(np.sum(log_gaps)), data.total_x), grad


@dataclass(frozen=True)
class _KFit:
    k: int
    outcome: FitOutcome


class MBGCNBDModel(FittedModel):
    """MBG/CNBD-k purchase model: ``MBGCNBDModel().fit(summary, regularity)``.

    ``k``: the Erlang order of the gaps; None (default) chooses it from the data, which needs
    ``regularity`` (:func:`regularity_of`). ``summary`` has columns frequency, recency, T and
    optionally count, as for :class:`~kundenwert.forecast.bgnbd.BetaGeoModel`.

    Fitted: ``params_`` (k, r, alpha, a, b), ``k_``, ``k_log_likelihoods_`` (the profile
    log-likelihood at every k tried), ``k_wheat_morrison_`` (the estimate the search started
    from, or None), ``log_likelihood_`` (including the gaps' constant when ``regularity`` was
    given), ``converged_``, ``n_customers_``.
    """

    name = "mbgcnbd"
    param_names = ("k", *PARAMS)

    def __init__(self, k: int | None = None, *, k_max: int = K_MAX, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.k = k
        self.k_max = k_max

    def fit(
        self,
        summary: Any,
        regularity: Regularity | None = None,
        search: SearchSample | None = None,
    ) -> MBGCNBDModel:
        """Fit on ``summary``; k (when not given) is searched on ``search`` if given (a fixed
        sample of the customers, :func:`search_sample`), else on ``summary`` itself."""
        x, tx, T = (column(summary, c) for c in ("frequency", "recency", "T"))
        check_rft(x, tx, T)
        if self.k is not None and (self.k != int(self.k) or not 1 <= self.k <= self.k_max):
            raise InputError(f"k muss eine ganze Zahl von 1 bis {self.k_max} sein, nicht {self.k}.")
        if self.k is None and regularity is None:
            raise InputError(
                "Ohne die Abstände zwischen den Käufen lässt sich k nicht wählen.",
                hint="Übergeben Sie regularity (kundenwert.forecast.mbgcnbd.regularity_of) "
                "oder ein festes k.",
            )
        w = counts_of(summary, len(x))
        data = _Triples(x, tx, T, w)
        log_gap_sum = 0.0 if regularity is None else regularity.log_gap_sum
        fit_k = self._fitter(data, log_gap_sum, x, T, w)
        wm = None if regularity is None else regularity.wheat_morrison_k
        self.k_search_customers_ = None
        if self.k is not None:
            fits = {int(self.k): fit_k(int(self.k), None)}
            best = fits[int(self.k)]
        elif search is None:
            fits = _walk_k(fit_k, wm, self.k_max)
            best = max(fits.values(), key=_rank)
        else:
            sx, stx, sT = (search.triples[c] for c in ("frequency", "recency", "T"))
            sw = search.triples["count"].astype(np.float64)
            sample = _Triples(sx, stx, sT, sw)
            fit_sample = self._fitter(sample, search.regularity.log_gap_sum, sx, sT, sw)
            fits = _walk_k(fit_sample, search.regularity.wheat_morrison_k, self.k_max)
            chosen = max(fits.values(), key=_rank)
            start = np.array([chosen.outcome.params[n] for n in PARAMS])
            best = fit_k(chosen.k, start)  # the chosen k on all customers
            self.k_search_customers_ = search.customers
        self._store(best.outcome, data.n, len(x))
        self.k_ = best.k
        self.params_ = {"k": best.k, **best.outcome.params}
        self.k_log_likelihoods_ = {
            k: f.outcome.log_likelihood for k, f in sorted(fits.items()) if f.outcome.converged
        }
        self.k_wheat_morrison_ = wm
        return self

    def _fitter(
        self, data: _Triples, log_gap_sum: float, x: np.ndarray, T: np.ndarray, w: np.ndarray
    ) -> Callable[[int, np.ndarray | None], _KFit]:
        """fit_k(k, start): the maximum-likelihood fit at a fixed k on ``data``."""
        first_rate = (wsum(w, x) / data.n + 1.0) / max(wsum(w, T) / data.n, 1e-3)

        def fit_k(k: int, start: np.ndarray | None) -> _KFit:
            if start is None:  # purchase rate r / (alpha k) at the observed rate
                start = np.array([1.0, k / first_rate, 1.0, 1.0])
            const = gap_constant(k, log_gap_sum, data.total_x) / data.n

            def mean_loglik(p: np.ndarray) -> tuple[float, np.ndarray]:
                value, grad = _loglik_parts(p, data, k)
                return value / data.n + const, grad / data.n

            outcome = maximise(
                mean_loglik, start, PARAMS, data.n, maxiter=self.maxiter, tol=self.tol
            )
            return _KFit(k, outcome)

        return fit_k

    def near_limit(self) -> bool:
        """a + b so large that the Beta dropout distribution is practically one point."""
        return self.params_["a"] + self.params_["b"] > RIDGE_AB

    def summary_dict(self) -> dict[str, Any]:
        out = super().summary_dict()
        out["k_log_likelihoods"] = {str(k): v for k, v in self.k_log_likelihoods_.items()}
        out["k_wheat_morrison"] = self.k_wheat_morrison_
        out["k_search_customers"] = self.k_search_customers_
        return out

    def _kparams(self) -> tuple[int, float, float, float, float]:
        k, r, alpha, a, b = self._params()
        return int(k), r, alpha, a, b

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive at T | x, t_x, T) = S2 / (S1 + S2)."""
        k, r, alpha, a, b = self._kparams()
        return _p_alive(k, r, alpha, a, b, *_arrays(frequency, recency, T))

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[purchases in (T, T+t] | x, t_x, T], exact (see :func:`_purchases_if_alive_k`)."""
        k, r, alpha, a, b = self._kparams()
        x, tx, T_ = _arrays(frequency, recency, T)
        t_, x, tx, T_ = np.broadcast_arrays(np.asarray(t, dtype=np.float64), x, tx, T_)
        p_alive = _p_alive(k, r, alpha, a, b, x, tx, T_)
        if k == 1:
            # Closed form: given alive, p ~ Beta(a, b+x+1), the BG/NBD's numerator with b+1.
            if_alive = _numerator(r, a, b + 1.0, x, t_ / (alpha + T_))
        else:
            if_alive = _distinct(_purchases_if_alive_k, (k, r, alpha, a, b), t_, x, tx, T_)
        return if_alive * p_alive

    def expected_purchases_new(self, t: Any) -> np.ndarray:
        """E[X(t)] for a customer just acquired: sum over n of P(n-th repeat by t, alive)."""
        k, r, alpha, a, b = self._kparams()
        t = np.asarray(t, dtype=np.float64)
        flat = t.ravel()
        zeros = np.zeros_like(flat)
        # She survives the dropout at zero with probability b/(a+b), and then p ~ Beta(a, b+1):
        # the conditional expectation of a survivor at x = t_x = T = 0.
        if_alive = _purchases_if_alive_k(k, r, alpha, a, b, flat, zeros, zeros, zeros)
        return (b / (a + b) * if_alive).reshape(t.shape)

    def purchases_pmf(self, t: float, n: Any) -> np.ndarray:
        """P(X(t) = n): the distribution of a new customer's repeat purchases in (0, t].

        X(t) = n when she bought n times and survived all n+1 dropout chances but the next gap
        is not complete by t (phases in [kn, kn+k-1]), or when the n-th purchase came by t and
        she dropped out right after it.
        """
        k, r, alpha, a, b = self._kparams()
        n = np.asarray(n, dtype=np.float64)
        q = float(t) / (alpha + float(t))
        survive = np.exp(betaln(a, b + n + 1.0) - betaln(a, b))  # E[(1-p)^(n+1)]
        drop = np.exp(betaln(a + 1.0, b + n) - betaln(a, b))  # E[p (1-p)^n]
        at_least = _phases_at_least(k * n, r, q)
        return survive * (at_least - _phases_at_least(k * n + k, r, q)) + drop * at_least


def _rank(f: _KFit) -> tuple[bool, float]:
    """Converged fits first, then by log-likelihood."""
    return (f.outcome.converged, f.outcome.log_likelihood)


def _walk_k(fit_k: Callable[[int, np.ndarray | None], _KFit], wm: float | None, k_max: int) -> dict:
    """Fits at the two k around the Wheat-Morrison estimate, then onwards in the direction the
    likelihood rises, until it falls (or k reaches 1 or k_max).

    Each further fit starts at its neighbour's optimum with alpha scaled by k'/k, which keeps
    the mean purchase rate r/(alpha k) the same (the phase rate lambda grows with k).
    """
    low = 1 if wm is None or not np.isfinite(wm) else int(np.clip(np.floor(wm), 1, k_max - 1))
    fits = {low: fit_k(low, None), low + 1: fit_k(low + 1, None)}
    step = 1 if _rank(fits[low + 1]) > _rank(fits[low]) else -1
    k = low + 1 if step == 1 else low
    while 1 <= k + step <= k_max:
        prev = fits[k].outcome
        start = np.array([prev.params[n] for n in PARAMS])
        start[1] *= (k + step) / k
        fits[k + step] = fit_k(k + step, start)
        if _rank(fits[k + step]) <= _rank(fits[k]):
            break
        k += step
    return fits


def _p_alive(k, r, alpha, a, b, x, tx, T) -> np.ndarray:
    rkx = r + k * x
    s2 = _alive_sum(k, rkx, (T - tx) / (alpha + T))[0]
    log_s1 = np.log(a) - np.log(b + x) + rkx * (np.log(alpha + T) - np.log(alpha + tx))
    return expit(np.log(s2) - log_s1)


def _phases_at_least(m: np.ndarray, s: Any, q: float | np.ndarray) -> np.ndarray:
    """P(M >= m) for M the Erlang phases in a window, Poisson(lambda t) with lambda ~
    Gamma(s, beta): the Gamma-Poisson mixture's survival I_q(m, s), q = t/(beta+t)."""
    m = np.asarray(m, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        value = betainc(np.maximum(m, 1e-300), s, q)
    return np.where(m <= 0, 1.0, value)


_SERIES_TOL = 1e-12  # a term below this (absolute and relative to the sum) ends the series
_MAX_TERMS = 20_000  # a hard stop for the series at parameters no fit produces
#: Above this many expected phases in the window the renewal count is taken as Poisson at rate
#: lambda/k (its mean differs by a bounded amount, under 0.1 % of such counts).
_MANY_PHASES = 2_000.0


def _purchases_if_alive_k(k, r, alpha, a, b, t, x, tx, T) -> np.ndarray:
    """E[purchases in (T, T+t] | alive at T, x, t_x, T] for Erlang-k gaps, exactly.

    Given alive, the next gap has j of its k exponential phases done with weight
    G(r+kx+j)/G(r+kx) z^j/j! (the terms of S2), and then lambda ~ Gamma(r+kx+j, alpha+T);
    p ~ Beta(a, b+x+1). The n-th future purchase needs nk-j more phases within t, and is counted
    when she survived the n-1 dropout chances before it:

        E = sum_j w_j sum_{n>=1} E[(1-p)^(n-1)] P(M_j >= nk-j),

    M_j the phases in t (Gamma-Poisson, survival by the incomplete beta function). The series
    runs until its terms are below 1e-12. Where thousands of phases are expected in the window
    the count is that of a Poisson process at rate lambda/k (the renewal theorem), in closed
    form, as the series would take thousands of terms. No library sums this count.
    """
    n_rows = len(x)
    rkx = r + k * x
    z = (T - tx) / (alpha + T)
    q = t / (alpha + T + t)
    # Weights of the phases j = 0..k-1 (rows: customers).
    weights = np.empty((n_rows, k))
    term = np.ones(n_rows)
    for j in range(k):
        if j:
            term = term * (rkx + j - 1.0) * z / j
        weights[:, j] = term
    weights /= weights.sum(axis=1, keepdims=True)
    js = np.arange(k)[None, :]
    shapes = rkx[:, None] + js
    with np.errstate(divide="ignore", over="ignore"):
        mean_phases = shapes[:, -1] * t / (alpha + T)
    many = mean_phases > _MANY_PHASES
    total = np.zeros(n_rows)
    if many.any():
        u = t[many] / (k * (alpha + T[many]))
        # Shape r+kx+j written as the BG/NBD numerator's r'+x with r' = r+(k-1)x+j.
        for j in range(k):
            r_eff = r + (k - 1) * x[many] + j
            value = _numerator_shapes(r_eff, a, b + 1.0, x[many], u)
            total[many] += weights[many, j] * value
    beta_b = b + x + 1.0  # posterior Beta(a, b+x+1) of p given alive
    # Most rows: the phase counts' distribution by its term recursion (cheap); where its first
    # term (1-q)^s underflows (many purchases behind, long horizon), the incomplete beta function.
    with np.errstate(divide="ignore"):
        first = shapes[:, -1] * np.log1p(-q)
    stepwise = (q > 0) & ~many & (first > -600.0)
    if stepwise.any():
        rows = np.flatnonzero(stepwise)
        total[rows] = _series_stepwise(
            k, a, weights[rows], shapes[rows], q[rows], beta_b[rows], mean_phases[rows]
        )
    survive = np.ones(n_rows)  # E[(1-p)^(n-1)]
    active = np.flatnonzero((q > 0) & ~many & ~stepwise)
    n = 1
    while len(active) and n <= _MAX_TERMS:
        i = active
        tail = _phases_at_least(n * k - js, shapes[i], q[i][:, None])
        step = survive[i] * (weights[i] * tail).sum(axis=1)
        total[i] += step
        survive[i] *= (beta_b[i] + n - 1.0) / (a + beta_b[i] + n - 1.0)
        going = (step > _SERIES_TOL * np.maximum(total[i], 1.0)) | (n * k <= mean_phases[i])
        active = i[going]
        n += 1
    return total


def _series_stepwise(k, a, weights, shapes, q, beta_b, mean_phases) -> np.ndarray:
    """The series of :func:`_purchases_if_alive_k`, walking the phase count m = 0, 1, 2, ...

    P(M_j = m) of the Gamma-Poisson (negative binomial) count follows from P(M_j = m-1) by one
    multiplication, and P(M_j >= m) by one subtraction, so each term costs a few
    multiplications instead of an incomplete beta function (25 times faster on the 1M demo).
    At phase count m exactly one j needs it: j = -m mod k, for the purchase n = (m+j)/k. The
    first term (1-q)^s must be representable (the caller sends the other rows to betainc);
    the subtractions lose digits only where the tail is below 1e-12, where the series stops.
    """
    rows = len(q)
    total = np.zeros(rows)
    qq = q[:, None]
    pmf = np.exp(shapes * np.log1p(-qq))  # P(M_j = 0)
    tail = np.ones_like(pmf)  # P(M_j >= 0)
    survive = np.ones(rows)  # E[(1-p)^(n-1)] for the current n
    cycle = np.zeros(rows)  # this n's contributions, for the stopping rule
    live = np.arange(rows)
    m = 0
    while len(live) and m < _MAX_TERMS * k:
        tail -= pmf
        pmf *= (m + shapes) * qq / (m + 1.0)
        m += 1
        j = -m % k
        n = (m + j) // k
        step = survive * weights[:, j] * np.maximum(tail[:, j], 0.0)
        total[live] += step
        cycle += step
        if j == 0:  # the k columns of purchase n are done
            survive *= (beta_b + n - 1.0) / (a + beta_b + n - 1.0)
            going = (cycle > _SERIES_TOL * np.maximum(total[live], 1.0)) | (m <= mean_phases)
            if not going.all():
                live, qq, pmf, tail, survive, weights, shapes, beta_b, mean_phases = (
                    v[going]
                    for v in (live, qq, pmf, tail, survive, weights, shapes, beta_b, mean_phases)
                )
            cycle = np.zeros(len(live))
    return total


def _numerator_shapes(r_eff: np.ndarray, a: float, b: float, x: np.ndarray, u: np.ndarray):
    """The BG/NBD numerator with a shape r_eff per row (it takes one r): grouped by r_eff."""
    out = np.empty(len(x))
    for value in np.unique(r_eff):
        rows = r_eff == value
        out[rows] = _numerator(float(value), a, b, x[rows], u[rows])
    return out


def _distinct(fn, params, t, x, tx, T) -> np.ndarray:
    """``fn`` evaluated once per distinct (t, x, t_x, T) row and spread back (a customer base
    has far fewer distinct histories than customers).

    Rows are told apart by a 64-bit hash (np.unique on rows, axis=0, took 4 s for 851,000
    customers; on the hashes 0.1 s); should two different rows share a hash, the exact
    np.unique decides.
    """
    columns = {str(i): v.ravel() + 0.0 for i, v in enumerate((t, x, tx, T))}  # -0.0 is 0.0
    hashes = _row_hash(columns, tuple(columns))
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    rows = np.stack(list(columns.values()), axis=1)
    if not np.array_equal(rows, rows[first[inverse]]):  # a collision: decide exactly
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    else:
        unique = rows[first]
    values = fn(*params, *(unique[:, c] for c in range(4)))
    return values[inverse.ravel()].reshape(x.shape)


def _arrays(*values: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(v, dtype=np.float64) for v in values)
