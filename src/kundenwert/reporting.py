"""The full review export: the review's own columns plus trajectories, alerts, next actions,
contact coverage, problem-solving chains and the service commitments measured.

The review (:mod:`kundenwert.review`) and the dynamics (:mod:`kundenwert.dynamics`) are
separate libraries; this module puts their results into one export, for the CLI's `export`
and for `kundenwert demo`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kundenwert.review import export_review

#: File-name keys of the dynamics tables, in the order DynamicsResult.tables gives them.
DYNAMICS_KEYS = ("trajectories", "alerts", "actions")


def dynamics_tables(store, settings, review_id: int | None, lang: str) -> tuple[Any, dict]:
    """(DynamicsResult, {key: (title, table)}) for the review ``review_id`` (latest if None)."""
    from kundenwert.dynamics import analyse

    result = analyse(store, settings, review_id=review_id, lang=lang)
    titled = result.tables(lang)
    return result, {
        key: (title, table)
        for key, (title, table) in zip(DYNAMICS_KEYS, titled.items(), strict=True)
    }


def export_full(
    store,
    settings,
    review_id: int | None,
    format: str,
    out_path: str | Path,
    lang: str | None = None,
    *,
    today: date | None = None,
) -> Path:
    """Export the review with trajectories, alerts and actions (sheets, or files beside it)."""
    from kundenwert.commitments.export import commitment_tables
    from kundenwert.contacts.export import contact_tables

    lang = lang or settings.language
    _result, extra = dynamics_tables(store, settings, review_id, lang)
    extra.update(contact_tables(store, review_id, lang))
    extra.update(commitment_tables(store, review_id, lang))
    return export_review(store, review_id, format, out_path, lang, today=today, extra=extra)
