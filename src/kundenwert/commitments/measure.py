"""Adherence to every service commitment, per customer: the occasions due and those kept.

The window is ``review.service.adherence.months`` up to the as-of date (both ends as
days: after the date that many months before, up to and including the as-of date).
Rhythms are counted in periods of their months back from the as-of date; a period is due
when the customer was a customer for all of it (``customer_since`` on or before its first
day, or unknown). A request is due once it was answered or its deadline has passed by the
as-of date, and kept when it was answered by the deadline:

* callback: on the day of the request (same_day) or by the end of the first or third working
  day (Monday to Friday; no public holidays) after it; the day counts, not the hour, so a call
  at 23:59 answered at 00:01 was answered the next day;
* response time: at most ``response_time_hours`` after the request, to the second (an answer
  exactly at the limit is in time).

Goodwill is one occasion per customer: the goodwill cost of the window (activities of kind
goodwill or free of charge) at most the level's yearly budget times months / 12.

A commitment whose input was never imported (:func:`data_missing`) is not measured for
anyone and says which input is missing; a customer's goodwill with an activity of unknown
cost is not measured for that customer.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from kundenwert.commitments.catalogue import CALLBACK_DAYS, COMMITMENTS, RHYTHMS, promises
from kundenwert.review.period import months_before
from kundenwert.review.service_config import ServiceSettings


def data_missing(con) -> dict[str, str]:
    """The commitments whose input was never imported, each with the missing input's code
    (:data:`kundenwert.commitments.catalogue.MISSING`)."""
    total, initiated, asked, answered, events, letters, goodwill = con.execute(
        "SELECT count(*), count(initiated_by), count(requested_at), count(responded_at), "
        "count(*) FILTER (WHERE kind = 'event'), count(*) FILTER (WHERE kind = 'newsletter'), "
        "count(*) FILTER (WHERE kind = 'goodwill' OR free_of_charge) FROM activities"
    ).fetchone()
    missing: dict[str, str] = {}
    times = asked == 0 or answered == 0
    if not total:
        return dict.fromkeys(COMMITMENTS, "activities")
    if times and not initiated:
        missing["callback"] = "initiator_and_request_times"
    elif times:
        missing["callback"] = "request_times"
    elif not initiated:
        missing["callback"] = "initiator"
    if not initiated:
        missing["contact"] = "initiator"
    if times:
        missing["response_time"] = "request_times"
    if not events:
        missing["events"] = "event_activities"
    if not letters:
        missing["newsletter"] = "newsletter_activities"
    if not goodwill:
        missing["goodwill"] = "goodwill_activities"
    return missing


def _level_table(svc: ServiceSettings, months: int, missing: dict[str, str]) -> pa.Table:
    rows = []
    for level in svc.levels:
        for key, promise in promises(level).items():
            reason = missing.get(key)
            every = promise.every_months if promise else None
            if promise and reason is None and every is not None and every > months:
                reason = "short_window"
            rows.append(
                {
                    "level": level.key,
                    "commitment": key,
                    "order_no": COMMITMENTS.index(key),
                    "promise": promise.code if promise else None,
                    "every": every,
                    "callback_days": CALLBACK_DAYS[level.callback],
                    "hours": float(level.response_time_hours),
                    "budget": float(level.goodwill_budget) * months / 12,
                    "reason": reason if promise else None,
                }
            )
    return pa.Table.from_pylist(rows)


def _period_table(svc: ServiceSettings, as_of: date, months: int) -> pa.Table:
    rows = []
    for level in svc.levels:
        for key, promise in promises(level).items():
            if key not in RHYTHMS or promise is None or promise.every_months is None:
                continue
            every = promise.every_months
            for k in range(months // every):
                rows.append(
                    {
                        "level": level.key,
                        "commitment": key,
                        "lo": months_before(as_of, (k + 1) * every),
                        "hi": months_before(as_of, k * every),
                    }
                )
    schema = pa.schema(
        [("level", pa.string()), ("commitment", pa.string()), ("lo", pa.date32()),
         ("hi", pa.date32())]
    )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=schema)


def _in_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def _workday_after(day: str, days: str) -> str:
    """SQL: the date ``days`` (0, 1 or 3) working days after ``day``; 0 is the day itself.
    A request on a weekend counts from the Friday before (its next working day is Monday)."""
    friday = f"({day} - CASE isodow({day}) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END)"
    rest = f"({days} % 5)"
    jump = f"({days} // 5) * 7 + {rest} + CASE WHEN isodow({friday}) + {rest} > 5 THEN 2 ELSE 0 END"
    return f"(CASE WHEN {days} = 0 THEN {day} ELSE {friday} + CAST({jump} AS INTEGER) END)"


def measure(con, customers: pa.Table, svc: ServiceSettings, as_of: date) -> pa.Table:
    """One row per customer and commitment (:data:`COMMITMENTS` order): ``customer_id``,
    ``commitment``, ``promise`` (None: not promised), ``every_months``, ``due``, ``kept``,
    ``share`` (kept / due; None unless measured), ``status``, ``missing`` (the missing
    input's code), ``goodwill_cost`` and ``goodwill_budget`` (goodwill only).

    ``customers`` has ``customer_id``, ``service_level`` and ``customer_since``."""
    adh = svc.adherence
    months = adh.months
    lo = months_before(as_of, months)
    missing = data_missing(con)
    cur = con.cursor()
    try:
        cur.register("kw_cust", customers.select(["customer_id", "service_level",
                                                  "customer_since"]))  # fmt: skip
        cur.register("kw_levels", _level_table(svc, months, missing))
        cur.register("kw_periods", _period_table(svc, as_of, months))
        params = {"lo": lo, "as_of": as_of}
        return cur.execute(_sql(adh, _workday_after), params).to_arrow_table()
    finally:
        cur.close()


def _sql(adh, workday) -> str:
    check, callback, contact = (
        _in_list(adh.check_kinds),
        _in_list(adh.callback_kinds),
        _in_list(adh.contact_kinds),
    )
    deadline_day = workday("CAST(r.requested_at AS DATE)", "l.callback_days")
    return f"""
    WITH acts AS (
        SELECT a.* FROM activities a SEMI JOIN kw_cust c ON a.customer_id = c.customer_id
        WHERE a.date > $lo AND a.date <= $as_of
    ),
    marks AS (
        SELECT customer_id, date, 'contact' AS commitment FROM acts
            WHERE initiated_by = 'company' AND kind IN ({contact})
        UNION ALL SELECT customer_id, date, 'yearly_check' FROM acts WHERE kind IN ({check})
        UNION ALL SELECT customer_id, date, 'events' FROM acts WHERE kind = 'event'
        UNION ALL SELECT customer_id, date, 'newsletter' FROM acts WHERE kind = 'newsletter'
    ),
    due_periods AS (
        SELECT c.customer_id, p.commitment, p.lo, p.hi FROM kw_cust c
        JOIN kw_periods p ON p.level = c.service_level
        WHERE c.customer_since IS NULL OR c.customer_since <= p.lo + 1
    ),
    period_hits AS (
        SELECT d.customer_id, d.commitment, d.lo, count(m.date) > 0 AS kept
        FROM due_periods d LEFT JOIN marks m ON m.customer_id = d.customer_id
            AND m.commitment = d.commitment AND m.date > d.lo AND m.date <= d.hi
        GROUP BY d.customer_id, d.commitment, d.lo
    ),
    rhythm AS (
        SELECT customer_id, commitment, count(*) AS due, count(*) FILTER (WHERE kept) AS kept
        FROM period_hits GROUP BY customer_id, commitment
    ),
    requests AS (
        SELECT a.customer_id, 'callback' AS commitment, a.requested_at, a.responded_at
        FROM activities a WHERE a.initiated_by = 'customer' AND a.kind IN ({callback})
            AND a.requested_at IS NOT NULL
        UNION ALL
        SELECT a.customer_id, 'response_time', a.requested_at, a.responded_at
        FROM activities a WHERE a.requested_at IS NOT NULL
    ),
    judged AS (
        SELECT r.customer_id, r.commitment,
            r.responded_at IS NOT NULL
                AND r.responded_at < CAST($as_of AS TIMESTAMP) + INTERVAL 1 DAY AS answered,
            {deadline_day} AS deadline_day,
            r.requested_at + to_microseconds(CAST(l.hours * 3600000000 AS BIGINT))
                AS deadline_at,
            r.responded_at
        FROM requests r JOIN kw_cust c ON c.customer_id = r.customer_id
        JOIN kw_levels l ON l.level = c.service_level AND l.commitment = r.commitment
        WHERE CAST(r.requested_at AS DATE) > $lo AND CAST(r.requested_at AS DATE) <= $as_of
    ),
    flags AS (
        SELECT customer_id, commitment,
            CASE commitment WHEN 'callback' THEN answered OR deadline_day <= $as_of
                ELSE answered OR deadline_at < CAST($as_of AS TIMESTAMP) + INTERVAL 1 DAY
            END AS due,
            answered AND CASE commitment
                WHEN 'callback' THEN CAST(responded_at AS DATE) <= deadline_day
                ELSE responded_at <= deadline_at END AS kept
        FROM judged
    ),
    asked AS (
        SELECT customer_id, commitment, count(*) FILTER (WHERE due) AS due,
            count(*) FILTER (WHERE due AND kept) AS kept
        FROM flags GROUP BY customer_id, commitment
    ),
    goodwill AS (
        SELECT customer_id, sum(cost) AS cost, count(*) FILTER (WHERE cost IS NULL) AS uncosted
        FROM acts WHERE kind = 'goodwill' OR free_of_charge GROUP BY customer_id
    ),
    results AS (
        SELECT customer_id, commitment, due, kept, CAST(NULL AS DOUBLE) AS cost,
            CAST(0 AS BIGINT) AS uncosted FROM rhythm
        UNION ALL SELECT customer_id, commitment, due, kept, NULL, 0 FROM asked
        UNION ALL SELECT customer_id, 'goodwill', NULL, NULL, CAST(cost AS DOUBLE), uncosted
            FROM goodwill
    ),
    base AS (
        SELECT c.customer_id, l.commitment, l.order_no, l.promise, l.every, l.reason,
            l.budget, coalesce(r.cost, 0) AS goodwill_cost, coalesce(r.uncosted, 0) AS uncosted,
            CASE WHEN l.commitment = 'goodwill' THEN 1 ELSE coalesce(r.due, 0) END AS due,
            CASE WHEN l.commitment = 'goodwill'
                 THEN CAST(coalesce(r.cost, 0) <= l.budget AS INTEGER)
                 ELSE coalesce(r.kept, 0) END AS kept
        FROM kw_cust c JOIN kw_levels l ON l.level = c.service_level
        LEFT JOIN results r ON r.customer_id = c.customer_id AND r.commitment = l.commitment
    ),
    rated AS (
        SELECT *,
            CASE WHEN promise IS NULL THEN 'not_promised'
                 WHEN reason IS NOT NULL THEN 'missing_input'
                 WHEN commitment = 'goodwill' AND uncosted > 0 THEN 'missing_input'
                 WHEN due = 0 THEN 'nothing_due'
                 ELSE 'measured' END AS status,
            coalesce(reason, CASE WHEN promise IS NOT NULL AND commitment = 'goodwill'
                                   AND uncosted > 0 THEN 'goodwill_cost' END) AS missing
        FROM base
    )
    SELECT customer_id, commitment, promise, CAST(every AS INTEGER) AS every_months,
        CAST(CASE WHEN status IN ('measured', 'nothing_due') THEN due ELSE 0 END AS INTEGER)
            AS due,
        CAST(CASE WHEN status IN ('measured', 'nothing_due') THEN kept ELSE 0 END AS INTEGER)
            AS kept,
        CASE WHEN status = 'measured' THEN kept / due END AS share,
        status, missing,
        CASE WHEN commitment = 'goodwill' AND promise IS NOT NULL
             THEN CAST(goodwill_cost AS DOUBLE) END AS goodwill_cost,
        CASE WHEN commitment = 'goodwill' AND promise IS NOT NULL THEN budget END
            AS goodwill_budget
    FROM rated ORDER BY customer_id, order_no
    """
