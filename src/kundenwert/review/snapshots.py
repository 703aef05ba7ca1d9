"""Reviews as immutable snapshots: run, store, list, load.

A review stores what it computed (per customer and per score indicator), the configuration it
ran with (canonical JSON and its SHA-256) and the import batches it saw. Rows are only ever
inserted, never updated, so last year's review can be shown and explained exactly as it was,
even after the input data changed. Overrides are *not* baked in: they are applied when a review
is read (see :mod:`kundenwert.review.effective`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from kundenwert import __version__
from kundenwert.errors import NotFoundError
from kundenwert.review.compute import (
    ALL_COLUMNS,
    BASE_TABLE,
    Computed,
    compute,
    drop_temporaries,
)
from kundenwert.review.config import ReviewSettings, review_settings_from_json
from kundenwert.review.findings import complete_revenue_share, review_findings
from kundenwert.review.period import window_start
from kundenwert.review.units import (
    UnitsComputed,
    compute_units,
    drop_unit_temporaries,
    store_units,
)

#: The company view's rows, kept while the per-unit view reads their potential.
RESULT_TABLE = "_kw_review_result"

_DATED = {
    "invoices": "date",
    "unassigned_invoices": "date",
    "activities": "date",
    "ratings": "date",
    "surveys": "date",
    "survey_dimensions": "date",
}
_UNDATED = ("customers", "installed_base")


@dataclass(frozen=True)
class ReviewResult:
    """What `kundenwert review` reports: the new review's id and a summary."""

    review_id: int
    as_of: date
    window_start: date
    window_months: int
    created_at: datetime
    config_hash: str
    customer_count: int
    totals: dict[str, str] = field(default_factory=dict)  # money as exact decimal text
    classes: dict[str, int] = field(default_factory=dict)
    score_classes: dict[str, int] = field(default_factory=dict)  # "none": without a score
    quadrants: dict[str, int] = field(default_factory=dict)
    service_levels: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    strategic: int = 0
    unassigned_lines: int = 0
    forecast: dict[str, Any] = field(default_factory=dict)  # the model used, or why none
    #: Share of the (positive) revenue whose margins are complete (None: review before 0012).
    complete_revenue_share: float | None = None
    #: What the review must say before anyone acts on it (kundenwert.review.findings).
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: Customers per business unit of the per-unit review (empty when it was off).
    units: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("as_of", "window_start", "created_at"):
            out[key] = out[key].isoformat()
        return out


@dataclass(frozen=True)
class LoadedReview:
    """A stored review with its customers (effective values applied) and configuration."""

    header: dict[str, Any]
    settings: ReviewSettings
    customers: pa.Table

    @property
    def review_id(self) -> int:
        return int(self.header["review_id"])


def run_review(
    store,
    settings,
    as_of: date,
    window_months: int = 12,
    *,
    created_by: str | None = None,
    progress: Callable[[str], None] | None = None,
    settings_version: int | None = None,
    inputs: Any = None,
) -> ReviewResult:
    """Compute the review as of ``as_of`` and store it as a new snapshot.

    ``progress`` is told each step as it starts (one of :data:`REVIEW_STEPS`).
    ``settings_version`` is recorded with it: the saved settings version whose sections
    applied (:mod:`kundenwert.settings_source`), None when the configuration file alone did.
    ``inputs`` (:func:`kundenwert.engine.open_inputs`): compute the forecast and the window
    aggregates (per customer, and per customer and business unit) from these input tables
    (e.g. on Spark) instead of the store's; the snapshot is written into ``store`` all the
    same (its batches seen and unassigned revenue are the store's).
    """
    cfg: ReviewSettings = settings.review
    start = window_start(as_of, window_months)
    with _any_row_order(store.con):
        try:
            computed = compute(store, settings, cfg, start, as_of, progress=progress, inputs=inputs)
            units = None
            if cfg.units.enabled:
                if progress:
                    progress("units")
                store.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {RESULT_TABLE} AS {computed.result_sql}"
                )
                computed = replace(computed, result_sql=f"SELECT * FROM {RESULT_TABLE}")
                units = compute_units(store, cfg, start, as_of, RESULT_TABLE, BASE_TABLE, inputs)
            header = {
                "as_of": as_of,
                "window_months": window_months,
                "window_start": start,
                "created_by": created_by,
                "batches_seen": _batches_seen(store.con, as_of),
                "settings_version": settings_version,
            }
            header["unassigned"] = _unassigned(store.con, start, as_of)
            if progress:
                progress("store")
            review_id = _store(store.con, cfg, computed, header, units)
        finally:
            drop_temporaries(store)
            drop_unit_temporaries(store)
            store.con.execute(f"DROP TABLE IF EXISTS {RESULT_TABLE}")
    return _summary(store.con, review_id)


@contextmanager
def _any_row_order(con) -> Iterator[None]:
    """Row order in a snapshot carries no meaning (reads sort explicitly); letting the engine
    write in any order lets it build and store the result on all cores."""
    keep = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {bool(keep)}")


def _unassigned(con, start: date, as_of: date) -> tuple[Decimal, int]:
    """Revenue and lines in the window that belong to no customer (kept aside on import), so
    the review's totals reconcile with the invoice export."""
    amount, lines = con.execute(
        "SELECT coalesce(sum(amount), 0), count(*) FROM unassigned_invoices "
        "WHERE date BETWEEN ? AND ?",
        [start, as_of],
    ).fetchone()
    return Decimal(amount), int(lines)


_HEADER_COLUMNS = (
    "review_id", "as_of", "window_months", "window_start", "created_at", "created_by",
    "config_json", "config_hash", "indicators", "batches_seen", "splits", "customer_count",
    "kundenwert_version", "forecast", "unassigned_revenue", "unassigned_lines",
    "settings_version",
)  # fmt: skip


def _store(
    con,
    cfg: ReviewSettings,
    computed: Computed,
    header: dict[str, Any],
    units: UnitsComputed | None = None,
) -> int:
    """Write header and customer rows in one transaction; returns the new review id."""
    con.execute("BEGIN TRANSACTION")
    try:
        review_id = int(con.execute("SELECT nextval('review_seq')").fetchone()[0])
        count = int(con.execute(f"SELECT count(*) FROM {BASE_TABLE}").fetchone()[0])
        statistics = {
            **computed.splits,
            "caps": computed.caps,
            "findings": computed.findings,
            "minimum_coverage": cfg.scoring.minimum_coverage,
        }
        if units is not None:
            statistics["units"] = units.statistics
        # Columns named: migrations add columns to this table.
        con.execute(
            f"INSERT INTO reviews ({', '.join(_HEADER_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_HEADER_COLUMNS))})",
            [
                review_id,
                header["as_of"],
                header["window_months"],
                header["window_start"],
                datetime.now(),
                header["created_by"],
                cfg.as_json(),
                cfg.config_hash(),
                json.dumps(list(cfg.scoring.indicators)),
                json.dumps(header["batches_seen"]),
                json.dumps(statistics),
                count,
                __version__,
                json.dumps(computed.forecast.info, default=str),
                *header["unassigned"],
                header["settings_version"],
            ],
        )
        cols = ", ".join(ALL_COLUMNS)
        con.execute(
            f"INSERT INTO review_customers (review_id, {cols}) "
            f"SELECT {review_id}, {cols} FROM ({computed.result_sql})"
        )
        if units is not None:
            store_units(con, review_id, units)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return review_id


def _batches_seen(con, as_of: date) -> dict[str, list[int]]:
    """Per input table, the import batches of the rows the review could see."""
    seen = {}
    for table in (*_UNDATED, *_DATED):
        where = f"WHERE {_DATED[table]} <= ?" if table in _DATED else ""
        params = [as_of] if table in _DATED else []
        rows = con.execute(
            f"SELECT DISTINCT batch_id FROM {table} {where} ORDER BY 1", params
        ).fetchall()
        seen[table] = [int(r[0]) for r in rows]
    return seen


def _summary(con, review_id: int) -> ReviewResult:
    header = _header(con, review_id)

    def counts(column: str) -> dict[str, int]:
        rows = con.execute(
            f"SELECT {column}, count(*) FROM review_customers WHERE review_id = ? "
            "GROUP BY 1 ORDER BY 1",
            [review_id],
        ).fetchall()
        return {str(k): int(v) for k, v in rows}

    totals = con.execute(
        "SELECT sum(revenue), sum(margin_1), sum(margin_2), sum(cost_to_serve), sum(margin_3), "
        "sum(uncosted_revenue), "
        "count(*) FILTER (WHERE care_exceeds_margin), count(*) FILTER (WHERE strategic) "
        "FROM review_customers WHERE review_id = ?",
        [review_id],
    ).fetchone()
    names = ("revenue", "margin_1", "margin_2", "cost_to_serve", "margin_3", "uncosted_revenue")
    money = {n: v if v is not None else Decimal(0) for n, v in zip(names, totals[:6], strict=True)}
    unassigned = header["unassigned_revenue"] or Decimal(0)
    money["unassigned_revenue"] = unassigned
    # What the invoice export holds for the window: customers' revenue plus unassigned lines.
    money["revenue_total"] = money["revenue"] + unassigned
    return ReviewResult(
        review_id=review_id,
        as_of=header["as_of"],
        window_start=header["window_start"],
        window_months=header["window_months"],
        created_at=header["created_at"],
        config_hash=header["config_hash"],
        customer_count=header["customer_count"],
        totals={n: str(v) for n, v in money.items()},
        unassigned_lines=int(header["unassigned_lines"] or 0),
        classes=counts("abc_class"),
        score_classes=counts("coalesce(score_class, 'none')"),
        quadrants=counts("quadrant"),
        service_levels=counts("service_level"),
        flagged=int(totals[6]),
        strategic=int(totals[7]),
        forecast=header["forecast"],
        complete_revenue_share=complete_revenue_share(con, review_id),
        findings=review_findings(con, review_id, header["splits"]),
        units={
            str(unit): int(n)
            for unit, n in con.execute(
                "SELECT business_unit, count(*) FROM review_units WHERE review_id = ? "
                "GROUP BY 1 ORDER BY 2 DESC, 1",
                [review_id],
            ).fetchall()
        },
    )


def review_header(store, review_id: int) -> dict[str, Any]:
    """A stored review's header: as-of, window, configuration, batches seen, forecast."""
    return _header(store.con, review_id)


def _header(con, review_id: int) -> dict[str, Any]:
    cur = con.execute("SELECT * FROM reviews WHERE review_id = ?", [review_id])
    row = cur.fetchone()
    if row is None:
        raise NotFoundError(
            f"Review {review_id} gibt es nicht.",
            hint="`kundenwert reviews` listet die gespeicherten Reviews.",
        )
    header = dict(zip([d[0] for d in cur.description], row, strict=True))
    header["batches_seen"] = json.loads(header["batches_seen"])
    header["indicators"] = json.loads(header["indicators"])
    header["splits"] = json.loads(header["splits"])
    header["forecast"] = json.loads(header["forecast"] or '{"status": "off"}')
    return header


def latest_review_id(con) -> int:
    row = con.execute("SELECT max(review_id) FROM reviews").fetchone()
    if row[0] is None:
        raise NotFoundError(
            "Es gibt noch kein Review.",
            hint="Führen Sie zuerst `kundenwert review --as-of JJJJ-MM-TT` aus.",
        )
    return int(row[0])


def list_reviews(store) -> list[dict[str, Any]]:
    """All stored reviews, newest first (header fields without the configuration text)."""
    cur = store.con.execute(
        "SELECT review_id, as_of, window_months, window_start, created_at, created_by, "
        "config_hash, settings_version, customer_count FROM reviews ORDER BY review_id DESC"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def review_summary(store, review_id: int | None = None) -> ReviewResult:
    con = store.con
    return _summary(con, latest_review_id(con) if review_id is None else review_id)


def load_review(store, review_id: int | None = None, *, today: date | None = None) -> LoadedReview:
    """A stored review (the latest when ``review_id`` is None), overrides applied as of today."""
    from kundenwert.review.effective import effective_customers

    con = store.con
    review_id = latest_review_id(con) if review_id is None else review_id
    header = _header(con, review_id)
    cfg = review_settings_from_json(header.pop("config_json"))
    header["complete_revenue_share"] = complete_revenue_share(con, review_id)
    header["findings"] = review_findings(con, review_id, header["splits"])
    customers = effective_customers(store, review_id, cfg, today or date.today())
    return LoadedReview(header=header, settings=cfg, customers=customers)
