"""Alerts (DOMAIN.md point 11), each with its reason and the numbers behind it.

Rules (thresholds in ``[dynamics.alerts]``); "top" means a quadrant in ``top_quadrants`` or a
class in ``top_classes`` of the review:

* rising_small: quadrant in ``rising_quadrants``, a growth trajectory, and the last 12
  months' revenue at least ``1 + rising_growth`` times the 12 before, beyond the order noise
  like a decline;
* top_declining: top, a shrinking or bell trajectory (a bell's peak lies behind it), and the
  last 12 months' revenue at most ``1 - decline`` times the 12 before, a fall beyond the
  customer's own order noise at ``change_confidence`` (:func:`change_is_real`); the text
  shows exactly these two figures and their change;
* top_silent: top, and dormant or lost, or silent: where the forecast is used
  (``dynamics.use_forecast``) its P(alive) under the chosen purchase model below
  ``silent_p_alive`` (under the MBG/CNBD-k, which knows that B2B customers reorder in a
  rhythm, P(alive) falls sooner once a regular customer misses the usual reorder than under
  BG/NBD or Pareto/NBD, which take purchases as random); otherwise silent for more than
  ``silent_factor`` own purchase rhythms in months (at least 3 months);
* satisfaction_falling: top, and the latest survey's satisfaction (or recommendation) at least
  ``satisfaction_drop`` points below the previous answer (habituation);
* klette: the Klette trajectory (loyal for years, margin III near zero or negative);
* every alert carries the money at stake (the revenue change, a year's revenue, or the
  negative margin III of a Klette) and the list is ordered by it;
* a rule whose inputs were never imported (activities, response times, surveys, a review)
  does not run: :func:`skipped_rules` names it and why;
* response_time_missed: more than ``response_share`` of last 12 months' requests answered
  later than the effective service level's response time;
* yearly_check_missed: the effective level guarantees a yearly check and no activity of
  ``review.service.adherence.check_kinds`` (the service commitments' definition) in the
  last 12 months (customers of at least 12 months);
* override_expiring: an active override ends within ``override_days`` days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import ndtri

from kundenwert.dynamics.alert_rules import ALERT_REASONS, ALERTS
from kundenwert.dynamics.config import AlertSettings
from kundenwert.dynamics.labels import PHASE_NAMES, TRAJECTORY_NAMES, names_array
from kundenwert.dynamics.phases import Phases
from kundenwert.dynamics.trajectories import Trajectories
from kundenwert.i18n import Catalogue, translate
from kundenwert.textcolumns import decimals, integers, percent, render

#: The reasons of the rules (kundenwert.dynamics.alert_rules) and the silence in a rhythm.
TEXT: Catalogue = {
    **ALERT_REASONS,
    "top_silent_rhythm": {
        "de": "Top-Kunde still: bestellt sonst alle {usual}, seit {since} nichts; "
        "Wahrscheinlichkeit, noch Kunde zu sein: {p_alive} ({model}).",
        "en": "Top customer silent: usually orders every {usual}, nothing for {since}; "
        "probability of still being a customer: {p_alive} ({model}).",
    },
    "weeks": {"de": " Wochen", "en": " weeks"},
    "months": {"de": " Monate", "en": " months"},
    "months_since": {"de": " Monaten", "en": " months"},
}


@dataclass
class Signals:
    """Everything the alert rules read, aligned to the customers of the series."""

    tr: Trajectories
    ph: Phases
    tenure: np.ndarray
    quadrant: np.ndarray
    abc_class: np.ndarray
    service_level: np.ndarray
    response_hours: np.ndarray
    yearly_check: np.ndarray
    surveys: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    service: tuple[np.ndarray, np.ndarray, np.ndarray]
    level_names: dict[str, str] = field(default_factory=dict)  # service level key -> its name
    rhythm: BuyingRhythm | None = None  # from the forecast, when dynamics.use_forecast
    # Activity kinds that count as the yearly check (review.service.adherence.check_kinds, the
    # commitments' definition).
    check_kinds: tuple[str, ...] = ("service", "visit")


@dataclass
class BuyingRhythm:
    """Per customer, from the forecast's chosen purchase model (NaN: not in the forecast)."""

    p_alive: np.ndarray
    usual_gap_days: np.ndarray  # mean days between purchase days
    days_since_last: np.ndarray
    model: str  # the model's name in words, e.g. "MBG/CNBD-3"


def alert_masks(s: Signals, cfg: AlertSettings) -> dict[str, np.ndarray]:
    """One boolean mask per alert (override_expiring comes from the overrides table)."""
    tr, ph = s.tr, s.ph
    top = np.isin(s.quadrant, cfg.top_quadrants) | np.isin(s.abc_class, cfg.top_classes)
    change = year_on_year(tr)
    real = change_is_real(tr, cfg.change_confidence)
    # The trajectory decides, on the customer's whole span: a year-on-year change alone is
    # too often one large order more or less (on the demo company 4 in 5 "declining" top
    # customers by the phase alone were not declining).
    rising = tr.type == "growth"
    falling = np.isin(tr.type, ("shrinking", "bell"))
    silent_for = np.fmax(cfg.silent_factor * ph.rhythm_months, 3.0)
    silent = ph.silent_months > silent_for
    if s.rhythm is not None:  # the chosen model's P(alive) decides where it is known
        known = np.isfinite(s.rhythm.p_alive)
        silent = np.where(known, s.rhythm.p_alive < cfg.silent_p_alive, silent)
    silent |= np.isin(ph.phase, ("dormant", "lost"))
    sat, sat_prev, rec, rec_prev = s.surveys
    drop = (sat_prev - sat >= cfg.satisfaction_drop) | (rec_prev - rec >= cfg.satisfaction_drop)
    requests, late, checks = s.service
    # NaN (no revenue a year ago) compares False: no growth or decline can be shown.
    return {
        "rising_small": np.isin(s.quadrant, cfg.rising_quadrants)
        & rising
        & (change >= cfg.rising_growth)
        & real,
        "top_declining": top & falling & (change <= -cfg.decline) & real,
        "top_silent": top & silent,
        "satisfaction_falling": top & drop,
        "klette": tr.type == "klette",
        "response_time_missed": (requests > 0) & (late > cfg.response_share * requests),
        "yearly_check_missed": s.yearly_check & (checks == 0) & (s.tenure >= 12),
    }


def change_is_real(tr: Trajectories, confidence: float) -> np.ndarray:
    """Whether the year-on-year change of revenue is larger than the customer's own noise.

    The log of a year's revenue of N orders varies by about ``order_noise / N`` (the count's
    dispersion plus the order value's variance, from the trajectory fit), so the log ratio of
    two years by the sum of both. The change counts at ``confidence`` (one-sided normal
    test): a lumpy buyer's one large order more or less is no trend. (On the independent
    test generator, growth customers with a weak year were told they declined.) Customers
    without a fit (NaN noise) have no trajectory that an alert could follow anyway.
    """
    n1, n0 = np.maximum(tr.orders_12m, 1.0), np.maximum(tr.orders_prev_12m, 1.0)
    sd = np.sqrt(np.maximum(tr.order_noise, 0.0) * (1.0 / n1 + 1.0 / n0))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(np.maximum(tr.revenue_12m, 1e-9) / tr.revenue_prev_12m)
        z = np.abs(ratio) / sd
    return np.nan_to_num(z, nan=0.0, posinf=np.inf) >= ndtri(confidence)


def year_on_year(tr: Trajectories) -> np.ndarray:
    """Revenue of the last 12 months against the 12 before, -1..inf (NaN: nothing before)."""
    prev = tr.revenue_prev_12m
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(prev > 0, np.maximum(tr.revenue_12m, 0.0) / prev - 1.0, np.nan)


def money_at_stake(alert: str, s: Signals, idx: np.ndarray) -> np.ndarray:
    """What an alert is worth looking at, in money, for the customers at ``idx``: the revenue
    gained or lost on the year before, a Klette's negative margin III, else a year's revenue."""
    rev, prev = s.tr.revenue_12m[idx], s.tr.revenue_prev_12m[idx]
    if alert == "rising_small":
        stake = rev - prev
    elif alert == "top_declining":
        stake = prev - rev
    elif alert == "klette":
        stake = -s.tr.margin_3_12m[idx]
    else:
        stake = np.maximum(rev, prev)
    return np.maximum(np.nan_to_num(stake), 0.0)


def _level_names(s: Signals, idx: np.ndarray) -> pa.Array:
    """The service levels of the customers at ``idx`` by their names (the key without one)."""
    keys = s.service_level[idx].astype(str)
    return pa.array([s.level_names.get(k, k) for k in keys], pa.string())


def alert_reasons(
    alert: str, s: Signals, idx: np.ndarray, cfg: AlertSettings, lang: str = "de"
) -> pa.Array:
    """The reason of ``alert`` for the customers at positions ``idx``, with its numbers."""
    tr, ph = s.tr, s.ph
    template = translate(TEXT, alert, lang)
    amounts = {
        "rev": integers(tr.revenue_12m[idx], lang),
        "prev": integers(tr.revenue_prev_12m[idx], lang),
    }
    if alert in ("rising_small", "top_declining"):
        values = {
            "growth": percent(year_on_year(tr)[idx], sign=True, lang=lang),
            "trajectory": names_array(TRAJECTORY_NAMES, tr.type[idx], lang),
            "phase": names_array(PHASE_NAMES, ph.phase[idx], lang),
            **amounts,
        }
    elif alert == "top_silent":
        values = {
            "silent": integers(ph.silent_months[idx], lang),
            "rhythm": decimals(ph.rhythm_months[idx], 1, lang),
        }
        if s.rhythm is not None:
            return _silent_with_rhythm(s.rhythm, idx, render(template, values), lang)
    elif alert == "satisfaction_falling":
        sat, sat_prev, rec, rec_prev = (integers(a[idx], lang) for a in s.surveys)
        values = {"sat": sat, "sat_prev": sat_prev, "rec": rec, "rec_prev": rec_prev}
    elif alert == "klette":
        values = {
            "tenure": integers(s.tenure[idx], lang),
            "share": percent(tr.margin_share[idx], lang=lang),
        }
    elif alert == "response_time_missed":
        requests, late, _ = (a[idx] for a in s.service)
        values = {
            "late": integers(late, lang),
            "requests": integers(requests, lang),
            "hours": integers(s.response_hours[idx], lang),
            "level": _level_names(s, idx),
        }
    elif alert == "yearly_check_missed":
        kinds = pa.array(["/".join(s.check_kinds)] * len(idx))
        values = {"kinds": kinds, "level": _level_names(s, idx)}
    else:
        raise ValueError(f"unknown alert {alert}; known: {', '.join(ALERTS)}")
    return render(template, values)


def _silent_with_rhythm(r: BuyingRhythm, idx: np.ndarray, months: pa.Array, lang: str):
    """The silence in the customer's own rhythm where the forecast knows it ("bestellt sonst
    alle 6 Wochen, seit 14 Wochen nichts"), else the text in months."""
    usual, since = r.usual_gap_days[idx], r.days_since_last[idx].astype(np.float64)
    weeks = usual < 91  # a rhythm under a quarter reads in weeks, longer ones in months
    values = {
        "usual": _duration(usual, weeks, "months", lang),
        "since": _duration(since, weeks, "months_since", lang),
        "p_alive": percent(r.p_alive[idx], lang=lang),
        "model": pa.array([r.model] * len(idx), pa.string()),
    }
    text = render(translate(TEXT, "top_silent_rhythm", lang), values)
    known = pa.array(np.isfinite(usual) & np.isfinite(r.p_alive[idx]))
    return pc.if_else(known, text, months)


def _duration(days: np.ndarray, weeks: np.ndarray, months_key: str, lang: str) -> pa.Array:
    """Whole weeks where ``weeks``, else whole months (30.44 days), with their unit."""
    count = np.where(weeks, np.round(days / 7.0), np.round(days / 30.44))
    unit = pc.if_else(
        pa.array(weeks), translate(TEXT, "weeks", lang), translate(TEXT, months_key, lang)
    )
    return pc.binary_join_element_wise(integers(np.maximum(count, 1), lang), unit, "")


def alert_text(alert: str, s: Signals, i: int, cfg: AlertSettings, lang: str = "de") -> str:
    """The reason of one customer's alert."""
    return alert_reasons(alert, s, np.array([i]), cfg, lang)[0].as_py()
