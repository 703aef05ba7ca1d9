"""The review computation: raw figures -> margins -> score -> ABC -> matrix -> service level.

Two stages, each an Ibis expression: the raw per-customer figures (one pass over each input
table) are materialised as a temporary table; margins, score, ABC class, quadrant and service
level are computed from it straight into the snapshot. Materialising the first stage keeps the
engine from recomputing the big aggregations for each population statistic (quantile caps,
medians) the second stage needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kundenwert.engine.inputs import Inputs, to_arrow
from kundenwert.review.abc import abc_classes
from kundenwert.review.config import ReviewSettings
from kundenwert.review.forecasting import (
    FORECAST_COLUMNS,
    FORECAST_TABLE,
    HOLDOUT_COLUMNS,
    ReviewForecast,
    clv_cap,
    potential_findings,
    review_forecast,
    with_forecast_columns,
    with_potential,
)
from kundenwert.review.inputs import base_table
from kundenwert.review.margins import with_margins
from kundenwert.review.matrix import axis_findings, split_values, with_quadrant
from kundenwert.review.score import money_caps, with_score
from kundenwert.review.score_classes import score_class_cuts, with_score_class
from kundenwert.review.service import with_service_level

BASE_TABLE = "_kw_review_base"
RAW_TABLE = "_kw_review_raw"  # the raw figures computed on another engine (Spark)

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
#: Added with the forecast (migrations 0003 and 0006), at the end of review_customers.
FORECAST_LATER = ("potential_source", *FORECAST_COLUMNS, *HOLDOUT_COLUMNS)
#: Added with the rules of issue 14 (migration 0012).
RULE_COLUMNS = (
    "margins_complete",
    "uncosted_revenue",
    "uncosted_activities",
    "score_coverage",
    "potential_coverage",
    "score_class",
)
LATER_COLUMNS = (*FORECAST_LATER, *RULE_COLUMNS)
ALL_COLUMNS = (*RESULT_COLUMNS, *LATER_COLUMNS)
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
    splits: dict[str, Any]
    forecast: ReviewForecast
    findings: list[dict[str, Any]]


#: The steps of a review, in order, as :func:`run_review` reports them to its ``progress``.
#: ("store" scores, classifies and writes: the result's SQL runs as it is stored.)
#: ("units" is the per-unit view, kundenwert.review.units; skipped when review.units is off.)
REVIEW_STEPS = ("forecast", "base", "units", "store")


def compute(
    store,
    settings,
    cfg: ReviewSettings,
    start: date,
    as_of: date,
    *,
    progress: Callable[[str], None] | None = None,
    inputs: Inputs | None = None,
) -> Computed:
    """The review's figures as of ``as_of``; written into ``store`` by run_review.

    With ``inputs`` (:func:`kundenwert.engine.open_inputs`, e.g. on Spark) the forecast and
    the raw per-customer figures are computed from those input tables; the rest (scores,
    classes, quadrants, service levels) runs in the store on one row per customer.
    """

    def step(name: str) -> None:
        if progress:
            progress(name)

    backend = store.ibis()
    step("forecast")
    forecast = review_forecast(inputs or store, settings, cfg, as_of)
    step("base")
    # The window aggregates run on the engine; their result, one row per customer, is the
    # only thing brought into the store, where the review goes on as always.
    raw = in_store(store, inputs, RAW_TABLE, base_table(inputs or backend, cfg, start, as_of))
    base = with_forecast_columns(store, raw, forecast)
    materialise(store, BASE_TABLE, base)

    t = with_margins(backend.table(BASE_TABLE))
    caps = money_caps(backend, t, cfg)
    scored = with_score(t, cfg, caps)
    cuts = score_class_cuts(backend, scored, cfg.score_classes)
    scored = with_score_class(scored, cuts)
    blend_cap = cfg.potential.source == "blend" and cfg.potential.clv_scale == "cap"
    cap = clv_cap(backend, t, cfg) if blend_cap else None
    scored = with_potential(scored, cfg, cap)
    # The split points need no ABC class: computed before the (sorting) ABC window.
    splits = split_values(backend, scored, cfg.matrix)
    findings = [*axis_findings(splits), *potential_findings(backend, scored, cfg)]
    scored = scored.join(abc_classes(t, cfg.abc), "customer_id")
    t = with_service_level(with_quadrant(scored, cfg.matrix, splits), cfg)
    names = list(cfg.scoring.indicators)
    lists = {
        column: ibis.array(
            [t[f"{prefix}_{n}"].cast("boolean" if prefix == "miss" else "float64") for n in names]
        )
        for column, prefix in LIST_COLUMNS.items()
    }
    plain = RESULT_COLUMNS[: -len(LIST_COLUMNS)]
    result = t.select(*plain, *LATER_COLUMNS, **lists).select(*ALL_COLUMNS)
    splits = {**splits, "score_classes": cuts}
    return Computed(str(backend.compile(result)), caps, splits, forecast, findings)


def materialise(store, name: str, expr) -> None:
    """Run an Ibis expression into a temporary table (one statement, no extra copy)."""
    sql = store.ibis().compile(expr)
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


def in_store(store, inputs: Inputs | None, name: str, expr: ir.Table) -> ir.Table:
    """``expr``, an expression over ``inputs`` (None: over the store), as a table of the store:
    itself when the inputs are the store's; from another engine (Spark) its result, brought
    into the temporary table ``name`` (it must be bounded: one row per customer, or so)."""
    if inputs is None or inputs.engine == "duckdb":
        return expr
    return into_store(store, name, to_arrow(expr))


def into_store(store, name: str, table: pa.Table) -> ir.Table:
    """An Arrow table into a temporary table of the store, as an Ibis table."""
    store.con.register("_kw_engine_arrow", table)
    try:
        store.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS FROM _kw_engine_arrow")
    finally:
        store.con.unregister("_kw_engine_arrow")
    return store.ibis().table(name)


def drop_temporaries(store) -> None:
    for name in (BASE_TABLE, FORECAST_TABLE, RAW_TABLE):
        store.con.execute(f"DROP TABLE IF EXISTS {name}")
