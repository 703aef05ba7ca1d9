"""The names of trajectory types, phases and alerts as users read them (German and English).

One catalogue for every output (CLI tables, evidence and alert texts, the workbook and the web),
so that no internal code ever reaches a page.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kundenwert.dynamics.alert_rules import ALERT_NAMES
from kundenwert.i18n import Catalogue, translate

__all__ = [
    "ALERT_NAMES",
    "PHASE_NAMES",
    "STATUS_NAMES",
    "TRAJECTORY_NAMES",
    "name_of",
    "names_array",
]

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
