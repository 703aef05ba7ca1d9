"""Export a stored review: one row per customer, CSV, Parquet or an xlsx workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from kundenwert.cells import neutralise
from kundenwert.errors import InputError
from kundenwert.review.columns import COLUMNS, CONTRIBUTION_PREFIX, column_names
from kundenwert.review.service import commitment
from kundenwert.review.snapshots import LoadedReview, load_review

FORMATS = ("csv", "xlsx", "parquet")


def export_table(review: LoadedReview, lang: str = "de") -> pa.Table:
    """The stable export columns (docs/export-columns.md) of a loaded review."""
    t = review.customers
    labels = review.settings.matrix.labels
    keys = t.column("quadrant_effective").to_pylist()
    label = pa.array([labels[k].get(lang) if k else None for k in keys], pa.string())
    t = t.append_column("quadrant_label", label)
    names = column_names(list(review.settings.scoring.indicators))
    return t.select(names)


def export_review(
    store,
    review_id: int | None,
    format: str,
    out_path: str | Path,
    lang: str = "de",
    *,
    today: date | None = None,
    extra: dict[str, tuple[str, pa.Table]] | None = None,
) -> Path:
    """Write review ``review_id`` (latest when None) to ``out_path``; returns the path.

    ``extra`` adds tables by key (e.g. ``alerts``) with a title: sheets of the workbook, or
    files ``<name>_<key>.csv`` / ``.parquet`` next to the main file. The review per business
    unit (when it has one) is always added, as key ``units`` (sheet "Geschäftsbereiche").
    """
    if format not in FORMATS:
        raise InputError(f"Unbekanntes Format {format!r}.", hint=f"Erlaubt: {', '.join(FORMATS)}.")
    from kundenwert.reads.units import EXPORT_TITLE, unit_table

    review = load_review(store, review_id, today=today)
    table = export_table(review, lang)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    extra = extra or {}
    units = unit_table(store, review.review_id)
    if units is not None:  # the review per business unit, beside the company view
        title = EXPORT_TITLE.get(lang, EXPORT_TITLE["de"])
        extra = {"units": (title, units), **extra}
    if format == "xlsx":
        from kundenwert.review.xlsx import write_workbook

        write_workbook(out, review, table, lang, extra=list(extra.values()))
        return out
    write = _write_csv if format == "csv" else pq.write_table
    write(table, out)
    for key, (_title, sheet) in extra.items():
        write(sheet, out.with_name(f"{out.stem}_{key}{out.suffix}"))
    return out


def _write_csv(table: pa.Table, out: Path) -> None:
    pa_csv.write_csv(neutralise(table), out)


def customer_commitment(
    store,
    customer_id: str,
    review_id: int | None = None,
    lang: str = "de",
    *,
    today: date | None = None,
) -> str:
    """The written service commitment of one customer at its effective level."""
    review = load_review(store, review_id, today=today)
    t = review.customers
    rows = t.filter(pc.equal(t.column("customer_id"), customer_id)).to_pylist()
    if not rows:
        from kundenwert.errors import NotFoundError

        raise NotFoundError(
            f"Kunde {customer_id} ist nicht im Review {review.review_id}.",
            hint="Prüfen Sie die Kundennummer oder führen Sie ein neues Review aus.",
        )
    row = rows[0]
    return commitment(
        review.settings.service,
        row["service_level_effective"],
        customer_id=customer_id,
        name=row["name"] or customer_id,
        lang=lang,
    )


__all__ = [
    "COLUMNS",
    "CONTRIBUTION_PREFIX",
    "FORMATS",
    "customer_commitment",
    "export_review",
    "export_table",
]
