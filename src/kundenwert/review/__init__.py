"""The customer value review: margins, ABC, value score, matrix, service levels, snapshots.

Public API (imported lazily so that reading the configuration does not load the engine):
:func:`run_review`, :func:`load_review`, :func:`list_reviews`, :func:`export_review`,
:func:`set_override`, :func:`list_overrides`, :func:`end_override`, :func:`audit_trail`,
:func:`customer_commitment`.
"""

from __future__ import annotations

from kundenwert.lazy import lazy_exports

_EXPORTS = {
    "run_review": "kundenwert.review.snapshots",
    "load_review": "kundenwert.review.snapshots",
    "list_reviews": "kundenwert.review.snapshots",
    "review_header": "kundenwert.review.snapshots",
    "ReviewResult": "kundenwert.review.snapshots",
    "LoadedReview": "kundenwert.review.snapshots",
    "export_review": "kundenwert.review.export",
    "set_override": "kundenwert.review.overrides",
    "list_overrides": "kundenwert.review.overrides",
    "end_override": "kundenwert.review.overrides",
    "audit_trail": "kundenwert.review.overrides",
    "customer_commitment": "kundenwert.review.export",
    "ReviewSettings": "kundenwert.review.config",
}

__all__, __getattr__ = lazy_exports(__name__, _EXPORTS)
