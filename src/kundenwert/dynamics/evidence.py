"""Readable evidence for each trajectory type, in German (default) and English."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.config import TrajectorySettings
from kundenwert.dynamics.labels import TRAJECTORY_NAMES, names_array
from kundenwert.dynamics.trajectories import Trajectories
from kundenwert.i18n import Catalogue, translate
from kundenwert.textcolumns import decimals, money, percent, render

TEXT: Catalogue = {
    "insufficient": {
        "de": "Zu wenig Daten: {months} Monate mit Rechnung, {tenure} Monate Kunde "
        "(nötig: {min_months} bzw. {min_tenure}).",
        "en": "Not enough data: {months} months with an invoice, customer for {tenure} months "
        "(needed: {min_months} and {min_tenure}).",
    },
    "unclear": {
        "de": "Unklar: am ehesten {likeliest} mit Sicherheit {conf} (nötig {min}); "
        "Umsatz letzte {w} Monate {end} nach {start} in den ersten {w} Monaten, "
        "{months} Monate mit Rechnung.",
        "en": "Unclear: most likely {likeliest} with confidence {conf} (needed {min}); "
        "revenue last {w} months {end} after {start} in the first {w} months, "
        "{months} months with an invoice.",
    },
    "trend": {
        "de": "Umsatz {change} pro Jahr über {years} Jahre; letzte {w} Monate {end} nach "
        "{start} in den ersten {w} Monaten.",
        "en": "Revenue {change} a year over {years} years; last {w} months {end} after "
        "{start} in the first {w} months.",
    },
    "bell": {
        "de": "Umsatz steigt, Höhepunkt nach {peak} der Zeitspanne, danach Rückgang; "
        "letzte {w} Monate {end} nach {start} in den ersten {w} Monaten.",
        "en": "Revenue rises, peaks after {peak} of the span, then declines; "
        "last {w} months {end} after {start} in the first {w} months.",
    },
    "cyclical": {
        "de": "Umsatz schwankt stark im {cycle}-Monats-Rhythmus; letzte 12 Monate {rev} "
        "(davor {prev}).",
        "en": "Revenue swings strongly in a {cycle}-month cycle; last 12 months {rev} "
        "(before {prev}).",
    },
    "klette": {
        "de": "Seit {tenure} Monaten Kunde und kauft regelmäßig, bringt aber wenig: Marge III "
        "der letzten 12 Monate {m3} ({share} der Marge II), im Schnitt {m3y} pro Jahr.",
        "en": "Customer for {tenure} months and buys regularly, but brings little: margin III "
        "of the last 12 months {m3} ({share} of margin II), on average {m3y} a year.",
    },
    "confidence": {"de": " Sicherheit {conf}.", "en": " Confidence {conf}."},
}


def evidence_array(
    tr: Trajectories, tenure: np.ndarray, cfg: TrajectorySettings, lang: str = "de"
) -> pa.Array:
    """The evidence of every customer as one sentence each."""
    n = len(tr.type)
    out = pa.nulls(n, pa.string())
    for kinds, key in (
        (("insufficient",), "insufficient"),
        (("unclear",), "unclear"),
        (("klette",), "klette"),
        (("bell",), "bell"),
        (("cyclical",), "cyclical"),
        (("steady", "growth", "shrinking"), "trend"),
    ):
        idx = np.flatnonzero(np.isin(tr.type, kinds))
        if not len(idx):
            continue
        values = _values(key, tr, idx, tenure, cfg, lang)
        text = render(translate(TEXT, key, lang), values)
        if key not in ("insufficient", "unclear"):
            shown = {"conf": percent(tr.confidence[idx], lang=lang)}
            conf = render(translate(TEXT, "confidence", lang), shown)
            text = pc.binary_join_element_wise(text, conf, "")
        positions = np.full(n, -1)
        positions[idx] = np.arange(len(idx))
        placed = text.take(pa.array(positions, mask=positions < 0))
        out = pc.coalesce(out, placed)
    return out


def _values(key, tr, idx, tenure, cfg, lang) -> dict[str, pa.Array]:
    """The figures of one evidence sentence, for the customers at ``idx``."""

    def ints(v) -> pa.Array:
        return pc.cast(pa.array(np.asarray(v, dtype=np.int64)), pa.string())

    k = len(idx)
    window = {
        "w": ints(tr.window_months[idx]),
        "start": money(tr.revenue_start[idx], lang),
        "end": money(tr.revenue_end[idx], lang),
    }
    if key == "insufficient":
        return {
            "months": ints(tr.purchase_months[idx]),
            "tenure": ints(tenure[idx]),
            "min_months": pa.array([str(cfg.min_purchase_months)] * k),
            "min_tenure": pa.array([str(cfg.min_history_months)] * k),
        }
    if key == "unclear":
        return {
            "likeliest": names_array(TRAJECTORY_NAMES, tr.likeliest[idx], lang),
            "conf": percent(tr.confidence[idx], lang=lang),
            "min": percent(np.full(k, cfg.min_confidence), lang=lang),
            "months": ints(tr.purchase_months[idx]),
            **window,
        }
    if key == "klette":
        return {
            "tenure": ints(tenure[idx]),
            "m3": money(tr.margin_3_12m[idx], lang),
            "share": percent(tr.margin_share[idx], lang=lang),
            "m3y": money(tr.margin_3_year[idx], lang),
        }
    if key == "bell":
        return {"peak": percent(tr.peak_share[idx], lang=lang), **window}
    if key == "cyclical":
        return {
            "cycle": ints(tr.cycle_months[idx]),
            "rev": money(tr.revenue_12m[idx], lang),
            "prev": money(tr.revenue_prev_12m[idx], lang),
        }
    return {
        "change": percent(tr.yearly_change[idx], sign=True, lang=lang),
        "years": decimals(tr.span_years[idx], 1, lang),
        **window,
    }


def evidence(
    tr: Trajectories, i: int, tenure: int, cfg: TrajectorySettings, lang: str = "de"
) -> str:
    """The evidence of customer ``i`` as one sentence."""
    one = Trajectories(**{f: getattr(tr, f)[i : i + 1] for f in tr.__dataclass_fields__})
    return evidence_array(one, np.array([tenure]), cfg, lang)[0].as_py()
