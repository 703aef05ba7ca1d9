"""Simulating purchase histories from known model parameters (numpy only), for recovery tests."""

from __future__ import annotations

import numpy as np


def simulate_bgnbd(
    n: int, r: float, alpha: float, a: float, b: float, *, seed: int, t_min=20.0, t_max=60.0
) -> dict[str, np.ndarray]:
    """Customers of a BG/NBD process observed for a random age T in [t_min, t_max].

    Each customer buys at rate lambda ~ Gamma(r, alpha) and, after every repeat purchase, drops
    out with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005, assumptions i-v).
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    T = rng.uniform(t_min, t_max, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        t[idx] += rng.exponential(1.0, len(idx)) / lam[idx]
        bought = t[idx] <= T[idx]
        ended = idx[~bought]
        active[ended] = False
        buyers = idx[bought]
        x[buyers] += 1
        tx[buyers] = t[buyers]
        died = buyers[rng.random(len(buyers)) < p[buyers]]
        active[died] = False
    return {"frequency": x, "recency": tx, "T": T}


def simulate_spend(
    frequency: np.ndarray, p: float, q: float, gamma: float, *, seed: int
) -> np.ndarray:
    """Mean value of each customer's repeat purchases under Gamma-Gamma (0 without repeats)."""
    rng = np.random.default_rng(seed)
    nu = rng.gamma(q, 1.0 / gamma, len(frequency))
    x = frequency.astype(int)
    # The sum of x Gamma(p, nu) values is Gamma(p x, nu); its mean is that divided by x.
    total = rng.gamma(np.maximum(p * x, 1e-12), 1.0 / nu)
    return np.where(x > 0, total / np.maximum(x, 1), 0.0)


def simulate_mbgcnbd(
    n: int,
    k: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    *,
    seed: int,
    calibration: np.ndarray,
    holdout: float,
) -> dict[str, np.ndarray]:
    """Customers of an MBG/CNBD-k process, as BTYDplus's mbgcnbd.GenerateData draws them.

    Gaps are Gamma(k, rate lambda) with lambda ~ Gamma(r, rate alpha); each customer makes
    Geometric(p) repeat purchases before dropping out (dropout possible right after the first
    purchase), p ~ Beta(a, b). Customer i is observed for calibration[i] and then ``holdout``.
    Returned: frequency, recency, T, log_gaps (sum of log gaps), gap_share (last gap / last two,
    NaN with fewer than two gaps), holdout_frequency and alive (at the end of calibration).
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = np.maximum(rng.beta(a, b, n), 1e-5)
    repeats = rng.geometric(p) - 1  # failures before the first success, as R's rgeom
    T = np.asarray(calibration, dtype=np.float64)
    x, tx, log_gaps = np.zeros(n), np.zeros(n), np.zeros(n)
    last, previous = np.full(n, np.nan), np.full(n, np.nan)
    later, t = np.zeros(n), np.zeros(n)
    active = np.flatnonzero(repeats > 0)
    made = np.zeros(n, dtype=np.int64)
    while len(active):
        gap = rng.gamma(k, 1.0 / lam[active])
        t[active] += gap
        made[active] += 1
        in_cal = t[active] <= T[active]
        i = active[in_cal]
        x[i] += 1
        tx[i] = t[i]
        log_gaps[i] += np.log(gap[in_cal])
        previous[i], last[i] = last[i], gap[in_cal]
        h = active[~in_cal & (t[active] <= T[active] + holdout)]
        later[h] += 1
        active = active[(made[active] < repeats[active]) & (t[active] <= T[active] + holdout)]
    return {
        "frequency": x,
        "recency": tx,
        "T": T,
        "log_gaps": log_gaps,
        "gap_share": last / (last + previous),
        "holdout_frequency": later,
        "alive": (repeats > x).astype(np.float64),
    }
