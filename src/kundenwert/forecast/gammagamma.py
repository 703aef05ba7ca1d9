"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999).

The value of each purchase of a customer is Gamma(p, nu) with nu ~ Gamma(q, gamma) across
customers, independent of the purchase process. With x repeat purchases of mean value m the
likelihood (of the mean) is

    L = G(px+q) / (G(px) G(q)) * gamma^q * m^(px-1) * x^(px) / (gamma + m x)^(px+q).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import gammaln, psi

from kundenwert.errors import InputError
from kundenwert.forecast.base import (
    FittedModel,
    blocks,
    column,
    counts_of,
    map_parts,
    maximise,
    split,
    sum_blocks,
    unique_inverse,
    wsum,
)

PARAMS = ("p", "q", "gamma")


class _SpendData:
    """Repeat buyers' (x, m) with weights, and every sum that does not depend on the parameters.

    Per distinct pair only log(gamma + m x) and its reciprocal change between evaluations; the
    Gamma-function terms depend on x alone and are evaluated per distinct x.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> None:
        self.n = float(w.sum())
        self.ux, ix = unique_inverse(x)
        self.wx = np.bincount(ix, weights=w, minlength=len(self.ux))
        # Per repeat buyer only these change with the parameters: sliced for map_parts, each
        # slice in blocks (base.BLOCK).
        self.parts = [
            list(zip(*(blocks(v) for v in arrays), strict=True))
            for arrays in zip(split(m * x), split(w), split(w * x), strict=True)
        ]
        log_m, log_x = np.log(m), np.log(x)
        self.sum_x_logs = wsum(w * x, log_m + log_x)  # sum w x (log m + log x)
        self.sum_log_m = wsum(w, log_m)


def _slice_sums(part: list[tuple[np.ndarray, ...]], g: float) -> tuple[float, float, float, float]:
    """Sums of w log(g + m x), w x log(g + m x) and of their reciprocals over one slice, block
    after block."""
    return sum_blocks(lambda block: _block_sums(block, g), part, (0.0, 0.0, 0.0, 0.0))


def _block_sums(block: tuple[np.ndarray, ...], g: float) -> tuple[float, float, float, float]:
    mx, w, wx = block
    log_gmx = np.log(g + mx)
    inv_gmx = 1.0 / (g + mx)
    return wsum(w, log_gmx), wsum(wx, log_gmx), wsum(w, inv_gmx), wsum(wx, inv_gmx)


def _spend_loglik(params: Any, d: _SpendData) -> tuple[float, np.ndarray]:
    p, q, g = (float(v) for v in params)
    pux = p * d.ux
    sums = map_parts(lambda i: _slice_sums(d.parts[i], g), len(d.parts))
    s_log, s_x_log, s_inv, s_x_inv = (sum(s[k] for s in sums) for k in range(4))
    ll = wsum(d.wx, gammaln(pux + q) - gammaln(pux) - gammaln(q)) + d.n * q * np.log(g)
    ll += p * d.sum_x_logs - d.sum_log_m - p * s_x_log - q * s_log
    psi_puxq = psi(pux + q)
    grad = np.array(
        [
            wsum(d.wx * d.ux, psi_puxq - psi(pux)) + d.sum_x_logs - s_x_log,
            wsum(d.wx, psi_puxq - psi(q)) + d.n * np.log(g) - s_log,
            d.n * q / g - p * s_x_inv - q * s_inv,
        ]
    )
    return float(ll), grad


def gamma_gamma_log_likelihood(
    params: Any, frequency: Any, monetary_value: Any, weights: Any = None
) -> tuple[float, np.ndarray]:
    """Total log-likelihood and gradient in (p, q, gamma) of repeat customers' mean spend."""
    x, m = (np.asarray(v, dtype=np.float64) for v in (frequency, monetary_value))
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    return _spend_loglik(params, _SpendData(x, m, w))


class GammaGammaModel(FittedModel):
    """Gamma-Gamma spend model: ``GammaGammaModel().fit(summary)``.

    Uses the rows with frequency > 0 (customers with repeat purchases) and their
    ``monetary_value`` (mean value of the repeat purchases), weighted by ``count`` if present.
    """

    name = "gamma_gamma"
    param_names = PARAMS

    def fit(self, summary: Any) -> GammaGammaModel:
        x, m = column(summary, "frequency"), column(summary, "monetary_value")
        w = counts_of(summary, len(x))
        repeat = x > 0
        x, m, w = x[repeat], m[repeat], w[repeat]
        if len(x) < 3 or np.any(~np.isfinite(m)) or np.any(m <= 0):
            raise InputError(
                "Das Ausgabenmodell braucht mindestens drei Kunden mit Wiederholungskäufen "
                "und positiven Beträgen.",
                hint="Wählen Sie einen späteren Stichtag oder prüfen Sie die Rechnungsbeträge.",
            )
        data = _SpendData(x, m, w)
        n = data.n
        start = np.array([1.0, 1.0, wsum(w, m) / n])

        def mean_loglik(p: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = _spend_loglik(p, data)
            return value / n, grad / n

        outcome = maximise(mean_loglik, start, PARAMS, n, maxiter=self.maxiter, tol=self.tol)
        self._store(outcome, n, len(x))
        return self

    def expected_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """E[value of a purchase | x, m]: the population mean shrunk towards the customer's own.

        For customers without repeat purchases (x = 0) this is the population mean
        p gamma / (q - 1), which exists only for q > 1.
        """
        p, q, g = self._params()
        x = np.asarray(frequency, dtype=np.float64)
        m = np.where(x > 0, np.asarray(monetary_value, dtype=np.float64), 0.0)
        if q <= 1.0:
            raise InputError(
                f"Das Ausgabenmodell hat q = {q:.3g} <= 1: die mittlere Ausgabe ist nicht endlich.",
                hint="Zu wenige oder zu streuende Wiederholungskäufe; die Prognose der Ausgaben "
                "ist mit diesen Daten nicht möglich.",
            )
        return p * (g + x * m) / (p * x + q - 1.0)

    def clv(
        self,
        purchase_model: Any,
        frequency: Any,
        recency: Any,
        T: Any,
        monetary_value: Any,
        *,
        horizon_days: int,
        unit: str,
        margin: float,
        discount_rate: float,
    ) -> np.ndarray:
        """Customer lifetime value: see :func:`kundenwert.forecast.clv.customer_lifetime_value`."""
        from kundenwert.forecast.clv import customer_lifetime_value

        return customer_lifetime_value(
            purchase_model,
            self.expected_spend(frequency, monetary_value),
            frequency,
            recency,
            T,
            horizon_days=horizon_days,
            unit=unit,
            margin=margin,
            discount_rate=discount_rate,
        )
