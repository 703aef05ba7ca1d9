"""The names of trajectory types, phases and alerts as users read them (German and English).

One catalogue for every output (CLI tables, evidence and alert texts, the workbook and the web),
so that no internal code ever reaches a page.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kundenwert.i18n import Catalogue, translate

TRAJECTORY_NAMES: Catalogue = {
    "steady": {"de": "stabil", "en": "steady"},
    "cyclical": {"de": "zyklisch", "en": "cyclical"},
    "bell": {"de": "glockenförmig", "en": "bell-shaped"},
    "growth": {"de": "wachsend", "en": "growing"},
    "shrinking": {"de": "schrumpfend", "en": "shrinking"},
    "klette": {"de": "Klette", "en": "Klette (loyal, low value)"},
    "insufficient": {"de": "zu wenig Daten", "en": "not enough data"},
    "unclear": {"de": "unklar", "en": "unclear"},
}

PHASE_NAMES: Catalogue = {
    "new": {"de": "neu", "en": "new"},
    "growing": {"de": "wachsend", "en": "growing"},
    "established": {"de": "etabliert", "en": "established"},
    "declining": {"de": "rückläufig", "en": "declining"},
    "dormant": {"de": "ruhend", "en": "dormant"},
    "lost": {"de": "verloren", "en": "lost"},
    "won_back": {"de": "zurückgewonnen", "en": "won back"},
}

ALERT_NAMES: Catalogue = {
    "rising_small": {"de": "Kleiner Kunde wächst", "en": "Small customer growing"},
    "top_declining": {"de": "Top-Kunde rückläufig", "en": "Top customer declining"},
    "top_silent": {"de": "Top-Kunde still", "en": "Top customer silent"},
    "satisfaction_falling": {"de": "Zufriedenheit sinkt", "en": "Satisfaction falling"},
    "klette": {"de": "Klettenkunde", "en": "Klette customer"},
    "response_time_missed": {"de": "Reaktionszeit verfehlt", "en": "Response time missed"},
    "yearly_check_missed": {"de": "Jahrescheck fehlt", "en": "Yearly check missing"},
    "override_expiring": {"de": "Ausnahme läuft aus", "en": "Override expiring"},
}

STATUS_NAMES: Catalogue = {
    "acknowledged": {"de": "zur Kenntnis genommen", "en": "acknowledged"},
    "done": {"de": "erledigt", "en": "done"},
    "dismissed": {"de": "verworfen", "en": "dismissed"},
}


def name_of(catalogue: Catalogue, code: str, lang: str) -> str:
    """The name of ``code`` in ``lang`` (the code itself when the catalogue lacks it)."""
    return translate(catalogue, code, lang) if code in catalogue else code


def names_array(catalogue: Catalogue, codes: np.ndarray, lang: str) -> pa.Array:
    """Names for a whole column of codes (a handful of distinct codes, one lookup each)."""
    keys, inverse = np.unique(np.asarray(codes, dtype=str), return_inverse=True)
    names = np.array([name_of(catalogue, k, lang) for k in keys], dtype=object)
    return pa.array(names[inverse] if len(keys) else np.array([], dtype=object), pa.string())
