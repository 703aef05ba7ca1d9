"""Value trajectory types (DOMAIN.md point 7), decided for all customers at once.

The buying intensity of a customer (invoices plus care activities per 3-month block,
counted back from the as-of date) is fitted with four Poisson models over the customer's
span (from the start of the relationship, or of the history, to the as-of date):
flat, log-linear trend, rise-and-fall (quadratic in log) and cycle (one harmonic of 12, 18 or
24 months). The counts vary more than Poisson (lines come in invoices, months are lumpy), so
the models are compared by quasi-likelihood: the log-likelihoods divided by the customer's
dispersion (:func:`_dispersion`). The model with the best BIC wins, a bell or cycle only with
``bell_evidence`` or ``cycle_evidence`` more; the trend wins only when it is significant by
the BIC and its size (``min_trend``) decides growth, shrinking or steady.
Klette comes first: loyal for years and margin III at most ``klette_margin_share`` of
margin II. Too little history: ``insufficient``.
The confidence is the BIC weight of the chosen model (an approximate posterior probability)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kundenwert.dynamics.config import TrajectorySettings
from kundenwert.dynamics.glm import BatchPoissonGLM
from kundenwert.dynamics.series import SeriesMatrix

INSUFFICIENT = "insufficient"
BLOCK = 3  # months per block: quarters classify better than months at a few invoices a year
TYPES = np.array(["steady", "cyclical", "bell", "growth", "shrinking", "klette", INSUFFICIENT])
STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, KLETTE, NONE = range(7)
DISPERSION_PRIOR_DF = 12.0  # weight of the customers' common dispersion, in quarters
# Regular reorders vary less than Poisson (dispersion below 1); the floor keeps a customer
# whose few quarters happen to be alike from looking certain.
DISPERSION_FLOOR = 0.5


@dataclass
class Trajectories:
    """One entry per customer (the rows of the series matrix)."""

    type: np.ndarray  # str, one of TYPES
    confidence: np.ndarray  # 0..1, NaN when insufficient
    purchase_months: np.ndarray  # months with an invoice in the history
    span_years: np.ndarray  # length of the buying span
    yearly_change: np.ndarray  # fitted change of the intensity per year (0.38 = +38 %)
    deviance_explained: np.ndarray  # of the trend model (pseudo R²)
    peak_share: np.ndarray  # bell: position of the peak in the span (0 start, 1 end)
    cycle_months: np.ndarray  # cyclical: the cycle length, 0 otherwise
    margin_share: np.ndarray  # margin III / margin II over the history
    revenue_12m: np.ndarray  # revenue of the last 12 months
    revenue_prev_12m: np.ndarray  # revenue of the 12 months before


def _blocks(values: np.ndarray) -> np.ndarray:
    """Sums over 3-month blocks counted back from the as-of month (oldest months dropped)."""
    n, months = values.shape
    k = months // BLOCK
    return values[:, months - k * BLOCK :].reshape(n, k, BLOCK).sum(axis=2)


def _span(tenure_months: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last block of the customer's span: from the start of the relationship (or
    the history) to the as-of date. Quiet months before the first purchase and after the last
    one count as zeros: a bell rises from nothing and a lost customer's silence is a decline.
    (Ending the span at the last purchase instead was tried on the demo company: it costs more
    bells, which fade out, than it wins lost steady customers.)"""
    first = np.maximum(0, k - np.ceil(tenure_months / BLOCK).astype(np.int64))
    return np.minimum(first, k - 1), np.full(len(tenure_months), k - 1)


def _last_purchase_block(bought: np.ndarray, k: int) -> np.ndarray:
    """The block of each customer's last purchase month (0 without any)."""
    silent = bought[:, ::-1].argmax(1)  # months since the last purchase month
    return np.where(bought.any(1), k - 1 - silent // BLOCK, 0)


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = np.exp(scores - scores.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def classify_trajectories(series: SeriesMatrix, cfg: TrajectorySettings) -> Trajectories:
    n = series.n
    bought_m = series.lines > 0
    purchase_months = bought_m.sum(1)
    # Purchases are counted as invoices: the lines of one invoice are one decision, and
    # counting them would add their number's noise (a third less information on the demo).
    purchases = series.lines if series.invoices is None else series.invoices
    y = _blocks(purchases.astype(np.float64) + series.activities)
    k = y.shape[1]
    first, end = _span(series.tenure_months, k)
    stop = _last_purchase_block(bought_m, k)
    # Tenure counts from customer_since or the first invoice ever, whichever is earlier.
    enough = (purchase_months >= cfg.min_purchase_months) & (
        series.tenure_months >= cfg.min_history_months
    )
    m2 = series.margin_2
    margin_share = series.margin_3.sum(1) / np.maximum(np.abs(m2), 1e-9)
    revenue_12m = series.revenue[:, -12:].sum(1)
    revenue_prev = series.revenue[:, -24:-12].sum(1)

    touched = y > 0
    in_span = (np.arange(k)[None, :] >= first[:, None]) & (np.arange(k)[None, :] <= end[:, None])
    quarters_touched = (touched & in_span).sum(1) / np.maximum(end - first + 1, 1)
    klette = (
        (margin_share <= cfg.klette_margin_share)
        & (series.tenure_months >= cfg.klette_min_tenure_months)
        & (quarters_touched >= cfg.klette_min_quarter_share)
    )

    out = np.full(n, NONE)
    conf = np.full(n, np.nan)
    change = np.full(n, np.nan)
    dev = np.full(n, np.nan)
    peak = np.full(n, np.nan)
    cycle = np.zeros(n, dtype=np.int32)
    span_years = (end - first + 1) * BLOCK / 12.0
    fit = np.flatnonzero(enough & ~klette)
    if len(fit):
        res = _fit_models(y[fit], in_span[fit], first[fit], end[fit], stop[fit], cfg)
        out[fit], conf[fit] = res["type"], res["confidence"]
        change[fit], dev[fit], peak[fit], cycle[fit] = (
            res["yearly_change"], res["deviance"], res["peak"], res["cycle"]
        )  # fmt: skip
        span_years[fit] = res["span_years"]
    kl = enough & klette
    out[kl] = KLETTE
    # Klette confidence: 1 at margin III <= 0, falling to 0.5 at the threshold.
    thr = max(cfg.klette_margin_share, 1e-9)
    conf[kl] = np.clip(1 - 0.5 * margin_share[kl] / thr, 0.5, 1.0)
    return Trajectories(
        type=TYPES[out],
        confidence=conf,
        purchase_months=purchase_months,
        span_years=np.where(out == NONE, np.nan, span_years),
        yearly_change=change,
        deviance_explained=dev,
        peak_share=peak,
        cycle_months=cycle,
        margin_share=margin_share,
        revenue_12m=revenue_12m,
        revenue_prev_12m=revenue_prev,
    )


def _fit_models(
    y: np.ndarray,
    in_span: np.ndarray,
    first: np.ndarray,
    end: np.ndarray,
    stop: np.ndarray,
    cfg: TrajectorySettings,
) -> dict[str, np.ndarray]:
    k = y.shape[1]
    w = in_span.astype(np.float64)
    # Time scaled to [-1, 1] over the history keeps the normal equations well conditioned.
    t = np.linspace(-1.0, 1.0, k)
    f = _quasi_fits(y, w, stop, t, cfg)
    pen = np.log(np.maximum(w.sum(1), 2.0)) / 2
    t0, width = t[first], np.maximum(t[end] - t[first], 1e-9)
    curv = f["quad"][:, 2]
    vertex = -f["quad"][:, 1] / (2 * np.where(curv < 0, curv, -1e-12))
    peak = (vertex - t0) / width
    is_bell = (curv < 0) & (peak >= cfg.bell_peak[0]) & (peak <= cfg.bell_peak[1])
    # The stop models need a customer silent for at least a block before the as-of date.
    stopped = (stop < end) & (stop > first)
    scores = np.stack(
        [
            f["ll0"],
            f["ll1"] - pen,
            np.where(is_bell, f["ll2"] - 2 * pen - cfg.bell_evidence, -np.inf),
            f["llc"].max(1) - 2 * pen - cfg.cycle_evidence - np.log(len(cfg.cycle_months)),
            np.where(stopped, f["ll0s"] - pen - cfg.stop_evidence, -np.inf),
            np.where(stopped, f["ll1s"] - 2 * pen - cfg.stop_evidence, -np.inf),
        ],
        axis=1,
    )
    weights = _softmax(scores)
    best = scores.argmax(1)
    # Fold the stop models into flat and trend: the same types, on their own span.
    with_stop = best >= 4
    weights[:, 0] += weights[:, 4]
    weights[:, 1] += weights[:, 5]
    best = np.where(with_stop, best - 4, best)
    last = np.where(with_stop, stop, end)
    slope = np.where(with_stop, f["trend_s"][:, 1], f["trend"][:, 1])
    span_change = slope * np.maximum(t[last] - t0, 1e-9)  # log change over the span
    years = np.maximum((last - first) * BLOCK / 12.0, BLOCK / 12.0)
    kind = _kind(best, span_change, cfg)
    # A small trend that wins the BIC is still steady: its confidence is flat + trend.
    conf = np.choose(best, weights[:, :4].T)
    small = (best == 1) & (kind == STEADY)
    conf[small] = weights[small, 0] + weights[small, 1]
    deviance = (f["ll1"] - f["ll0"]) / np.maximum(f["llsat"] - f["ll0"], 1e-12)
    return {
        "type": kind,
        "confidence": conf,
        "yearly_change": np.expm1(span_change / years),
        "deviance": np.clip(deviance, 0, 1),
        "peak": np.where(kind == BELL, np.clip(peak, 0, 1), np.nan),
        "cycle": np.where(kind == CYCLICAL, np.array(cfg.cycle_months)[f["llc"].argmax(1)], 0),
        "span_years": (last - first + 1) * BLOCK / 12.0,
    }


def _kind(best: np.ndarray, span_change: np.ndarray, cfg: TrajectorySettings) -> np.ndarray:
    """Type from the winning model (0 flat, 1 trend, 2 rise and fall, 3 cycle): a trend
    needs a change of at least ``min_trend`` over the span, smaller is steady."""
    kind = np.full(len(best), STEADY)
    trending = best == 1
    kind[trending & (span_change >= cfg.min_trend)] = GROWTH
    kind[trending & (span_change <= -cfg.min_trend)] = SHRINKING
    kind[best == 2] = BELL
    kind[best == 3] = CYCLICAL
    return kind


def _quasi_fits(
    y: np.ndarray, w: np.ndarray, stop: np.ndarray, t: np.ndarray, cfg: TrajectorySettings
) -> dict[str, np.ndarray]:
    """Quasi-log-likelihoods (``ll*``, divided by the dispersion) and coefficients of the
    models: flat, trend, rise and fall, one cycle per length; and flat and trend until the
    last purchase with nothing after (``*s``: the stop is one more parameter).

    Orders of very different size and lumpy months make counts vary more than Poisson,
    regular reorders less; unscaled, every wobble of a lumpy buyer would be "significant".
    A customer who stopped buying is lost or dormant, which is his phase; his trajectory is
    the shape of his business until then, and the zeros after it are no decline.
    """
    k = y.shape[1]
    one = np.ones(k)
    designs = {"trend": np.stack([one, t], 1), "quad": np.stack([one, t, t * t], 1)}
    months = np.arange(k) * BLOCK
    for period in cfg.cycle_months:
        angle = 2 * np.pi * months / period
        designs[period] = np.stack([one, np.cos(angle), np.sin(angle)], 1)
    fits = {name: BatchPoissonGLM().fit(X, y, w) for name, X in designs.items()}
    phi = _dispersion(y, w, designs, fits)
    ws = w * (np.arange(k)[None, :] <= stop[:, None])
    trend_s = BatchPoissonGLM().fit(designs["trend"], y, ws)
    sat = (w * np.where(y > 0, y * np.log(np.maximum(y, 1e-300)) - y, 0.0)).sum(1)
    return {
        "ll0": _flat_loglik(y, w) / phi,
        "ll1": fits["trend"].loglik_ / phi,
        "ll2": fits["quad"].loglik_ / phi,
        "llc": np.stack([fits[p].loglik_ for p in cfg.cycle_months], 1) / phi[:, None],
        "ll0s": _flat_loglik(y, ws) / phi,
        "ll1s": trend_s.loglik_ / phi,
        "llsat": sat / phi,
        "trend": fits["trend"].coef_,
        "quad": fits["quad"].coef_,
        "trend_s": trend_s.coef_,
    }


def _flat_loglik(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Log-likelihood of the flat model, whose MLE is the mean (no iterations needed)."""
    mean = (y * w).sum(1) / np.maximum(w.sum(1), 1)
    return (w * (y * np.log(np.maximum(mean, 1e-300))[:, None] - mean[:, None])).sum(1)


def _dispersion(y: np.ndarray, w: np.ndarray, designs: dict, fits: dict) -> np.ndarray:
    """Quasi-Poisson dispersion per customer, at least ``DISPERSION_FLOOR``.

    Pearson's chi-square of the best-fitting three-parameter model over its degrees of
    freedom (McCullagh & Nelder), shrunk towards the median over all customers with
    ``DISPERSION_PRIOR_DF`` degrees of freedom: a dozen quarters alone give a very noisy
    estimate, and a customer whose counts happen to scatter little should not look certain.
    """
    three = [name for name, X in designs.items() if X.shape[1] == 3]
    ll = np.stack([fits[name].loglik_ for name in three], 1)
    choice = ll.argmax(1)
    chi2 = np.zeros(len(y))
    for i, name in enumerate(three):
        rows = choice == i
        mu = np.exp(np.clip(fits[name].coef_[rows] @ designs[name].T, -30, 30))
        chi2[rows] = (w[rows] * (y[rows] - mu) ** 2 / np.maximum(mu, 1e-9)).sum(1)
    df = np.maximum(w.sum(1) - 3, 1)
    prior = float(np.median(chi2 / df)) if len(y) else 1.0
    return np.maximum(
        (chi2 + DISPERSION_PRIOR_DF * prior) / (df + DISPERSION_PRIOR_DF), DISPERSION_FLOOR
    )
