"""What the data allow at all: a classifier that is told each generator's own curve families.

For every customer the quarterly revenue over its active span (first to last purchase within
the analysed history) is fitted with each family the generator draws from, with that family's
own free parameters, by least squares on the log of the quarterly value (the generators'
noise is multiplicative: log-normal order values, gamma-mixed order counts). The family with
the lowest BIC wins; Klette is decided by the generator's own rule instead (its care eats the
margin). No threshold of ours enters: where this classifier errs, the data themselves do not
show the type, and no method that sees the same data can be expected to do better.

Used by bench_dynamics_accuracy.py; benchmark code, not part of the product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares


@dataclass(frozen=True)
class Family:
    name: str
    curve: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (params, t in [0, 1]) -> shape
    starts: list[list[float]]
    lower: list[float]
    upper: list[float]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


def world_families(months: int) -> list[Family]:
    """tests/dynamics/value_world.py: logistic growth and decline, gamma bell, sine cycle."""

    def logistic(p, t):
        factor, mid, width = p
        return 1 + (factor - 1) * _sigmoid((t - mid) / width)

    def cycle(period):
        return lambda p, t: 1 + p[0] * np.sin(2 * np.pi * t * months / period + p[1])

    def bell(p, t):
        peak, k = p
        x = np.maximum(t / peak, 1e-9)
        return 0.03 + 2.5 * x**k * np.exp(k * (1 - x))

    grid = [[f, m, w] for f in (2.0, 4.0) for m in (0.2, 0.5, 0.8) for w in (0.08, 0.2)]
    return [
        Family("steady", lambda p, t: np.ones_like(t), [[]], [], []),
        Family("growth", logistic, grid, [1.2, -0.5, 0.03], [20.0, 1.5, 0.5]),
        Family(
            "shrinking",
            lambda p, t: p[0] / logistic(p, t),
            grid,
            [1.2, -0.5, 0.03],
            [20.0, 1.5, 0.5],
        ),
        *(
            Family(
                "cyclical",
                cycle(period),
                [[0.7, phase] for phase in (0.0, 1.6, 3.1, 4.7)],
                [0.1, -10.0],
                [0.99, 10.0],
            )
            for period in (12, 24)
        ),
        Family(
            "bell",
            bell,
            [[pk, k] for pk in (0.1, 0.4, 0.7) for k in (2.0, 5.0)],
            [-0.6, 0.5],
            [1.5, 12.0],
        ),
    ]


def demo_families(months: int) -> list[Family]:
    """kundenwert.demo: exponential growth and decline, cubed-sine cycle, linear-ish bell."""

    def cycle(period):
        def curve(p, t):
            wave = ((1 + np.sin(2 * np.pi * t * months / period + p[0])) / 2) ** 3 / 0.3125
            return 0.05 + wave

        return curve

    def bell(p, t):
        start, peak, end = p
        up = np.clip((t - start) / max(peak - start, 1e-3), 0, 1)
        down = np.clip((end - t) / max(end - peak, 1e-3), 0, 1)
        return 0.02 + 2.2 * np.where(t <= peak, up, down) ** 1.3

    return [
        Family("steady", lambda p, t: np.ones_like(t), [[]], [], []),
        Family("growth", lambda p, t: np.exp(p[0] * t), [[1.0]], [0.05], [5.0]),
        Family("shrinking", lambda p, t: np.exp(-p[0] * t), [[1.0]], [0.05], [5.0]),
        *(
            Family("cyclical", cycle(period), [[ph] for ph in (0.0, 1.6, 3.1, 4.7)], [-10], [10])
            for period in (12, 18, 24)
        ),
        Family(
            "bell",
            bell,
            [[s, pk, e] for s, pk, e in ((-0.3, 0.2, 1.0), (0.0, 0.4, 1.3), (-0.6, 0.1, 0.8))],
            [-1.5, -0.5, 0.2],
            [0.5, 1.0, 3.0],
        ),
    ]


def _fit(y: np.ndarray, t: np.ndarray, family: Family) -> float:
    """Residual sum of squares of log(y) against log(c * curve) at the best parameters."""
    best = np.inf
    for start in family.starts:

        def residual(p, start=start):
            shape = np.maximum(family.curve(p[1:], t), 1e-9)
            return y - p[0] - np.log(shape)

        x0 = np.r_[np.mean(y), start]
        if family.lower:
            bounds = (np.r_[-np.inf, family.lower], np.r_[np.inf, family.upper])
            x0 = np.clip(x0, bounds[0] + 1e-9, bounds[1] - 1e-9)
        else:
            bounds = (-np.inf, np.inf)
        try:
            fit = least_squares(residual, x0, bounds=bounds, max_nfev=200)
        except ValueError:
            continue
        best = min(best, float(np.sum(fit.fun**2)))
    return best


def classify(quarters: np.ndarray, active: np.ndarray, families: list[Family]) -> np.ndarray:
    """The likeliest family per customer (rows of quarterly revenue; ``active``: the quarters
    of the customer's span). Customers with fewer than four active quarters: ""."""
    out = np.full(len(quarters), "", dtype=object)
    for i, (row, span) in enumerate(zip(quarters, active, strict=True)):
        y = np.maximum(row[span], 0.0)
        if len(y) < 4 or y.sum() <= 0:
            continue
        floor = 0.05 * y[y > 0].mean()
        log_y = np.log(y + floor)
        t = (np.flatnonzero(span) + 0.5) / len(row)
        scores = {}
        for family in families:
            rss = _fit(log_y, t, family)
            k = 1 + len(family.starts[0])
            bic = len(y) * np.log(max(rss, 1e-12) / len(y)) + k * np.log(len(y))
            scores[family.name] = min(scores.get(family.name, np.inf), bic)
        out[i] = min(scores, key=scores.get)
    return out
