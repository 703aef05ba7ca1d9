"""The review computation: raw figures -> margins -> score -> ABC -> matrix -> service level.

Two stages, each an Ibis expression: the raw per-customer figures (one pass over each input
table) are materialised as a temporary table; margins, score, ABC class, quadrant and service
level are computed from it straight into the snapshot. Materialising the first stage keeps the
engine from recomputing the big aggregations for each population statistic (quantile caps,
medians) the second stage needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis

from kundenwert.review.abc import abc_classes
from kundenwert.review.config import ReviewSettings
from kundenwert.review.inputs import base_table
from kundenwert.review.margins import with_margins
from kundenwert.review.matrix import (
    forecast_potential,
    split_values,
    with_quadrant,
    with_rating_potential,
)
from kundenwert.review.score import money_caps, with_score
from kundenwert.review.service import with_service_level

BASE_TABLE = "_kw_review_base"

#: Columns of review_customers computed here, in table order (review_id comes first).
RESULT_COLUMNS = (
    "customer_id",
    "name",
    "business_unit",
    "revenue",
    "cogs",
    "deductions",
    "margin_1",
    "margin_2",
    "cost_to_serve",
    "goodwill_cost",
    "margin_3",
    "care_exceeds_margin",
    "activity_count",
    "abc_measure",
    "abc_share_above",
    "abc_class",
    "value_score",
    "potential",
    "quadrant",
    "strategic",
    "service_level_mapped",
    "service_level",
    "raw_value",
    "normalised",
    "weight_share",
    "contribution",
    "missing",
)
#: List columns of review_customers and the per-indicator columns they gather.
LIST_COLUMNS = {
    "raw_value": "raw",
    "normalised": "norm",
    "weight_share": "share",
    "contribution": "contrib",
    "missing": "miss",
}


@dataclass(frozen=True)
class Computed:
    """The SQL of the final per-customer rows (RESULT_COLUMNS) and the statistics used."""

    result_sql: str
    caps: dict[str, float | None]
    splits: dict[str, float | None]


def compute(store, settings, cfg: ReviewSettings, start: date, as_of: date) -> Computed:
    backend = store.ibis()
    base = base_table(backend, cfg, start, as_of)
    if cfg.potential.source == "forecast":
        forecast = forecast_potential(store, settings, as_of)
        store.con.register("_kw_forecast_arrow", forecast)
        store.con.execute("CREATE OR REPLACE TEMP TABLE _kw_forecast AS FROM _kw_forecast_arrow")
        store.con.unregister("_kw_forecast_arrow")
        f = backend.table("_kw_forecast")
        base = base.left_join(f, "customer_id").drop("customer_id_right")
        # No forecast for a customer means no expected future spend.
        base = base.mutate(potential=base.potential.fill_null(0.0))
    materialise(store, BASE_TABLE, base)

    t = with_margins(backend.table(BASE_TABLE))
    caps = money_caps(backend, t, cfg)
    scored = with_score(t, cfg, caps)
    if cfg.potential.source == "ratings":
        scored = with_rating_potential(scored, cfg)
    # The split points need no ABC class: computed before the (sorting) ABC window.
    splits = split_values(backend, scored, cfg.matrix)
    scored = scored.join(abc_classes(t, cfg.abc), "customer_id")
    t = with_service_level(with_quadrant(scored, cfg.matrix, splits), cfg)
    names = list(cfg.scoring.indicators)
    lists = {
        column: ibis.array(
            [t[f"{prefix}_{n}"].cast("boolean" if prefix == "miss" else "float64") for n in names]
        )
        for column, prefix in LIST_COLUMNS.items()
    }
    result = t.select(*RESULT_COLUMNS[: -len(LIST_COLUMNS)], **lists)
    return Computed(str(backend.compile(result)), caps, splits)


def materialise(store, name: str, expr) -> None:
    """Run an Ibis expression into a temporary table (one statement, no extra copy)."""
    sql = store.ibis().compile(expr)
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


def drop_temporaries(store) -> None:
    for name in (BASE_TABLE, "_kw_forecast"):
        store.con.execute(f"DROP TABLE IF EXISTS {name}")
