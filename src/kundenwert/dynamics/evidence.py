"""Readable evidence for each trajectory type, in German (default) and English."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.alerts import render
from kundenwert.dynamics.config import TrajectorySettings
from kundenwert.dynamics.trajectories import Trajectories
from kundenwert.i18n import Catalogue, translate

TEXT: Catalogue = {
    "insufficient": {
        "de": "Zu wenig Daten: {months} Monate mit Rechnung, {tenure} Monate Kunde "
        "(nötig: {min_months} bzw. {min_tenure}).",
        "en": "Not enough data: {months} months with an invoice, customer for {tenure} months "
        "(needed: {min_months} and {min_tenure}).",
    },
    "trend": {
        "de": "Geschäft {change} pro Jahr über {years} Jahre (Poisson-Trend, "
        "erklärte Devianz {dev}); Umsatz 12 Monate {rev} (Vorjahr {prev}).",
        "en": "Business {change} a year over {years} years (Poisson trend, "
        "deviance explained {dev}); revenue 12 months {rev} (year before {prev}).",
    },
    "bell": {
        "de": "Anstieg, Höhepunkt nach {peak} der Zeitspanne, danach Rückgang; "
        "Umsatz 12 Monate {rev} (Vorjahr {prev}).",
        "en": "Rise, peak after {peak} of the span, then decline; "
        "revenue 12 months {rev} (year before {prev}).",
    },
    "cyclical": {
        "de": "Starke Schwankungen im {cycle}-Monats-Rhythmus; Umsatz 12 Monate {rev} "
        "(Vorjahr {prev}).",
        "en": "Strong swings in a {cycle}-month cycle; revenue 12 months {rev} "
        "(year before {prev}).",
    },
    "klette": {
        "de": "Seit {tenure} Monaten Kunde, Marge III nur {share} der Marge II: "
        "die Betreuung frisst den Deckungsbeitrag.",
        "en": "Customer for {tenure} months, margin III only {share} of margin II: "
        "care eats the contribution.",
    },
    "confidence": {"de": " Sicherheit {conf}.", "en": " Confidence {conf}."},
}


def _pct(values: np.ndarray, sign: bool = False) -> pa.Array:
    finite = np.isfinite(values)
    # The sign of the rounded figure: a change of -0.001 % reads "+0 %", not "−0 %".
    pct = np.round(np.where(finite, values, 0) * 100).astype(np.int64)
    text = pc.cast(pa.array(np.abs(pct)), pa.string())
    minus = np.where(pct < 0, "−", "+" if sign else "")
    text = pc.binary_join_element_wise(pa.array(minus), text, "")
    return pc.if_else(pa.array(finite), pc.binary_join_element_wise(text, " %", ""), "?")


def _grouped(values: np.ndarray, sep: str) -> pa.Array:
    """Whole numbers with thousands separators, for the whole column at once (formatting a
    million values one by one in Python is too slow)."""
    v = np.abs(np.round(np.nan_to_num(values))).astype(np.int64)

    def group(level: int) -> pa.Array:
        part = pc.cast(pa.array((v // 1000**level) % 1000), pa.string())
        padded = pc.utf8_lpad(part, 3, "0")
        return pc.if_else(pa.array(v >= 1000 ** (level + 1)), padded, part)

    text = group(0)
    for level in range(1, 6):
        present = pa.array(v >= 1000**level)
        text = pc.if_else(present, pc.binary_join_element_wise(group(level), text, sep), text)
    return pc.binary_join_element_wise(pa.array(np.where(values < 0, "−", "")), text, "")


def _money(values: np.ndarray, lang: str) -> pa.Array:
    text = _grouped(values, "." if lang == "de" else ",")
    return pc.binary_join_element_wise(text, " €", "")


def _dec(values: np.ndarray, digits: int, lang: str) -> pa.Array:
    text = pc.cast(pa.array(np.round(np.nan_to_num(values), digits)), pa.string())
    return pc.replace_substring(text, ".", ",") if lang == "de" else text


def evidence_array(
    tr: Trajectories, tenure: np.ndarray, cfg: TrajectorySettings, lang: str = "de"
) -> pa.Array:
    """The evidence of every customer as one sentence each."""
    n = len(tr.type)
    out = pa.nulls(n, pa.string())
    for kinds, key in (
        (("insufficient",), "insufficient"),
        (("klette",), "klette"),
        (("bell",), "bell"),
        (("cyclical",), "cyclical"),
        (("steady", "growth", "shrinking"), "trend"),
    ):
        idx = np.flatnonzero(np.isin(tr.type, kinds))
        if not len(idx):
            continue
        money = {
            "rev": _money(tr.revenue_12m[idx], lang),
            "prev": _money(tr.revenue_prev_12m[idx], lang),
        }
        ints = lambda v: pc.cast(pa.array(np.asarray(v, dtype=np.int64)), pa.string())  # noqa: E731
        if key == "insufficient":
            k = len(idx)
            values = {
                "months": ints(tr.purchase_months[idx]),
                "tenure": ints(tenure[idx]),
                "min_months": pa.array([str(cfg.min_purchase_months)] * k),
                "min_tenure": pa.array([str(cfg.min_history_months)] * k),
            }
        elif key == "klette":
            values = {"tenure": ints(tenure[idx]), "share": _pct(tr.margin_share[idx])}
        elif key == "bell":
            values = {"peak": _pct(tr.peak_share[idx]), **money}
        elif key == "cyclical":
            values = {"cycle": ints(tr.cycle_months[idx]), **money}
        else:
            values = {
                "change": _pct(tr.yearly_change[idx], sign=True),
                "years": _dec(tr.span_years[idx], 1, lang),
                "dev": _dec(tr.deviance_explained[idx], 2, lang),
                **money,
            }
        text = render(translate(TEXT, key, lang), values)
        if key != "insufficient":
            conf = render(translate(TEXT, "confidence", lang), {"conf": _pct(tr.confidence[idx])})
            text = pc.binary_join_element_wise(text, conf, "")
        positions = np.full(n, -1)
        positions[idx] = np.arange(len(idx))
        placed = text.take(pa.array(positions, mask=positions < 0))
        out = pc.coalesce(out, placed)
    return out


def evidence(
    tr: Trajectories, i: int, tenure: int, cfg: TrajectorySettings, lang: str = "de"
) -> str:
    """The evidence of customer ``i`` as one sentence."""
    one = Trajectories(**{f: getattr(tr, f)[i : i + 1] for f in tr.__dataclass_fields__})
    return evidence_array(one, np.array([tenure]), cfg, lang)[0].as_py()
