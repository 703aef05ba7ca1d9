"""The review computation: raw figures -> margins -> score -> ABC -> matrix -> service level.

Three stages, each an Ibis expression materialised as a temporary table: the raw per-customer
figures (one pass over each input table); margins, score and ABC class; quadrant and service
level. Materialising between them keeps the engine from recomputing the big aggregations for
each population statistic (quantile caps, medians) and keeps each compiled query shallow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kundenwert.review.abc import with_abc
from kundenwert.review.config import ReviewSettings
from kundenwert.review.inputs import base_table
from kundenwert.review.margins import with_margins
from kundenwert.review.matrix import forecast_potential, with_quadrant, with_rating_potential
from kundenwert.review.score import money_caps, with_score
from kundenwert.review.service import with_service_level

BASE_TABLE = "_kw_review_base"
SCORED_TABLE = "_kw_review_scored"
RESULT_TABLE = "_kw_review_result"

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
)


@dataclass(frozen=True)
class Computed:
    """Names of the temporary result table and the population statistics used."""

    table: str
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
    t = with_score(t, cfg, caps)
    if cfg.potential.source == "ratings":
        t = with_rating_potential(t, cfg)
    materialise(store, SCORED_TABLE, with_abc(t, cfg.abc))
    t, splits = with_quadrant(backend, backend.table(SCORED_TABLE), cfg.matrix)
    materialise(store, RESULT_TABLE, with_service_level(t, cfg))
    return Computed(RESULT_TABLE, caps, splits)


def materialise(store, name: str, expr) -> None:
    """Run an Ibis expression into a temporary table (one statement, no extra copy)."""
    sql = store.ibis().compile(expr)
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


def drop_temporaries(store) -> None:
    for name in (BASE_TABLE, SCORED_TABLE, RESULT_TABLE, "_kw_forecast"):
        store.con.execute(f"DROP TABLE IF EXISTS {name}")
