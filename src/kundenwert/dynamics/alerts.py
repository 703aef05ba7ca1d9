"""Alerts (DOMAIN.md point 11), each with its reason and the numbers behind it.

Rules (thresholds in ``[dynamics.alerts]``); "top" means a quadrant in ``top_quadrants`` or a
class in ``top_classes`` of the review:

* rising_small: quadrant in ``rising_quadrants`` and growing by at least ``rising_growth`` a
  year (growth trajectory, or a growing phase with that much more business than a year ago),
  with the last 12 months' revenue at least ``1 + rising_growth`` times the 12 before;
* top_declining: top, and a shrinking or bell trajectory falling by at least ``decline`` a
  year, or a declining phase;
* top_silent: top, and silent for more than ``silent_factor`` own purchase rhythms (at least
  3 months), or dormant or lost;
* satisfaction_falling: top, and the latest survey's satisfaction (or recommendation) at least
  ``satisfaction_drop`` points below the previous answer (habituation);
* klette: the Klette trajectory (loyal for years, margin III near zero or negative);
* response_time_missed: more than ``response_share`` of last 12 months' requests answered
  later than the effective service level's response time;
* yearly_check_missed: the effective level guarantees a yearly check and no activity of
  ``check_kinds`` in the last 12 months (customers of at least 12 months);
* override_expiring: an active override ends within ``override_days`` days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.config import ALERTS, AlertSettings
from kundenwert.dynamics.phases import Phases
from kundenwert.dynamics.trajectories import Trajectories
from kundenwert.i18n import Catalogue, translate

TEXT: Catalogue = {
    "rising_small": {
        "de": "Kleiner Kunde wächst: {growth} pro Jahr, Umsatz 12 Monate {rev} € "
        "(Vorjahr {prev} €).",
        "en": "Small customer growing: {growth} a year, revenue 12 months {rev} € "
        "(year before {prev} €).",
    },
    "top_declining": {
        "de": "Top-Kunde rückläufig: {growth} pro Jahr, Phase {phase}, Umsatz 12 Monate "
        "{rev} € (Vorjahr {prev} €).",
        "en": "Top customer declining: {growth} a year, phase {phase}, revenue 12 months "
        "{rev} € (year before {prev} €).",
    },
    "top_silent": {
        "de": "Top-Kunde still: seit {silent} Monaten kein Kauf, sonst alle {rhythm} Monate.",
        "en": "Top customer silent: no purchase for {silent} months, usually every {rhythm}.",
    },
    "satisfaction_falling": {
        "de": "Zufriedenheit sinkt: {sat_prev} → {sat}, Weiterempfehlung {rec_prev} → {rec}.",
        "en": "Satisfaction falling: {sat_prev} → {sat}, recommendation {rec_prev} → {rec}.",
    },
    "klette": {
        "de": "Klettenkunde: seit {tenure} Monaten Kunde, Marge III = {share} der Marge II.",
        "en": "Klette customer: customer for {tenure} months, margin III = {share} of margin II.",
    },
    "response_time_missed": {
        "de": "Reaktionszeit verfehlt: {late} von {requests} Anfragen später als {hours} h "
        "(Servicelevel {level}).",
        "en": "Response time missed: {late} of {requests} requests later than {hours} h "
        "(service level {level}).",
    },
    "yearly_check_missed": {
        "de": "Jahrescheck fehlt: keine Aktivität {kinds} in 12 Monaten (Servicelevel {level}).",
        "en": "Yearly check missing: no {kinds} activity in 12 months (service level {level}).",
    },
    "override_expiring": {
        "de": "Ausnahme {field} = {value} endet am {until} ({reason}).",
        "en": "Override {field} = {value} ends on {until} ({reason}).",
    },
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


def alert_masks(s: Signals, cfg: AlertSettings) -> dict[str, np.ndarray]:
    """One boolean mask per alert (override_expiring comes from the overrides table)."""
    tr, ph = s.tr, s.ph
    top = np.isin(s.quadrant, cfg.top_quadrants) | np.isin(s.abc_class, cfg.top_classes)
    rising = ((tr.type == "growth") & (tr.yearly_change >= cfg.rising_growth)) | (
        (ph.phase == "growing") & (np.expm1(ph.trend) >= cfg.rising_growth)
    )
    # Growing business must show in the money too: lumpy orders can fake a trend.
    rising &= tr.revenue_12m >= (1 + cfg.rising_growth) * tr.revenue_prev_12m
    falling = np.isin(tr.type, ("shrinking", "bell")) & (tr.yearly_change <= -cfg.decline)
    silent_for = np.fmax(cfg.silent_factor * ph.rhythm_months, 3.0)
    silent = (ph.silent_months > silent_for) | np.isin(ph.phase, ("dormant", "lost"))
    sat, sat_prev, rec, rec_prev = s.surveys
    drop = (sat_prev - sat >= cfg.satisfaction_drop) | (rec_prev - rec >= cfg.satisfaction_drop)
    requests, late, checks = s.service
    return {
        "rising_small": np.isin(s.quadrant, cfg.rising_quadrants) & rising,
        "top_declining": top & (falling | (ph.phase == "declining")),
        "top_silent": top & silent,
        "satisfaction_falling": top & drop,
        "klette": tr.type == "klette",
        "response_time_missed": (requests > 0) & (late > cfg.response_share * requests),
        "yearly_check_missed": s.yearly_check & (checks == 0) & (s.tenure >= 12),
    }


def render(template: str, values: dict[str, pa.Array]) -> pa.Array:
    """Fill ``{name}`` placeholders from string arrays, for all rows at once (Arrow kernels:
    formatting hundreds of thousands of reasons one by one in Python is too slow)."""
    parts = re.split(r"\{(\w+)\}", template)
    args = [values[p] if i % 2 else pa.scalar(p) for i, p in enumerate(parts) if p or i % 2]
    return pc.binary_join_element_wise(*args, "")


def _num(values: np.ndarray, digits: int = 0, lang: str = "de") -> pa.Array:
    finite = np.isfinite(values)
    rounded = np.round(np.where(finite, values, 0), digits)
    text = pc.cast(pa.array(rounded.astype(np.int64) if digits == 0 else rounded), pa.string())
    if digits and lang == "de":
        text = pc.replace_substring(text, ".", ",")
    return pc.if_else(pa.array(finite), text, "–")


def _pct(values: np.ndarray, sign: bool = True) -> pa.Array:
    text = _num(np.abs(values) * 100)
    if sign:
        text = pc.binary_join_element_wise(pa.array(np.where(values < 0, "−", "+")), text, "")
    return pc.binary_join_element_wise(text, " %", "")


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(str))


def alert_reasons(
    alert: str, s: Signals, idx: np.ndarray, cfg: AlertSettings, lang: str = "de"
) -> pa.Array:
    """The reason of ``alert`` for the customers at positions ``idx``, with its numbers."""
    tr, ph = s.tr, s.ph
    template = translate(TEXT, alert, lang)
    money = {"rev": _num(tr.revenue_12m[idx]), "prev": _num(tr.revenue_prev_12m[idx])}
    if alert in ("rising_small", "top_declining"):
        change = tr.yearly_change[idx]
        change = np.where(np.isfinite(change), change, np.expm1(ph.trend[idx]))
        values = {"growth": _pct(change), "phase": _strings(ph.phase[idx]), **money}
    elif alert == "top_silent":
        values = {
            "silent": _num(ph.silent_months[idx]),
            "rhythm": _num(ph.rhythm_months[idx], 1, lang),
        }
    elif alert == "satisfaction_falling":
        sat, sat_prev, rec, rec_prev = (_num(a[idx]) for a in s.surveys)
        values = {"sat": sat, "sat_prev": sat_prev, "rec": rec, "rec_prev": rec_prev}
    elif alert == "klette":
        values = {"tenure": _num(s.tenure[idx]), "share": _pct(tr.margin_share[idx], sign=False)}
    elif alert == "response_time_missed":
        requests, late, _ = (a[idx] for a in s.service)
        values = {
            "late": _num(late),
            "requests": _num(requests),
            "hours": _num(s.response_hours[idx]),
            "level": _strings(s.service_level[idx]),
        }
    elif alert == "yearly_check_missed":
        kinds = pa.array(["/".join(cfg.check_kinds)] * len(idx))
        values = {"kinds": kinds, "level": _strings(s.service_level[idx])}
    else:
        raise ValueError(f"unknown alert {alert}; known: {', '.join(ALERTS)}")
    return render(template, values)


def alert_text(alert: str, s: Signals, i: int, cfg: AlertSettings, lang: str = "de") -> str:
    """The reason of one customer's alert."""
    return alert_reasons(alert, s, np.array([i]), cfg, lang)[0].as_py()
