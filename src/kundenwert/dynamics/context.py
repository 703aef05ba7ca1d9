"""What the dynamics read besides the series: the review, surveys, service and overrides.

Everything is aligned to the rows of the series matrix (one entry per customer), so that the
alert rules stay vectorised. Customers missing from the review get no quadrant or class.

Two sources: what describes kundenwert's own work (stored reviews, overrides) is read from
the store; what the company's systems deliver (activities, surveys) from the input tables,
``data`` below: the store, or engine inputs such as :func:`kundenwert.engine.open_inputs`
gives for Spark (docs/scale.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.alert_rules import ALERT_NEEDS, INPUTS
from kundenwert.dynamics.series import SeriesMatrix, backend_of, month_index, month_start
from kundenwert.engine.inputs import Inputs


@dataclass
class ReviewContext:
    review_id: int | None
    quadrant: np.ndarray  # str, "" without review
    abc_class: np.ndarray
    service_level: np.ndarray
    response_hours: np.ndarray  # committed response time of the effective level, NaN: none
    yearly_check: np.ndarray  # bool: the level guarantees a yearly check
    strategic: np.ndarray  # bool: strategic in the review (its override applied)


def _aligner(ids: pa.Array, table: pa.Table):
    """A function giving ``table[column]`` in the order of ``ids`` (``fill`` for ids missing
    from the table). The positions are looked up once per table: at a million customers each
    lookup of the ids costs about 0.15 s, and a table gives up to seven columns."""
    pos = pc.index_in(ids, value_set=table["customer_id"])

    def column(name: str, fill) -> np.ndarray:
        values = table[name].combine_chunks().take(pos)  # a null position gives null
        if fill is not None:
            values = pc.fill_null(values, fill)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
        return values.to_numpy(zero_copy_only=False)

    return column


def review_context(store, series: SeriesMatrix, review_id: int | None) -> ReviewContext:
    """The effective quadrant, class and service level of each customer in the review
    (the latest when ``review_id`` is None; empty when there is no review)."""
    from kundenwert.review.config import review_settings_from_json
    from kundenwert.review.effective import effective_sql
    from kundenwert.review.snapshots import latest_review_id, review_header

    n = series.n
    has = store.con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    if review_id is None and not has:
        empty = np.full(n, "", dtype=object)
        no = np.zeros(n, bool)
        return ReviewContext(None, empty, empty, empty, np.full(n, np.nan), no, no)
    review_id = latest_review_id(store.con) if review_id is None else review_id
    settings = review_settings_from_json(review_header(store, review_id)["config_json"])
    # The review's effective values (overrides applied as of the as-of date), only the
    # columns needed: the full effective rows of a million customers are much wider.
    c = store.con.execute(
        "SELECT customer_id, quadrant_effective, abc_class_effective, service_level_effective, "
        f"strategic_effective FROM ({effective_sql(settings)})",
        {"review_id": review_id, "today": series.as_of},
    ).to_arrow_table()
    column = _aligner(series.customer_id, c)
    levels = {lv.key: lv for lv in settings.service.levels}
    level = column("service_level_effective", "").astype(str)
    keys, inverse = np.unique(level, return_inverse=True)  # a handful of levels
    hours = np.array([levels[k].response_time_hours if k in levels else np.nan for k in keys])
    check = np.array([k in levels and levels[k].yearly_check == "guaranteed" for k in keys])
    hours, check = hours[inverse], check[inverse]
    return ReviewContext(
        review_id,
        column("quadrant_effective", "").astype(str),
        column("abc_class_effective", "").astype(str),
        level,
        hours,
        check,
        column("strategic_effective", False).astype(bool),
    )


def has_table(data, name: str) -> bool:
    """Whether the input tables hold ``name``: the store has every table (perhaps empty),
    engine inputs only those found in the lake (``surveys`` is optional there)."""
    return not isinstance(data, Inputs) or name in data.tables


def latest_surveys(
    data, series: SeriesMatrix
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Latest and previous satisfaction and recommendation per customer (NaN: none)."""
    if not has_table(data, "surveys"):
        none = np.full(series.n, np.nan)
        return none, none.copy(), none.copy(), none.copy()
    backend = backend_of(data)
    t = backend.table("surveys")
    t = t.filter(t.date <= series.as_of)
    rank = ibis.row_number().over(group_by=t.customer_id, order_by=ibis.desc(t.date))
    t = t.mutate(rank=rank).filter(lambda s: s["rank"] < 2)
    agg = t.group_by("customer_id").aggregate(
        sat=t.satisfaction.max(where=t["rank"] == 0),
        sat_prev=t.satisfaction.max(where=t["rank"] == 1),
        rec=t.recommend.max(where=t["rank"] == 0),
        rec_prev=t.recommend.max(where=t["rank"] == 1),
    )
    column = _aligner(series.customer_id, backend.to_pyarrow(agg))
    sat, sat_prev, rec, rec_prev = (
        column(col, None).astype(np.float64) for col in ("sat", "sat_prev", "rec", "rec_prev")
    )
    return sat, sat_prev, rec, rec_prev


def service_figures(
    data, series: SeriesMatrix, ctx: ReviewContext, check_kinds: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per customer over the last 12 months: requests, late responses (against the committed
    response time of its effective service level) and yearly-check activities."""
    n = series.n
    if ctx.review_id is None:
        return np.zeros(n), np.zeros(n), np.zeros(n)
    start = month_start(month_index(series.as_of) - 11)
    backend = backend_of(data)
    a = backend.table("activities")
    a = a.filter((a.date >= start) & (a.date <= series.as_of))
    hours = (a.responded_at.epoch_seconds() - a.requested_at.epoch_seconds()) / 3600.0
    asked = a.requested_at.notnull() & a.responded_at.notnull()
    # The late responses are counted against each committed response time there is (a
    # handful of service levels), not against a per-customer limit joined in: that join would
    # send a table of every customer to the engine (to Spark, from this process).
    limits = np.unique(ctx.response_hours[np.isfinite(ctx.response_hours)])
    late = {f"late_{i}": a.count(where=asked & (hours > float(h))) for i, h in enumerate(limits)}
    agg = a.group_by("customer_id").aggregate(
        requests=a.count(where=asked),
        checks=a.count(where=a.kind.isin(check_kinds)),
        **late,
    )
    column = _aligner(series.customer_id, backend.to_pyarrow(agg))
    requests, checks = (column(col, 0).astype(np.float64) for col in ("requests", "checks"))
    late_by_limit = np.zeros((n, len(limits) + 1))  # the last column: no committed time
    for i in range(len(limits)):
        late_by_limit[:, i] = column(f"late_{i}", 0)
    which = np.searchsorted(limits, ctx.response_hours)  # NaN sorts last: the zero column
    return requests, late_by_limit[np.arange(n), which], checks


def expiring_overrides(store, today: date, days: int) -> pa.Table:
    """Active overrides whose validity ends within ``days`` days from ``today``."""
    return store.con.execute(
        "SELECT customer_id, field, value, reason, valid_until FROM overrides "
        "WHERE ended_at IS NULL AND valid_until IS NOT NULL "
        "AND valid_until >= ? AND valid_until <= ? + to_days(?) ORDER BY valid_until",
        [today, today, days],
    ).to_arrow_table()


def skipped_rules(data, ctx: ReviewContext) -> dict[str, str]:
    """The alert rules whose inputs were never imported, each with the reason (a code of the
    CLI's and the web's text catalogues: ``no_review``, ``no_activities``, ...): a rule that
    cannot see its data must not raise an alert ("yearly check missing" for every customer of
    a company without activities). What each rule needs is defined once, in
    :data:`kundenwert.dynamics.alert_rules.ALERT_NEEDS`. ``data``: the input tables (the
    store or engine inputs), whose activities and surveys are counted."""
    backend = backend_of(data)
    a = backend.table("activities")
    answered = a.requested_at.notnull() & a.responded_at.notnull()
    counts = backend.to_pyarrow(a.aggregate(n=a.count(), answered=a.count(where=answered)))
    activities, answered_count = counts["n"][0].as_py(), counts["answered"][0].as_py()
    surveys = 0
    if has_table(data, "surveys"):
        surveys = backend.to_pyarrow(backend.table("surveys").count()).as_py()
    present = {
        "review": ctx.review_id is not None,
        "activities": bool(activities),
        "response_times": bool(answered_count),
        "surveys": bool(surveys),
    }
    skipped: dict[str, str] = {}
    for rule, needs in ALERT_NEEDS.items():
        missing = [need for need in INPUTS if need in needs and not present[need]]
        if missing:
            skipped[rule] = f"no_{missing[0]}"
    return skipped
