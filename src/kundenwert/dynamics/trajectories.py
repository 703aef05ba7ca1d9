"""Value trajectory types (DOMAIN.md point 7), decided for all customers at once, on money.

Per 3-month block (counted back from the as-of date) a customer's value is the number of
orders times their mean value. The number of orders is fitted with Poisson models under
quasi-likelihood (its own dispersion per customer), the log of the mean order value with
weighted least squares (weights: orders per block); both parts take the same shape: flat,
log-linear trend, rise and fall (quadratic), cycle (one harmonic of 12, 18 or 24 months), and
flat or trend up to a customer's last purchase. The value curve's coefficients are the sums of
the parts' coefficients. The models' weights, from their evidence (marginal likelihood under a
normal prior on the shape coefficients, :func:`_occam`), give each type a probability
(steady, growth and shrinking split the trend models by the value's change over the span
against ``min_trend``); below ``min_confidence`` the customer is ``unclear``, and a type that the
revenue of the span's first and last months contradicts is unclear too. Klette: loyal and of
low value (:func:`_klette`). Too little history: ``insufficient``. docs/dynamics.md has the
rules and the measured accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtr

from kundenwert.dynamics.config import TrajectorySettings
from kundenwert.dynamics.glm import BatchPoissonGLM, BatchWLS, shape_covariance, slope_variance
from kundenwert.dynamics.series import SeriesMatrix

INSUFFICIENT = "insufficient"
UNCLEAR = "unclear"
BLOCK = 3  # months per block: quarters classify better than months at a few invoices a year
TYPES = np.array(
    ["steady", "cyclical", "bell", "growth", "shrinking", "klette", INSUFFICIENT, UNCLEAR]
)
STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, KLETTE, NONE, NOT_CLEAR = range(8)
DISPERSION_PRIOR_DF = 12.0  # weight of the customers' common dispersion, in quarters
# Regular reorders vary less than Poisson (dispersion below 1); the floor keeps a customer
# whose few quarters happen to be alike from looking certain.
DISPERSION_FLOOR = 0.5
MIN_CYCLES = 1.5  # a cycle length is considered where the span holds at least this many


@dataclass
class Trajectories:
    """One entry per customer (the rows of the series matrix)."""

    type: np.ndarray  # str, one of TYPES
    confidence: np.ndarray  # 0..1, NaN when insufficient
    likeliest: np.ndarray  # str: the best type also when unclear (insufficient: insufficient)
    purchase_months: np.ndarray  # months with an invoice in the history
    span_years: np.ndarray  # length of the buying span
    yearly_change: np.ndarray  # fitted change of the intensity per year (0.38 = +38 %)
    deviance_explained: np.ndarray  # of the trend model (pseudo R²)
    peak_share: np.ndarray  # bell: position of the peak in the span (0 start, 1 end)
    cycle_months: np.ndarray  # cyclical: the cycle length, 0 otherwise
    margin_share: np.ndarray  # margin III / margin II over the history
    revenue_12m: np.ndarray  # revenue of the last 12 months
    revenue_prev_12m: np.ndarray  # revenue of the 12 months before
    margin_3_12m: np.ndarray  # margin III of the last 12 months
    margin_3_year: np.ndarray  # margin III per year over the customer's months in the history
    margin_share_history: np.ndarray  # margin III / margin II over the history
    window_months: np.ndarray  # int: months compared at the start and the end of the span
    revenue_start: np.ndarray  # revenue of the span's first window_months
    revenue_end: np.ndarray  # revenue of the span's last window_months
    # Variance of the log of a period's revenue times its number of orders: the count's
    # dispersion plus the log order value's variance (NaN when not fitted). A year of N
    # orders has a log revenue noise of about order_noise / N.
    order_noise: np.ndarray
    orders_12m: np.ndarray  # purchases (invoices) of the last 12 months
    orders_prev_12m: np.ndarray  # purchases of the 12 months before


def _blocks(values: np.ndarray) -> np.ndarray:
    """Sums over 3-month blocks counted back from the as-of month (oldest months dropped)."""
    n, months = values.shape
    k = months // BLOCK
    return values[:, months - k * BLOCK :].reshape(n, k, BLOCK).sum(axis=2)


def _size_blocks(series: SeriesMatrix, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log of the mean order value per 3-month block (``count``: orders per block), weighted
    by its number of orders.

    A customer's value per block is its number of orders times their mean value, so its log
    is the sum of the two logs; each part is fitted with its own noise (counts quasi-Poisson,
    the log of a mean of n order values with variance sigma^2 / n). Blocks without orders,
    or whose credit notes outweigh their invoices, carry no size information (weight 0).
    """
    revenue = _blocks(series.revenue)
    has = (count > 0) & (revenue > 0)
    mean = np.where(has, revenue / np.maximum(count, 1.0), 1.0)
    return np.log(mean), np.where(has, count, 0.0)


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


def classify_trajectories(
    series: SeriesMatrix,
    cfg: TrajectorySettings,
    abc_class: np.ndarray | None = None,
    quadrant: np.ndarray | None = None,
) -> Trajectories:
    """The type of every customer; ``abc_class`` and ``quadrant`` (from the review, aligned to
    the series) keep the configured classes and quadrants from being Klette."""
    n = series.n
    bought_m = series.lines > 0
    purchase_months = bought_m.sum(1)
    orders = series.lines if series.invoices is None else series.invoices
    # Orders per block, summed before the cast to float64 for the fits: whole numbers are
    # exact in float32, and a million customers' months are not copied.
    y = _blocks(orders).astype(np.float64)
    log_size, size_weight = _size_blocks(series, y)
    k = y.shape[1]
    first, end = _span(series.tenure_months, k)
    stop = _last_purchase_block(bought_m, k)
    # Tenure counts from customer_since or the first invoice ever, whichever is earlier.
    enough = (purchase_months >= cfg.min_purchase_months) & (
        series.tenure_months >= cfg.min_history_months
    )
    margin_3_12m = series.margin_3[:, -12:].sum(1)
    margin_2_12m = series.margin_2_12m
    if margin_2_12m is None:
        margin_2_12m = series.margin_2 * min(12, series.months) / series.months
    margin_share = margin_3_12m / np.maximum(np.abs(margin_2_12m), 1e-9)
    revenue_12m = series.revenue[:, -12:].sum(1)
    revenue_prev = series.revenue[:, -24:-12].sum(1)

    margin_3_all = series.margin_3.sum(1)
    margin_3_year = margin_3_all * 12 / np.clip(series.tenure_months, 1, series.months)
    share_history = margin_3_all / np.maximum(np.abs(series.margin_2), 1e-9)

    in_span = (np.arange(k)[None, :] >= first[:, None]) & (np.arange(k)[None, :] <= end[:, None])
    quarters_bought = ((y > 0) & in_span).sum(1) / np.maximum(end - first + 1, 1)
    buying = revenue_12m > 0
    low = _low_value(buying, cfg, margin_3_12m, margin_share) & _low_value(
        buying, cfg, margin_3_year, share_history
    )
    klette = _klette(series, cfg, low & buying, quarters_bought, abc_class, quadrant)

    out = np.full(n, NONE)
    likeliest = np.full(n, NONE)
    conf = np.full(n, np.nan)
    change = np.full(n, np.nan)
    dev = np.full(n, np.nan)
    peak = np.full(n, np.nan)
    cycle = np.zeros(n, dtype=np.int32)
    noise = np.full(n, np.nan)
    span_years = (end - first + 1) * BLOCK / 12.0
    last = end.copy()
    fit = np.flatnonzero(enough)
    if len(fit):
        size = (log_size[fit], size_weight[fit])
        res = _fit_models(y[fit], size, in_span[fit], first[fit], end[fit], stop[fit], cfg)
        out[fit], conf[fit] = res["type"], res["confidence"]
        likeliest[fit] = res["type"]
        # An honest "unclear" instead of a guess: the likeliest type stays on record.
        out[fit[res["confidence"] < cfg.min_confidence]] = NOT_CLEAR
        change[fit], dev[fit], peak[fit], cycle[fit] = (
            res["yearly_change"], res["deviance"], res["peak"], res["cycle"]
        )  # fmt: skip
        span_years[fit] = res["span_years"]
        noise[fit] = res["order_noise"]
        last[fit] = res["last_block"]
    window, rev_start, rev_end = _span_windows(series.revenue, first, last, k)
    # The figures shown beside a type must not contradict it: otherwise it is unclear.
    ratio = np.log(np.maximum(rev_end, 1e-9) / np.maximum(rev_start, 1e-9))
    contradicted = (
        ((likeliest == GROWTH) & (ratio <= 0))
        | ((likeliest == SHRINKING) & (ratio >= 0))
        | ((likeliest == STEADY) & (np.abs(ratio) > 2 * cfg.min_trend))
    )
    out[(out != NONE) & contradicted] = NOT_CLEAR
    # A Klette keeps a stable relationship: its value neither rises, falls nor peaks. Too few
    # purchase months for a trend need not hide one: loyalty (tenure, buying in most quarters
    # of the span) and low value are what make a Klette, and both are known without a fit.
    kl = klette & (~enough | np.isin(likeliest, (STEADY, CYCLICAL)))
    out[kl] = likeliest[kl] = KLETTE
    # Klette confidence: 1 at margin III <= 0, falling to 0.5 at the threshold.
    thr = max(cfg.klette_margin_share, 1e-9)
    conf[kl] = np.clip(1 - 0.5 * margin_share[kl] / thr, 0.5, 1.0)
    return Trajectories(
        type=TYPES[out],
        confidence=conf,
        likeliest=TYPES[likeliest],
        purchase_months=purchase_months,
        span_years=np.where(out == NONE, np.nan, span_years),
        yearly_change=change,
        deviance_explained=dev,
        peak_share=peak,
        cycle_months=cycle,
        margin_share=margin_share,
        revenue_12m=revenue_12m,
        revenue_prev_12m=revenue_prev,
        margin_3_12m=margin_3_12m,
        margin_3_year=margin_3_year,
        margin_share_history=share_history,
        window_months=window,
        revenue_start=rev_start,
        revenue_end=rev_end,
        order_noise=noise,
        orders_12m=orders[:, -12:].sum(1).astype(np.float64),
        orders_prev_12m=orders[:, -24:-12].sum(1).astype(np.float64),
    )


def _span_windows(
    revenue: np.ndarray, first: np.ndarray, last: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Months compared (12, or half the span when shorter) and the revenue of the span's
    first and last such months (the span ends with the last purchase when the customer
    stopped)."""
    n, months = revenue.shape
    offset = months - k * BLOCK  # months before the first block
    begin = offset + first * BLOCK
    stop = offset + (last + 1) * BLOCK
    window = np.clip((stop - begin) // 2, 1, 12)
    start_sum, end_sum = np.zeros(n), np.zeros(n)
    # Month by month: a customers x months cumulative sum would cost 300 MB at a million.
    for m in range(months):
        column = revenue[:, m]
        start_sum += np.where((m >= begin) & (m < begin + window), column, 0.0)
        end_sum += np.where((m >= stop - window) & (m < stop), column, 0.0)
    return window, start_sum, end_sum


def _low_value(
    buying: np.ndarray, cfg: TrajectorySettings, margin_3: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """Margin III zero, negative or at most ``klette_margin_share`` of margin II, and among
    the lowest ``klette_max_quantile`` of the ``buying`` customers (last 12 months)."""
    cut = np.quantile(margin_3[buying], cfg.klette_max_quantile) if buying.any() else 0.0
    return (margin_3 <= cut) & ((margin_3 <= 0) | (share <= cfg.klette_margin_share))


def _klette(series, cfg, low, quarters_bought, abc_class, quadrant):
    """Loyal (tenure, buying in most quarters) and of low value (``low``: buying in the last
    12 months, low in them and per year over the history, see :func:`_low_value`; a customer
    whose last year was poor after good ones is declining, not a Klette); never of the
    excluded classes or quadrants (a Topkunde that costs a lot of care is a problem, not a
    Klette)."""
    klette = (
        low
        & (series.tenure_months >= cfg.klette_min_tenure_months)
        & (quarters_bought >= cfg.klette_min_quarter_share)
    )
    if abc_class is not None:
        klette &= ~np.isin(abc_class, cfg.klette_exclude_classes)
    if quadrant is not None:
        klette &= ~np.isin(quadrant, cfg.klette_exclude_quadrants)
    return klette


def _fit_models(
    y: np.ndarray,
    size: tuple[np.ndarray, np.ndarray],
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
    f = _quasi_fits(y, size, w, stop, t, cfg)
    pen = np.log(np.maximum(w.sum(1), 2.0)) / 2
    t0, width = t[first], np.maximum(t[end] - t[first], 1e-9)
    curv = f["quad"][:, 2]
    vertex = -f["quad"][:, 1] / (2 * np.where(curv < 0, curv, -1e-12))
    peak = (vertex - t0) / width
    is_bell = (curv < 0) & (peak >= cfg.bell_peak[0]) & (peak <= cfg.bell_peak[1])
    # A bell rises and falls, each by at least min_trend (log value from the span's start to
    # the peak and from the peak to its end): a growth that levels off is no bell.
    top = np.clip(vertex, t0, t[end])
    at_top = _quadratic(f["quad"], top)
    rise = at_top - _quadratic(f["quad"], t0)
    fall = at_top - _quadratic(f["quad"], t[end])
    is_bell &= (rise >= cfg.min_trend) & (fall >= cfg.min_trend)
    # The stop models need a customer silent for at least a block before the as-of date.
    stopped = (stop < end) & (stop > first)
    # A cycle is a repetition: a span shorter than MIN_CYCLES of its length shows one rise and
    # fall, which is a bell (demo company: 3 of 7 typed bells were taken for 24-month cycles).
    months = (end - first + 1) * BLOCK
    repeats = months[:, None] >= MIN_CYCLES * np.asarray(cfg.cycle_months)[None, :]
    evc = np.where(repeats, f["evc"], -np.inf)
    # Each model's score is its marginal log-likelihood: the fit's log-likelihood minus its
    # Occam factor (see _occam); the stop models' stop month costs BIC's ``pen``.
    scores = np.stack(
        [
            f["ll0"],
            f["ev1"],
            np.where(is_bell, f["ev2"] - cfg.bell_evidence, -np.inf),
            evc.max(1) - cfg.cycle_evidence - np.log(len(cfg.cycle_months)),
            np.where(stopped, f["ll0s"] - pen - cfg.stop_evidence, -np.inf),
            np.where(stopped, f["ev1s"] - pen - cfg.stop_evidence, -np.inf),
        ],
        axis=1,
    )
    weights = _softmax(scores)
    probs, trend_stop = _type_probabilities(weights, f, t, first, end, stop, cfg)
    kind = probs.argmax(1)
    conf = probs.max(1)
    last = np.where(trend_stop, stop, end)
    # The change shown is the one the type is decided on: the slope's posterior mean.
    slope = np.where(trend_stop, f["trend_s_post"][0], f["trend_post"][0])
    span_change = slope * np.maximum(t[last] - t0, 1e-9)  # log change of value over the span
    years = np.maximum((last - first) * BLOCK / 12.0, BLOCK / 12.0)
    deviance = (f["ll1"] - f["ll0"]) / np.maximum(f["llsat"] - f["ll0"], 1e-12)
    return {
        "type": kind,
        "confidence": conf,
        "yearly_change": np.expm1(span_change / years),
        "deviance": np.clip(deviance, 0, 1),
        "peak": np.where(kind == BELL, np.clip(peak, 0, 1), np.nan),
        "cycle": np.where(kind == CYCLICAL, np.array(cfg.cycle_months)[evc.argmax(1)], 0),
        "span_years": (last - first + 1) * BLOCK / 12.0,
        "last_block": last,
        "order_noise": f["order_noise"],
    }


def _quadratic(coef: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The fitted log value a + b t + c t^2 at each customer's own time ``t``."""
    return coef[:, 0] + coef[:, 1] * t + coef[:, 2] * t * t


def _type_probabilities(
    weights: np.ndarray,
    f: dict[str, np.ndarray],
    t: np.ndarray,
    first: np.ndarray,
    end: np.ndarray,
    stop: np.ndarray,
    cfg: TrajectorySettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Probability of each type (columns in the order of TYPES up to shrinking) per customer,
    and whether the trend on the span up to the last purchase is the likelier trend.

    A type is a region of the value curve, not a model: steady is the flat models plus the
    trend models' probability that the change over the span lies within +-``min_trend``;
    growth and shrinking are the trend models' probability beyond it (the slope's normal
    posterior, see :func:`_slope_posterior`).
    Bell and cyclical are the weights of their models.
    """
    probs = np.zeros((len(weights), 5))
    probs[:, STEADY] = weights[:, 0] + weights[:, 4]
    probs[:, BELL] = weights[:, 2]
    probs[:, CYCLICAL] = weights[:, 3]
    for col, key, last in ((1, "trend", end), (5, "trend_s", stop)):
        length = np.maximum(t[last] - t[first], 1e-9)
        mean, var = f[key + "_post"]
        change = mean * length
        sd = np.sqrt(var) * length + 1e-12
        up = ndtr((change - cfg.min_trend) / sd)
        down = ndtr((-cfg.min_trend - change) / sd)
        probs[:, GROWTH] += weights[:, col] * up
        probs[:, SHRINKING] += weights[:, col] * down
        probs[:, STEADY] += weights[:, col] * np.clip(1.0 - up - down, 0.0, 1.0)
    return probs, weights[:, 5] > weights[:, 1]


def _quasi_fits(
    y: np.ndarray,
    size: tuple[np.ndarray, np.ndarray],
    w: np.ndarray,
    stop: np.ndarray,
    t: np.ndarray,
    cfg: TrajectorySettings,
) -> dict[str, Any]:
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
    designs: dict[str | int, np.ndarray] = {
        "trend": np.stack([one, t], 1),
        "quad": np.stack([one, t, t * t], 1),
    }  # and one per cycle length in months
    months = np.arange(k) * BLOCK
    for period in cfg.cycle_months:
        angle = 2 * np.pi * months / period
        designs[period] = np.stack([one, np.cos(angle), np.sin(angle)], 1)
    fits = {name: BatchPoissonGLM(information=True).fit(X, y, w) for name, X in designs.items()}
    ws = w * (np.arange(k)[None, :] <= stop[:, None])
    trend_s = BatchPoissonGLM(information=True).fit(designs["trend"], y, ws)
    three = [(X, fits[name], w) for name, X in designs.items() if X.shape[1] == 3]
    phi = _dispersion(y, [*three, (designs["trend"], trend_s, ws)])
    sat = (w * np.where(y > 0, y * np.log(np.maximum(y, 1e-300)) - y, 0.0)).sum(1)
    ll_size, coef_size, var_size, size_noise, size_fits = _size_fits(size, w, designs)
    cycles = cfg.cycle_months
    tau2 = cfg.shape_prior_sd**2

    flat_count, flat_count_s = _flat_loglik(y, w) / phi, _flat_loglik(y, ws) / phi

    def evidence(name: str | int, count: BatchPoissonGLM, count_flat: np.ndarray) -> np.ndarray:
        """The model's marginal log-likelihood: per part, shaped (with its Occam factor) or
        flat with even odds, so a part without noise (every order of the same value) does
        not charge its Occam factor to a shape carried by the other part."""
        count_cov = phi[:, None, None] * shape_covariance(count.information_)
        size_cov = size_noise[:, None, None] * shape_covariance(size_fits[name].information_)
        shaped_count = count.loglik_ / phi - _occam(count.coef_, count_cov, tau2)
        shaped_size = ll_size[name] - _occam(size_fits[name].coef_, size_cov, tau2)
        return (
            np.logaddexp(count_flat, shaped_count)
            + np.logaddexp(ll_size["flat"], shaped_size)
            - 2 * np.log(2.0)
        )

    return {
        "ll0": flat_count + ll_size["flat"],
        "ll1": fits["trend"].loglik_ / phi + ll_size["trend"],
        # Marginal log-likelihoods (evidence) of the shaped models.
        "ev1": evidence("trend", fits["trend"], flat_count),
        "ev2": evidence("quad", fits["quad"], flat_count),
        "evc": np.stack([evidence(p, fits[p], flat_count) for p in cycles], 1),
        "ev1s": evidence("trend", trend_s, flat_count_s),
        "ll0s": flat_count_s + ll_size["flat"],
        "llsat": sat / phi,
        # log value = log orders + log mean order value: the value curve's coefficients.
        "quad": fits["quad"].coef_ + coef_size["quad"],
        # The value slope's posterior under the same prior: see _slope_posterior.
        "trend_post": _slope_posterior(
            (fits["trend"].coef_[:, 1], phi * slope_variance(fits["trend"].information_)),
            (coef_size["trend"][:, 1], var_size),
            tau2=tau2,
        ),
        "trend_s_post": _slope_posterior(
            (trend_s.coef_[:, 1], phi * slope_variance(trend_s.information_)),
            (coef_size["trend"][:, 1], var_size),
            tau2=tau2,
        ),
        "order_noise": phi + size_noise,
    }


def _slope_posterior(
    *parts: tuple[np.ndarray, np.ndarray], tau2: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of the value curve's slope (the sum of the parts' slopes: log
    orders and log order value) under the prior the evidence uses, N(0, tau2) on each part's
    slope, with each part's likelihood normal around its fit (``parts``: slope, variance).

    The fit alone (a flat prior) is what the evidence does not assume: for a customer with
    few, very unequal orders it puts much of the probability beyond +-min_trend, so a stable
    customer is rarely typed steady and a noisy one is taken for growth or shrinking.
    """
    mean = np.zeros_like(parts[0][0])
    var = np.zeros_like(parts[0][0])
    for slope, s2 in parts:
        shrink = tau2 / (np.maximum(s2, 1e-300) + tau2)
        mean += slope * shrink
        var += s2 * shrink
    return mean, var


def _size_fits(
    size: tuple[np.ndarray, np.ndarray], w: np.ndarray, designs: dict
) -> tuple[dict, dict, np.ndarray, np.ndarray, dict]:
    """Gaussian log-likelihoods (up to a constant) and coefficients of the log order value
    under each design, with the noise variance per customer from the best three-parameter
    fit, shrunk towards the median over all customers like the count dispersion; the
    variance of the trend's slope; that noise variance (per order); and the fits."""
    log_size, weight = size
    weight = weight * w
    fits = {
        name: BatchWLS(information=True).fit(X, log_size, weight) for name, X in designs.items()
    }
    flat = BatchWLS().fit(np.ones((log_size.shape[1], 1)), log_size, weight)
    three = [name for name, X in designs.items() if X.shape[1] == 3]
    rss = np.min(np.stack([fits[name].rss_ for name in three], 1), axis=1)
    df = np.maximum((weight > 0).sum(1) - 3, 1)
    prior = float(np.median(rss / df)) if len(rss) else 1.0
    var = np.maximum((rss + DISPERSION_PRIOR_DF * prior) / (df + DISPERSION_PRIOR_DF), 1e-4)
    ll = {name: -fit.rss_ / (2 * var) for name, fit in fits.items()}
    ll["flat"] = -flat.rss_ / (2 * var)
    coef = {name: fit.coef_ for name, fit in fits.items()}
    return ll, coef, var * slope_variance(fits["trend"].information_), var, fits


def _occam(coef: np.ndarray, cov: np.ndarray, tau2: float) -> np.ndarray:
    """How much a model's shape coefficients cost: the fit's log-likelihood minus this is its
    marginal log-likelihood under a normal prior N(0, tau2) on each shape coefficient, with
    the likelihood normal around the estimate (covariance ``cov``):
    1/2 log det(I + tau2 cov^-1) + 1/2 b' (cov + tau2 I)^-1 b.

    BIC charges 1/2 log(blocks) per coefficient whatever the noise. That is the same factor
    for a data-rich customer; for one with a few very unequal orders, whose data cannot tell
    a change of the configured size, BIC still favours the flat model by the whole charge
    and calls him steady with high confidence. Here the charge falls with the information,
    so the types' prior odds stay and he is unclear: steady needs evidence of stability.
    """
    b = coef[:, 1:]
    if b.shape[1] == 1:
        s2 = np.maximum(cov[:, 0, 0], 1e-300)
        return 0.5 * np.log1p(tau2 / s2) + 0.5 * b[:, 0] ** 2 / (s2 + tau2)
    a, c, d = cov[:, 0, 0] + tau2, cov[:, 0, 1], cov[:, 1, 1] + tau2
    det_sum = a * d - c * c
    det_cov = np.maximum(cov[:, 0, 0] * cov[:, 1, 1] - c * c, 1e-300)
    quad = (d * b[:, 0] ** 2 - 2 * c * b[:, 0] * b[:, 1] + a * b[:, 1] ** 2) / det_sum
    return 0.5 * np.log(det_sum / det_cov) + 0.5 * quad


def _flat_loglik(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Log-likelihood of the flat model, whose MLE is the mean (no iterations needed)."""
    mean = (y * w).sum(1) / np.maximum(w.sum(1), 1)
    return (w * (y * np.log(np.maximum(mean, 1e-300))[:, None] - mean[:, None])).sum(1)


def _dispersion(y: np.ndarray, candidates: list) -> np.ndarray:
    """Quasi-Poisson dispersion per customer, at least ``DISPERSION_FLOOR``.

    Pearson's chi-square of the best-fitting three-parameter model (``candidates``: design,
    fit and weights; the trend until the last purchase counts its stop as the third) over its
    degrees of freedom (McCullagh & Nelder), shrunk towards the median over all customers
    with ``DISPERSION_PRIOR_DF`` degrees of freedom: a dozen quarters alone give a very noisy
    estimate, and a customer whose counts happen to scatter little should not look certain.
    """
    ll = np.stack([fit.loglik_ for _, fit, _ in candidates], 1)
    choice = ll.argmax(1)
    chi2, df = np.zeros(len(y)), np.ones(len(y))
    for i, (X, fit, w) in enumerate(candidates):
        rows = choice == i
        mu = np.exp(np.clip(fit.coef_[rows] @ X.T, -30, 30))
        chi2[rows] = (w[rows] * (y[rows] - mu) ** 2 / np.maximum(mu, 1e-9)).sum(1)
        df[rows] = np.maximum(w[rows].sum(1) - 3, 1)
    prior = float(np.median(chi2 / df)) if len(y) else 1.0
    return np.maximum(
        (chi2 + DISPERSION_PRIOR_DF * prior) / (df + DISPERSION_PRIOR_DF), DISPERSION_FLOOR
    )
