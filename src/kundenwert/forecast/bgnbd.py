"""BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
purchase she drops out with probability p ~ Beta(a, b). The likelihood of (x, t_x, T) is

    L = B(a, b+x)/B(a, b) * G(r+x) a^r / (G(r) (alpha+T)^(r+x))
        + [x>0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x)),

evaluated in log space (log-sum-exp of the two terms) so that large x or T cannot overflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit, gammaln, hyp2f1, psi

from kundenwert.forecast.base import (
    FittedModel,
    blocks,
    check_rft,
    column,
    counts_of,
    map_parts,
    maximise,
    split,
    sum_blocks,
    unique_inverse,
    wsum,
)
from kundenwert.forecast.betamix import beta_mean_purchases, purchases_if_alive

PARAMS = ("r", "alpha", "a", "b")
#: a + b beyond which the fit is compared with its limit: the Beta(a, b) dropout distribution's
#: standard deviation is then below 10 % of its mean for any mean p >= 0.01.
RIDGE_AB = 1e4


class _Triples:
    """Distinct (x, t_x, T) with weights, indexed for a fast likelihood.

    Terms that depend on one of x, t_x or T alone are evaluated once per distinct value (a few
    hundred) and gathered; the "alive at T" term (alpha+T)^-(r+x) is summed per distinct T
    from weights prepared here. What is left per repeat buyer's triple is one log-sum-exp and
    one logistic, evaluated in slices on separate threads (see :func:`map_parts`), each slice
    block by block (see :data:`~kundenwert.forecast.base.BLOCK`).
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> None:
        self.n = float(w.sum())
        self.ux, ix = unique_inverse(x)
        self.wx = np.bincount(ix, weights=w, minlength=len(self.ux))
        self.uT, iT = unique_inverse(T)
        self.utx, itx = unique_inverse(tx)
        repeat = x > 0
        n_T = len(self.uT)
        self.w_once_T = np.bincount(iT[~repeat], weights=w[~repeat], minlength=n_T)
        self.w_repeat_T = np.bincount(iT[repeat], weights=w[repeat], minlength=n_T)
        self.wx_repeat_T = np.bincount(iT[repeat], weights=(w * x)[repeat], minlength=n_T)
        self.parts = [
            [_Slice(*block) for block in zip(*(blocks(v) for v in arrays), strict=True)]
            for arrays in zip(*(split(v[repeat]) for v in (x, w, ix, iT, itx)), strict=True)
        ]


@dataclass(frozen=True)
class _Slice:
    """A contiguous block of the repeat buyers' triples."""

    x: np.ndarray
    w: np.ndarray
    ix: np.ndarray
    iT: np.ndarray
    itx: np.ndarray


@dataclass(frozen=True)
class _PerValue:
    """Terms evaluated once per distinct x, T or t_x at the current parameters."""

    r: float
    log_odds_x: np.ndarray  # log(a) - log(b + x - 1), the odds of having dropped out
    log_at: np.ndarray  # log(alpha + T)
    log_atx: np.ndarray  # log(alpha + t_x)
    inv_at: np.ndarray
    inv_atx: np.ndarray


def _repeat_terms(
    slice_blocks: list[_Slice], v: _PerValue
) -> tuple[float, float, float, float, np.ndarray]:
    """One slice's sums of :func:`_block_terms`, block after block."""
    start = (0.0, 0.0, 0.0, 0.0, np.zeros(len(v.log_odds_x)))
    return sum_blocks(lambda block: _block_terms(block, v), slice_blocks, start)


def _block_terms(s: _Slice, v: _PerValue) -> tuple[float, float, float, float, np.ndarray]:
    """One block's log(1 + e^diff), diff = dead - alive term, and its gradient parts."""
    rx = v.r + s.x
    log_ratio = v.log_atx[s.itx] - v.log_at[s.iT]  # log((alpha+t_x) / (alpha+T)) <= 0
    diff = v.log_odds_x[s.ix] - rx * log_ratio
    # log(1 + e^diff) and the logistic of diff from one exponential and one logarithm (they
    # are the expensive part of an evaluation). diff <= log(a/b) is bounded above; below -700
    # the dead term is e^-700 of the alive one, so clipping there keeps e^-diff finite at no
    # cost in accuracy. log1p would be more precise for tiny e^-diff but is 4x slower here,
    # and the absolute error of log(1 + e) is below 1e-16 per customer.
    clipped = np.maximum(diff, -700.0)
    one_plus = 1.0 + np.exp(-clipped)
    ww = s.w / one_plus  # weight times the share of the "dropped out after t_x" term
    inv_diff = v.inv_atx[s.itx] - v.inv_at[s.iT]
    return (
        wsum(s.w, clipped + np.log(one_plus)),
        wsum(ww, log_ratio),
        wsum(ww * rx, inv_diff),
        float(ww.sum()),
        np.bincount(s.ix, weights=ww, minlength=len(v.log_odds_x)),
    )


def _loglik_parts(params: np.ndarray, d: _Triples) -> tuple[float, np.ndarray]:
    r, alpha, a, b = (float(p) for p in params)
    ux, wx = d.ux, d.wx
    # Terms depending on x only: evaluated once per distinct x, weighted by its customers.
    ll_x = gammaln(r + ux) - gammaln(r) + gammaln(a + b) + gammaln(b + ux)
    ll_x -= gammaln(b) + gammaln(a + b + ux)
    ll = wsum(wx, ll_x) + d.n * r * np.log(alpha)
    g_r_x = wsum(wx, psi(r + ux) - psi(r))
    g_ab = wsum(wx, psi(a + b) - psi(a + b + ux))
    g_b_x = wsum(wx, psi(b + ux) - psi(b))

    v = _PerValue(
        r=r,
        log_odds_x=np.log(a) - np.log(b + np.maximum(ux - 1.0, 0.0)),
        log_at=np.log(alpha + d.uT),
        log_atx=np.log(alpha + d.utx),
        inv_at=1.0 / (alpha + d.uT),
        inv_atx=1.0 / (alpha + d.utx),
    )
    # The "alive at T" term (alpha+T)^-(r+x) of every customer, summed per distinct T.
    exponent_T = r * (d.w_once_T + d.w_repeat_T) + d.wx_repeat_T
    ll -= wsum(exponent_T, v.log_at)
    g_r = -wsum(d.w_once_T + d.w_repeat_T, v.log_at)
    g_alpha = -wsum(exponent_T, v.inv_at)

    # Repeat buyers: plus log(1 + e^diff), slice by slice; the slices are added in order.
    parts = map_parts(lambda i: _repeat_terms(d.parts[i], v), len(d.parts))
    ll += sum(p[0] for p in parts)
    g_r -= sum(p[1] for p in parts)
    g_alpha -= sum(p[2] for p in parts)
    dead = sum(p[3] for p in parts)
    dead_by_x = sum((p[4] for p in parts), np.zeros(len(ux)))

    grad = np.array(
        [
            g_r_x + d.n * np.log(alpha) + g_r,
            d.n * r / alpha + g_alpha,
            g_ab + dead / a,
            g_ab + g_b_x - wsum(dead_by_x[ux > 0], 1.0 / (b + ux[ux > 0] - 1.0)),
        ]
    )
    return ll, grad


def bgnbd_log_likelihood(
    params: Any, frequency: Any, recency: Any, T: Any, weights: Any = None
) -> tuple[float, np.ndarray]:
    """Total log-likelihood and its gradient in (r, alpha, a, b) for the given customers."""
    x, tx, t = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    return _loglik_parts(np.asarray(params, dtype=np.float64), _Triples(x, tx, t, w))


class BetaGeoModel(FittedModel):
    """BG/NBD purchase model: ``BetaGeoModel().fit(summary)``.

    ``summary`` has columns frequency, recency, T and optionally count (customers per row, for
    fitting on distinct triples). Fitted: ``params_`` (r, alpha, a, b), ``log_likelihood_``,
    ``converged_``, ``n_customers_``.
    """

    name = "bgnbd"
    param_names = PARAMS

    def fit(self, summary: Any) -> BetaGeoModel:
        x, tx, T = (column(summary, c) for c in ("frequency", "recency", "T"))
        check_rft(x, tx, T)
        w = counts_of(summary, len(x))
        data = _Triples(x, tx, T, w)
        mean_t = wsum(w, T) / data.n
        mean_x = wsum(w, x) / data.n  # over all customers (data.x holds repeat buyers only)
        # Start at a purchase rate r/alpha equal to the observed repeat rate.
        start = np.array([1.0, max(mean_t, 1e-3) / (mean_x + 1.0), 1.0, 1.0])
        outcome = maximise(
            lambda p: _scaled(_loglik_parts(p, data), data.n),
            start,
            PARAMS,
            data.n,
            maxiter=self.maxiter,
            tol=self.tol,
        )
        self._store(outcome, data.n, len(x))
        return self

    def near_limit(self) -> bool:
        """a + b so large that the fit is compared with its common-dropout limit."""
        return self.params_["a"] + self.params_["b"] > RIDGE_AB

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(customer still alive at T | x, t_x, T)."""
        r, alpha, a, b = self._params()
        x, tx, t = _arrays(frequency, recency, T)
        bx1 = b + np.maximum(x - 1.0, 0.0)
        log_odds_dead = np.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + t) - np.log(alpha + tx))
        return np.where(x > 0, expit(-log_odds_dead), 1.0)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[purchases in (T, T+t] | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10)."""
        r, alpha, a, b = self._params()
        x, tx, T_ = _arrays(frequency, recency, T)
        u = np.asarray(t, dtype=np.float64) / (alpha + T_)
        # Eq. 10's denominator 1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) is 1/P(alive).
        return _numerator(r, a, b, x, u) * self.probability_alive(x, tx, T_)

    def expected_purchases_new(self, t: Any) -> np.ndarray:
        """E[X(t)] for a customer just acquired (unconditional, eq. 9): eq. 10's numerator at
        x = 0 and T = 0."""
        r, alpha, a, b = self._params()
        u = np.asarray(t, dtype=np.float64) / alpha
        return _numerator(r, a, b, np.zeros_like(u), u)


_NEAR_ONE = 1e-4


def _numerator(r: float, a: float, b: float, x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """E[purchases in the next t | alive, x] with u = t / (alpha+T): eq. 10's numerator."""
    if abs(a - 1.0) < _NEAR_ONE:
        # 0/0 at a = 1: the expression is smooth in a, so average both sides (error ~1e-8).
        return (
            _purchases_if_alive(r, a - _NEAR_ONE, b, x, u)
            + _purchases_if_alive(r, a + _NEAR_ONE, b, x, u)
        ) / 2.0
    return _purchases_if_alive(r, a, b, x, u)


def _purchases_if_alive(r, a, b, x, u) -> np.ndarray:
    """Numerator of eq. 10, closed form where it is representable, else by quadrature.

    Euler's transformation turns ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), whose
    factors overflow and underflow for large x, into one well-scaled product. For large a
    SciPy's 2F1 overflows (inf times 0 is NaN) or loses its digits; the value is an expectation
    of a function that falls from k u (p = 0) to 1 - (1+u)^-k (p = 1), so a closed-form result
    outside that band, or not finite, is replaced by the quadrature of the same expectation.
    """
    x, u = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(u, dtype=np.float64))
    z = u / (1.0 + u)
    k = r + x
    with np.errstate(all="ignore"):
        f21 = hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
        tail = np.exp((a - 1.0) * np.log1p(-z)) * f21
        value = np.asarray((a + b + x - 1.0) / (a - 1.0) * (1.0 - tail), dtype=np.float64)
    highest, lowest = k * u, purchases_if_alive(k, u, np.ones_like(u))
    bad = ~np.isfinite(value) | (value > highest * (1 + 1e-9)) | (value < lowest * (1 - 1e-9))
    if bad.any():
        value = value.copy()
        value[bad] = beta_mean_purchases(r, a, b, x[bad], u[bad])
    return value


def _scaled(value_grad: tuple[float, np.ndarray], n: float) -> tuple[float, np.ndarray]:
    value, grad = value_grad
    return value / n, grad / n


def _arrays(*values: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(v, dtype=np.float64) for v in values)
