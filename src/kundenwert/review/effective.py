"""Effective values: a stored review with today's overrides applied.

The snapshot keeps the computed class, quadrant, strategic flag and service level. An override
(of any of the four) applies when the review is *read*, so an exception set after a review
shows on it, and it survives the next review without being copied. The effective service level
is, in order: an active service-level override (an exception or a level the customer buys);
else, when class, quadrant or the strategic flag is overridden, the level mapped by the
review's rules from the effective values (with the strategic floor for an effectively
strategic customer); else the computed level. An expired override no longer applies; the
``override_status`` column says ``expired``.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from kundenwert.review.config import ReviewSettings
from kundenwert.review.service import mapping_sql

_ACTIVE_OVERRIDES = """
    SELECT customer_id, field, value, reason, created_by, created_at, valid_until,
           coalesce(kind, 'exception') AS kind, note,
           CASE WHEN valid_until IS NOT NULL AND valid_until < $today
                THEN 'expired' ELSE 'active' END AS status
    FROM overrides
    WHERE ended_at IS NULL
"""


def effective_sql(cfg: ReviewSettings) -> str:
    """SQL over review_customers ``c`` giving computed and effective values side by side."""
    columns = {"abc_class": "c.eff_class", "quadrant": "c.eff_quadrant"}
    columns["score_class"] = "c.score_class"
    mapped = mapping_sql(cfg.service, columns, "c.eff_strategic")

    def ov(field: str, what: str) -> str:
        return f"max({what}) FILTER (WHERE field = '{field}' AND status = 'active')"

    contrib = ", ".join(
        f"c.contribution[{i}] AS contribution_{n}"
        for i, n in enumerate(cfg.scoring.indicators, start=1)
    )
    return f"""
    WITH o AS ({_ACTIVE_OVERRIDES}),
    op AS (
        SELECT customer_id,
               {ov("abc_class", "value")} AS ov_class,
               {ov("quadrant", "value")} AS ov_quadrant,
               {ov("service_level", "value")} AS ov_level,
               {ov("strategic", "value")} AS ov_strategic,
               {ov("service_level", "CASE WHEN kind = 'purchased' THEN note END")}
                   AS purchase_note,
               string_agg(
                   CASE WHEN status = 'active'
                        THEN field || '=' || value || ' (' ||
                             CASE WHEN kind = 'purchased' THEN 'gekauft: ' || note || '; '
                                  ELSE '' END || reason || '; ' || created_by ||
                             coalesce('; bis ' || strftime(valid_until, '%Y-%m-%d'), '') || ')'
                        ELSE field || '=' || value || ' abgelaufen am ' ||
                             strftime(valid_until, '%Y-%m-%d') || ' (' || reason || ')'
                   END, ' | ' ORDER BY field) AS override,
               CASE WHEN bool_or(status = 'active') THEN 'active' ELSE 'expired' END
                   AS override_status,
               string_agg(reason, ' | ' ORDER BY field) AS override_reason,
               string_agg(DISTINCT created_by, ', ') AS override_by,
               min(valid_until) AS override_until
        FROM o GROUP BY customer_id
    ),
    e AS (
        SELECT c.*, coalesce(op.ov_class, c.abc_class) AS eff_class,
               coalesce(op.ov_quadrant, c.quadrant) AS eff_quadrant,
               coalesce(op.ov_strategic = 'true', c.strategic) AS eff_strategic,
               op.ov_class, op.ov_quadrant, op.ov_level, op.ov_strategic, op.purchase_note,
               op.override, op.override_status,
               op.override_reason, op.override_by, op.override_until
        FROM review_customers c LEFT JOIN op USING (customer_id)
        WHERE c.review_id = $review_id
    )
    SELECT c.* EXCLUDE (raw_value, normalised, weight_share, contribution, missing,
                        eff_class, eff_quadrant, eff_strategic, ov_class, ov_quadrant,
                        ov_level, ov_strategic, purchase_note, override, override_status,
                        override_reason, override_by, override_until),
           c.eff_class AS abc_class_effective,
           c.eff_quadrant AS quadrant_effective,
           c.eff_strategic AS strategic_effective,
           CASE WHEN c.ov_level IS NOT NULL THEN c.ov_level
                WHEN c.ov_class IS NOT NULL OR c.ov_quadrant IS NOT NULL
                     OR c.ov_strategic IS NOT NULL
                     THEN {mapped}
                ELSE c.service_level END AS service_level_effective,
           c.purchase_note,
           c.override, c.override_status, c.override_reason, c.override_by, c.override_until,
           {contrib}
    FROM e c
    ORDER BY c.abc_measure DESC, c.customer_id
    """


def effective_customers(store, review_id: int, cfg: ReviewSettings, today: date) -> pa.Table:
    sql = effective_sql(cfg)
    return store.con.execute(sql, {"review_id": review_id, "today": today}).to_arrow_table()
