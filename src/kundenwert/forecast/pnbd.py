"""Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; Fader, Hardie & Lee 2005 note).

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); her
lifetime is exponential with rate mu ~ Gamma(s, beta). The likelihood of (x, t_x, T) is

    L = G(r+x) alpha^r beta^s / G(r) * [ (alpha+T)^-(r+x) (beta+T)^-s  +  s * I ],
    I = integral over tau in [t_x, T] of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) d tau.

The literature writes s*I with Gauss hypergeometric functions, switching on alpha >= beta so the
argument stays below 1 (``pnbd_dropout_term_hyp2f1`` does exactly that and serves as the
reference in the tests). Those terms overflow for large r+s+x, and 2F1 has no closed-form
derivative in its parameters, so the fit evaluates I by Gauss-Legendre quadrature in
u = log(min(alpha, beta) + tau), in log space. In u the integrand is log-concave with
singularities a distance pi off the real axis, so a fixed rule of 32 nodes is accurate to ~1e-13;
the same nodes give the gradient (differentiation under the integral), which keeps the fit
analytic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.polynomial.legendre import leggauss
from scipy.special import gammaln, hyp2f1, psi

from kundenwert.forecast.base import (
    FittedModel,
    check_rft,
    column,
    counts_of,
    maximise,
    wsum,
)

PARAMS = ("r", "alpha", "s", "beta")
# Two panels of 16 Gauss-Legendre nodes: against 12 x 24 nodes the error in log I stays below
# 2e-13 on CDNOW and on a million-customer daily data set, for parameters from 0.01 to 10^4.
_PANELS = 2
_NODES, _GL_WEIGHTS = leggauss(16)
_CHUNK = 8192  # triples per block: bounds the (triples x nodes) work arrays to a few MB
_TAIL = 60.0  # the integrand is cut where it has fallen below e^-60 of its start


def _log_dropout_integral(x, tx, T, r, alpha, s, beta, with_grad: bool):
    """log I per triple and, optionally, d log I / d(r, alpha, s, beta) (rows)."""
    m = min(alpha, beta)
    da, db = alpha - m, beta - m  # one of them is exactly 0
    u0 = np.log(m + tx)[:, None]
    u1 = np.log(m + T)[:, None]
    k_a = (r + x)[:, None]
    # Slope of the log-integrand at u0; the log-integrand is concave, so beyond 60/|slope| the
    # integrand is below e^-60 of its value at u0 and can be dropped.
    e0 = np.exp(u0)
    slope = 1.0 - k_a * e0 / (e0 + da) - (s + 1.0) * e0 / (e0 + db)
    reach = np.where(slope < 0, _TAIL / np.maximum(-slope, 1e-300), np.inf)
    u_end = np.minimum(u1, u0 + reach)
    width = (u_end - u0) / _PANELS
    starts = u0 + width * np.arange(_PANELS)[None, :]  # (n, P)
    u = (starts[:, :, None] + width[:, :, None] * (_NODES + 1.0) / 2.0).reshape(len(x), -1)
    # t_x a rounding error below T leaves an empty interval: I is then ~0, not log(0).
    log_w = np.log(np.tile(_GL_WEIGHTS, _PANELS))[None, :] + np.log(np.maximum(width, 1e-300) / 2)
    eu = np.exp(u)
    # alpha + tau = e^u + da and beta + tau = e^u + db; one of da, db is 0, its log is u itself.
    log_a_tau = u if da == 0.0 else np.log(eu + da)
    log_b_tau = u if db == 0.0 else np.log(eu + db)
    log_f = log_w + u - k_a * log_a_tau - (s + 1.0) * log_b_tau
    top = np.max(log_f, axis=1, keepdims=True)
    weights = np.exp(log_f - top)
    total = weights.sum(axis=1)
    log_i = top[:, 0] + np.log(total)
    if not with_grad:
        return log_i, None
    share = weights / total[:, None]
    grad = np.stack(
        [
            -(share * log_a_tau).sum(axis=1),
            -(share * (k_a / (eu + da))).sum(axis=1),
            -(share * log_b_tau).sum(axis=1),
            -(s + 1.0) * (share / (eu + db)).sum(axis=1),
        ]
    )
    return log_i, grad


def _per_triple(params, x, tx, T, with_grad: bool):
    """Log-likelihood per triple without the x-only terms, its gradient, and P(alive)."""
    r, alpha, s, beta = params
    n = len(x)
    ll = np.empty(n)
    p_alive = np.ones(n)
    grad = np.zeros((4, n)) if with_grad else None
    for lo in range(0, n, _CHUNK):
        sl = slice(lo, min(lo + _CHUNK, n))
        xs, txs, ts = x[sl], tx[sl], T[sl]
        log_at, log_bt = np.log(alpha + ts), np.log(beta + ts)
        alive = -(r + xs) * log_at - s * log_bt
        dead = np.full(len(xs), -np.inf)
        d_i = np.zeros((4, len(xs)))
        inner = ts > txs
        if inner.any():
            log_i, g_i = _log_dropout_integral(
                xs[inner], txs[inner], ts[inner], r, alpha, s, beta, with_grad
            )
            dead[inner] = np.log(s) + log_i
            if with_grad:
                d_i[:, inner] = g_i
        top = np.maximum(alive, dead)
        lse = top + np.log(np.exp(alive - top) + np.exp(dead - top))
        w_dead = np.exp(dead - lse)
        ll[sl] = lse
        p_alive[sl] = 1.0 - w_dead
        if grad is not None:  # with_grad
            w_alive = 1.0 - w_dead
            grad[0, sl] = -w_alive * log_at + w_dead * d_i[0]
            grad[1, sl] = -w_alive * (r + xs) / (alpha + ts) + w_dead * d_i[1]
            grad[2, sl] = -w_alive * log_bt + w_dead * (1.0 / s + d_i[2])
            grad[3, sl] = -w_alive * s / (beta + ts) + w_dead * d_i[3]
    return ll, grad, p_alive


def pnbd_log_likelihood(
    params: Any, frequency: Any, recency: Any, T: Any, weights: Any = None
) -> tuple[float, np.ndarray]:
    """Total log-likelihood and its gradient in (r, alpha, s, beta)."""
    r, alpha, s, beta = (float(v) for v in params)
    x, tx, t = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    n = w.sum()
    ux, inverse = np.unique(x, return_inverse=True)
    wx = np.bincount(inverse, weights=w, minlength=len(ux))
    ll_t, g_t, _ = _per_triple((r, alpha, s, beta), x, tx, t, with_grad=True)
    ll = wsum(wx, gammaln(r + ux) - gammaln(r)) + n * (r * np.log(alpha) + s * np.log(beta))
    ll += wsum(w, ll_t)
    grad = (g_t * w).sum(axis=1) + np.array(
        [
            wsum(wx, psi(r + ux) - psi(r)) + n * np.log(alpha),
            n * r / alpha,
            n * np.log(beta),
            n * s / beta,
        ]
    )
    return ll, grad


def pnbd_dropout_term_hyp2f1(params: Any, x: Any, tx: Any, T: Any) -> np.ndarray:
    """s * I by the literature's 2F1 expression (Fader, Hardie & Lee 2005, eq. 2), reference."""
    r, alpha, s, beta = (float(v) for v in params)
    x, tx, T = (np.asarray(v, dtype=np.float64) for v in (x, tx, T))
    c = r + s + x
    if alpha >= beta:
        big, b_arg = alpha, s + 1.0
    else:
        big, b_arg = beta, r + x
    z_tx = (abs(alpha - beta)) / (big + tx)
    z_t = (abs(alpha - beta)) / (big + T)
    a0 = hyp2f1(c, b_arg, c + 1.0, z_tx) / (big + tx) ** c
    a0 -= hyp2f1(c, b_arg, c + 1.0, z_t) / (big + T) ** c
    return s / c * a0


class ParetoNBDModel(FittedModel):
    """Pareto/NBD purchase model: ``ParetoNBDModel().fit(summary)``; see :class:`BetaGeoModel`."""

    name = "pnbd"
    param_names = PARAMS

    def fit(self, summary: Any) -> ParetoNBDModel:
        x, tx, T = (column(summary, c) for c in ("frequency", "recency", "T"))
        check_rft(x, tx, T)
        w = counts_of(summary, len(x))
        n = float(w.sum())
        mean_t = max(wsum(w, T) / n, 1e-3)
        start = np.array([1.0, mean_t / (wsum(w, x) / n + 1.0), 1.0, mean_t])

        def mean_loglik(p: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = pnbd_log_likelihood(p, x, tx, T, w)
            return value / n, grad / n

        outcome = maximise(mean_loglik, start, PARAMS, n, maxiter=self.maxiter, tol=self.tol)
        self._store(outcome, n, len(x))
        return self

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive at T | x, t_x, T): the share of the 'still alive' term in the likelihood."""
        params = self._params()
        x, tx, t = np.broadcast_arrays(
            *(np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
        )
        _, _, p_alive = _per_triple(params, x.ravel(), tx.ravel(), t.ravel(), with_grad=False)
        return p_alive.reshape(x.shape)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[purchases in (T, T+t] | x, t_x, T] (Fader, Hardie & Lee 2005 note, eq. 22)."""
        r, alpha, s, beta = self._params()
        x, tx, T_ = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
        t = np.asarray(t, dtype=np.float64)
        log_ratio = np.log1p(t / (beta + T_))  # log((beta+T+t)/(beta+T))
        # (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1), continuous through s = 1.
        near_one = abs(s - 1.0) < 1e-9
        shape = log_ratio if near_one else -np.expm1(-(s - 1.0) * log_ratio) / (s - 1.0)
        return (r + x) * (beta + T_) / (alpha + T_) * shape * self.probability_alive(x, tx, T_)
