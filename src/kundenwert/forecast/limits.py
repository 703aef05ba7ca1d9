"""The BG/NBD's limits: one dropout probability for every customer, and no dropout at all.

When the Beta(a, b) dropout distribution of the BG/NBD narrows to a point (a and b grow with
a/(a+b) = p fixed), every customer drops out after a purchase with the same probability p. The
data then cannot tell a and b apart along that ridge: the four-parameter fit runs off to huge a
and b (the 250-customer demo: a = 197,000, b = 19.8 million) and its closed forms turn into 0 * inf.
This module is that limit as a model of its own, with three parameters (r, alpha, p), fitted and
predicted in closed form:

    L = G(r+x) alpha^r / G(r)
        * [ (1-p)^x (alpha+T)^-(r+x) + [x>0] p (1-p)^(x-1) (alpha+t_x)^-(r+x) ]
    P(alive) = 1 / (1 + [x>0] p/(1-p) ((alpha+T)/(alpha+t_x))^(r+x))
    E[X(T, T+t) | alive] = (1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p

When p itself goes to 0 the model is the NBD (gamma-mixed Poisson, nobody drops out):
E[X(T, T+t)] = (r+x) t / (alpha+T), P(alive) = 1. ``CommonDropoutModel(dropout=False)`` fits it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit, gammaln, psi

from kundenwert.forecast.base import FittedModel, check_rft, column, counts_of, maximise, wsum
from kundenwert.forecast.betamix import purchases_if_alive


class CommonDropoutModel(FittedModel):
    """The BG/NBD with one dropout probability ``p`` for all customers (or none: the NBD).

    Fitted: ``params_`` (r, alpha, p; or r, alpha for the NBD), ``log_likelihood_``,
    ``converged_``. ``name`` says which of the two it is.
    """

    def __init__(self, *, dropout: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dropout = dropout

    @property
    def name(self) -> str:  # type: ignore[override]
        return "bgnbd_common_dropout" if self.dropout else "nbd"

    @property
    def param_names(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("r", "alpha", "p") if self.dropout else ("r", "alpha")

    def fit(self, summary: Any) -> CommonDropoutModel:
        x, tx, T = (column(summary, c) for c in ("frequency", "recency", "T"))
        check_rft(x, tx, T)
        w = counts_of(summary, len(x))
        n = float(w.sum())
        mean_t = max(wsum(w, T) / n, 1e-3)
        start = [1.0, mean_t / (wsum(w, x) / n + 1.0)]
        # p lives in (0, 1): the optimiser works on its odds p/(1-p), which is positive.
        names = ("r", "alpha", "odds") if self.dropout else ("r", "alpha")
        if self.dropout:
            start.append(0.1)

        def mean_loglik(params: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = _log_likelihood(params, x, tx, T, w)
            return value / n, grad / n

        outcome = maximise(
            mean_loglik, np.array(start), names, n, maxiter=self.maxiter, tol=self.tol
        )
        params = dict(outcome.params)
        if self.dropout:
            odds = params.pop("odds")
            params["p"] = odds / (1.0 + odds)
        self._store(outcome, n, len(x))
        self.params_ = params
        return self

    def _p(self) -> tuple[float, float, float]:
        values = self._params()
        return (values[0], values[1], values[2] if self.dropout else 0.0)

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        r, alpha, p = self._p()
        x, tx, t = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
        if p == 0.0:
            return np.ones(np.broadcast(x, tx, t).shape)
        log_ratio = np.log(alpha + t) - np.log(alpha + tx)
        log_odds_dead = np.log(p) - np.log1p(-p) + (r + x) * log_ratio
        return np.where(x > 0, expit(-log_odds_dead), 1.0)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        r, alpha, p = self._p()
        x, tx, T_ = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
        t = np.asarray(t, dtype=np.float64)
        if_alive = purchases_if_alive(r + x, t / (alpha + T_), p)
        return if_alive * self.probability_alive(x, tx, T_)

    def expected_purchases_new(self, t: Any) -> np.ndarray:
        r, alpha, p = self._p()
        return purchases_if_alive(r, np.asarray(t, dtype=np.float64) / alpha, p)


def _log_likelihood(params, x, tx, T, w) -> tuple[float, np.ndarray]:
    """Total log-likelihood and its gradient in (r, alpha[, odds])."""
    r, alpha = float(params[0]), float(params[1])
    dropout = len(params) == 3
    odds = float(params[2]) if dropout else 0.0
    p = odds / (1.0 + odds)
    log_q = -np.log1p(odds)  # log(1 - p)
    rx = r + x
    log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
    alive = x * log_q - rx * log_at
    if dropout:
        repeat = x > 0
        dead = np.where(repeat, np.log(p) + (x - 1.0) * log_q - rx * log_atx, -np.inf)
        top = np.maximum(alive, dead)
        lse = top + np.log(np.exp(alive - top) + np.exp(dead - top))
        w_dead = np.exp(dead - lse)
    else:
        lse, w_dead = alive, np.zeros_like(x)
    w_alive = 1.0 - w_dead
    n = float(w.sum())
    ll = wsum(w, gammaln(rx) + lse) + n * (r * np.log(alpha) - gammaln(r))
    g_r = wsum(w, psi(rx) - w_alive * log_at - w_dead * log_atx) + n * (np.log(alpha) - psi(r))
    g_alpha = n * r / alpha - wsum(w, rx * (w_alive / (alpha + T) + w_dead / (alpha + tx)))
    if not dropout:
        return ll, np.array([g_r, g_alpha])
    # d/dp of x log(1-p) (alive) and of log p + (x-1) log(1-p) (dead); dp/d odds = (1-p)^2.
    d_p = wsum(w, -w_alive * x / (1.0 - p) + w_dead * (1.0 / p - (x - 1.0) / (1.0 - p)))
    return ll, np.array([g_r, g_alpha, d_p * (1.0 - p) ** 2])
