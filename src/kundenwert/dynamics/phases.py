"""Relationship phases (DOMAIN.md point 6), by documented rules, first match wins.

Recency is measured against the customer's own rhythm: the mean number of months between its
purchase months in the history. The rules, in order (thresholds in ``[dynamics.phase]``):

1. lost: silent for at least max(``lost_min_months``, ``lost_factor`` x rhythm) months, or
   (where the forecast exists) p_alive below ``lost_p_alive`` while dormant by rhythm; a
   customer who never bought and is past ``new_months`` is lost as well;
2. dormant: silent for at least max(``dormant_min_months``, ``dormant_factor`` x rhythm) months,
   or p_alive below ``dormant_p_alive``;
3. won back: bought again within ``won_back_months`` after a gap of at least
   max(``won_back_gap_months``, ``won_back_factor`` x the rhythm without that gap), which
   needs at least three purchase months;
4. new: tenure below ``new_months``;
5. growing / declining: the revenue of the last half of ``trend_months`` against the half
   before changed by at least ``trend`` (natural log), with at least ``min_events`` orders
   (invoices) in the two halves together: the phase follows the customer's value, not how
   often something happens;
6. established: everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kundenwert.dynamics.config import PhaseSettings
from kundenwert.dynamics.series import SeriesMatrix

PHASES = np.array(["new", "growing", "established", "declining", "dormant", "lost", "won_back"])
NEW, GROWING, ESTABLISHED, DECLINING, DORMANT, LOST, WON_BACK = range(7)
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Phases:
    phase: np.ndarray  # str, one of PHASES
    silent_months: np.ndarray  # months since the last purchase, NaN: never bought
    rhythm_months: np.ndarray  # mean months between purchase months, NaN: fewer than two
    trend: np.ndarray  # log change of the revenue, last half against the half before
    gap_months: np.ndarray  # longest gap between purchase months in the history
    p_alive: np.ndarray  # from the forecast, NaN without


def _gaps(bought: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longest gap (months) between consecutive purchase months and the month it ended.

    Month numbers as int16: a million customers x 36 months is 72 MB a matrix, not 288."""
    months = bought.shape[1]
    month = np.arange(months, dtype=np.int16)[None, :]
    prev = np.maximum.accumulate(np.where(bought, month, np.int16(-1)), axis=1)
    gap = np.zeros(bought.shape, dtype=np.int16)
    after = bought[:, 1:] & (prev[:, :-1] >= 0)
    gap[:, 1:] = np.where(after, month[:, 1:] - prev[:, :-1], np.int16(0))
    return gap.max(axis=1).astype(np.int64), gap.argmax(axis=1)


def _orders(series: SeriesMatrix, start: int, stop: int) -> np.ndarray:
    """Orders (invoices; lines for hand-made series) in months start..stop-1."""
    orders = series.lines if series.invoices is None else series.invoices
    return orders[:, start:stop].sum(1, dtype=np.float64)


def _revenue(series: SeriesMatrix, start: int, stop: int) -> np.ndarray:
    """Revenue in months start..stop-1 (a credit surplus counts as 0)."""
    return np.maximum(series.revenue[:, start:stop].sum(1), 0.0)


def assign_phases(
    series: SeriesMatrix, cfg: PhaseSettings, p_alive: np.ndarray | None = None
) -> Phases:
    n, months = series.n, series.months
    bought = series.lines > 0
    count = bought.sum(1)
    first = np.where(count > 0, bought.argmax(1), 0)
    last = np.where(count > 0, months - 1 - bought[:, ::-1].argmax(1), 0)
    rhythm = np.where(count >= 2, (last - first) / np.maximum(count - 1, 1), np.nan)
    silent = np.where(series.silent_days >= 0, series.silent_days / DAYS_PER_MONTH, np.nan)
    gap, gap_end = _gaps(bought)
    other = np.where(count >= 3, (last - first - gap) / np.maximum(count - 2, 1), np.nan)

    half = min(cfg.trend_months, months) // 2
    recent = _revenue(series, months - half, months)
    before = _revenue(series, months - 2 * half, months - half)
    # A small pseudo-amount (1 % of the two halves' mean) keeps a half without revenue finite.
    floor = 0.01 * (recent + before) / 2 + 1e-9
    trend = np.log((recent + floor) / (before + floor))
    orders = _orders(series, months - 2 * half, months)
    p = np.full(n, np.nan) if p_alive is None else np.asarray(p_alive, dtype=np.float64)

    # NaN compares False: customers without a rhythm fall back to the minimum months.
    lost_after = np.fmax(cfg.lost_min_months, cfg.lost_factor * rhythm)
    dormant_after = np.fmax(cfg.dormant_min_months, cfg.dormant_factor * rhythm)
    never = np.isnan(silent)
    is_dormant = (silent >= dormant_after) | (p < cfg.dormant_p_alive)
    is_lost = (silent >= lost_after) | ((p < cfg.lost_p_alive) & (silent >= dormant_after))
    is_lost |= never & (series.tenure_months >= cfg.new_months)
    # Needs three purchase months: a rhythm besides the gap (NaN compares False).
    back_gap = np.maximum(cfg.won_back_gap_months, cfg.won_back_factor * other)
    won_back = (gap >= back_gap) & (months - 1 - gap_end < cfg.won_back_months)
    enough = orders >= cfg.min_events

    phase = np.full(n, ESTABLISHED)
    phase[enough & (trend <= -cfg.trend)] = DECLINING
    phase[enough & (trend >= cfg.trend)] = GROWING
    phase[series.tenure_months < cfg.new_months] = NEW
    phase[won_back] = WON_BACK
    phase[is_dormant] = DORMANT
    phase[is_lost] = LOST
    return Phases(
        phase=PHASES[phase],
        silent_months=silent,
        rhythm_months=rhythm,
        trend=trend,
        gap_months=gap.astype(np.float64),
        p_alive=p,
    )
