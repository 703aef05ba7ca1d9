"""What the dynamics read besides the series: the review, surveys, service and overrides.

Everything is aligned to the rows of the series matrix (one entry per customer), so that the
alert rules stay vectorised. Customers missing from the review get no quadrant or class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.alert_rules import ALERT_NEEDS, INPUTS
from kundenwert.dynamics.series import SeriesMatrix, month_index, month_start


@dataclass
class ReviewContext:
    review_id: int | None
    quadrant: np.ndarray  # str, "" without review
    abc_class: np.ndarray
    service_level: np.ndarray
    response_hours: np.ndarray  # committed response time of the effective level, NaN: none
    yearly_check: np.ndarray  # bool: the level guarantees a yearly check
    strategic: np.ndarray  # bool: strategic in the review (its override applied)


def _align(ids: pa.Array, table: pa.Table, column: str, fill) -> np.ndarray:
    """``table[column]`` in the order of ``ids``; ``fill`` for ids missing from the table."""
    pos = pc.index_in(ids, value_set=table["customer_id"])
    values = table[column].combine_chunks().take(pos)  # a null position gives null
    if fill is not None:
        values = pc.fill_null(values, fill)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
    return values.to_numpy(zero_copy_only=False)


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
    ids = series.customer_id
    levels = {lv.key: lv for lv in settings.service.levels}
    level = _align(ids, c, "service_level_effective", "").astype(str)
    keys, inverse = np.unique(level, return_inverse=True)  # a handful of levels
    hours = np.array([levels[k].response_time_hours if k in levels else np.nan for k in keys])
    check = np.array([k in levels and levels[k].yearly_check == "guaranteed" for k in keys])
    hours, check = hours[inverse], check[inverse]
    return ReviewContext(
        review_id,
        _align(ids, c, "quadrant_effective", "").astype(str),
        _align(ids, c, "abc_class_effective", "").astype(str),
        level,
        hours,
        check,
        _align(ids, c, "strategic_effective", False).astype(bool),
    )


def latest_surveys(
    store, series: SeriesMatrix
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Latest and previous satisfaction and recommendation per customer (NaN: none)."""
    backend = store.ibis()
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
    table = backend.to_pyarrow(agg)
    sat, sat_prev, rec, rec_prev = (
        _align(series.customer_id, table, col, None).astype(np.float64)
        for col in ("sat", "sat_prev", "rec", "rec_prev")
    )
    return sat, sat_prev, rec, rec_prev


def service_figures(
    store, series: SeriesMatrix, ctx: ReviewContext, check_kinds: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per customer over the last 12 months: requests, late responses (against the committed
    response time of its effective service level) and yearly-check activities."""
    n = series.n
    if ctx.review_id is None:
        return np.zeros(n), np.zeros(n), np.zeros(n)
    start = month_start(month_index(series.as_of) - 11)
    backend = store.ibis()
    limits = pa.table({"customer_id": series.customer_id, "limit_h": ctx.response_hours})
    lim = ibis.memtable(limits)
    a = backend.table("activities")
    a = a.filter((a.date >= start) & (a.date <= series.as_of))
    j = a.left_join(lim, "customer_id")
    hours = (j.responded_at.epoch_seconds() - j.requested_at.epoch_seconds()) / 3600.0
    asked = j.requested_at.notnull() & j.responded_at.notnull()
    agg = j.group_by(a.customer_id).aggregate(
        requests=j.count(where=asked),
        late=j.count(where=asked & (hours > j.limit_h)),
        checks=j.count(where=j.kind.isin(check_kinds)),
    )
    table = backend.to_pyarrow(agg)
    requests, late, checks = (
        _align(series.customer_id, table, col, 0).astype(np.float64)
        for col in ("requests", "late", "checks")
    )
    return requests, late, checks


def expiring_overrides(store, today: date, days: int) -> pa.Table:
    """Active overrides whose validity ends within ``days`` days from ``today``."""
    return store.con.execute(
        "SELECT customer_id, field, value, reason, valid_until FROM overrides "
        "WHERE ended_at IS NULL AND valid_until IS NOT NULL "
        "AND valid_until >= ? AND valid_until <= ? + to_days(?) ORDER BY valid_until",
        [today, today, days],
    ).to_arrow_table()


def skipped_rules(store, ctx: ReviewContext) -> dict[str, str]:
    """The alert rules whose inputs were never imported, each with the reason (a code of the
    CLI's and the web's text catalogues: ``no_review``, ``no_activities``, ...): a rule that
    cannot see its data must not raise an alert ("yearly check missing" for every customer of
    a company without activities). What each rule needs is defined once, in
    :data:`kundenwert.dynamics.alert_rules.ALERT_NEEDS`."""
    con = store.con
    activities, answered = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE requested_at IS NOT NULL "
        "AND responded_at IS NOT NULL) FROM activities"
    ).fetchone()
    surveys = con.execute("SELECT count(*) FROM surveys").fetchone()[0]
    present = {
        "review": ctx.review_id is not None,
        "activities": bool(activities),
        "response_times": bool(answered),
        "surveys": bool(surveys),
    }
    skipped: dict[str, str] = {}
    for rule, needs in ALERT_NEEDS.items():
        missing = [need for need in INPUTS if need in needs and not present[need]]
        if missing:
            skipped[rule] = f"no_{missing[0]}"
    return skipped
