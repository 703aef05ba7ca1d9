"""The review per strategic business unit (seed 000: values per strategic business unit).

Beside the company view (one row per customer, :mod:`kundenwert.review.compute`, unchanged),
every customer gets one row per business unit that serves it: its own unit
(``customers.business_unit``) and every unit that booked an invoice line for it in the window
(``invoices.business_unit``; a line without a unit counts for the customer's own unit). Each
unit is reviewed as if it were a company of its own, by the same rules and functions as the
company view:

* margins I-III from the unit's lines (:mod:`kundenwert.review.margins`); the cost of care
  is carried by the customer's own unit (activities name no unit, see
  :func:`kundenwert.review.inputs.base_table`);
* the value score with the unit's weights (``review.scoring.weights.<unit>``), its money
  indicators capped at the quantile of the unit's customers; what has no unit (installed
  base, ratings, location) counts the same in every unit;
* ABC class, score class and the matrix splits over the unit's customers;
* the potential is the customer's (ratings and the forecast are per customer), the y axis
  split over the unit's customers;
* the service level by the same rules (and strategic floor) from the unit's values.

Overrides belong to the company view: per-unit rows are computed values only.

Only the invoice lines are aggregated per customer and unit on the engine of the review's
inputs (the store, or Spark: :mod:`kundenwert.engine`); that result, one row per customer
and unit, is all that comes into the store, where the rest runs as for the company view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis

from kundenwert.engine.inputs import Inputs
from kundenwert.review.abc import abc_classes
from kundenwert.review.config import ReviewSettings
from kundenwert.review.inputs import unit_base_table, unit_invoice_figures
from kundenwert.review.margins import with_margins
from kundenwert.review.matrix import split_values, with_quadrant
from kundenwert.review.score import money_caps, with_score
from kundenwert.review.score_classes import score_class_cuts, with_score_class
from kundenwert.review.service import with_service_level

UNIT_BASE_TABLE = "_kw_review_unit_base"
#: The invoice figures per customer and unit computed on another engine (Spark).
UNIT_FIGURES_TABLE = "_kw_review_unit_figures"

#: Columns of review_units computed here, in table order (review_id comes first).
UNIT_COLUMNS = (
    "customer_id",
    "business_unit",
    "home",
    "revenue",
    "cogs",
    "deductions",
    "margin_1",
    "margin_2",
    "cost_to_serve",
    "margin_3",
    "care_exceeds_margin",
    "margins_complete",
    "uncosted_revenue",
    "abc_measure",
    "abc_share_above",
    "abc_class",
    "value_score",
    "score_coverage",
    "score_class",
    "potential",
    "quadrant",
    "strategic",
    "service_level",
    "contribution",
)


@dataclass(frozen=True)
class UnitsComputed:
    """Per unit, the SQL of its rows (UNIT_COLUMNS) and the statistics used."""

    sql: dict[str, str]
    statistics: dict[str, dict[str, Any]]


def compute_units(
    store,
    cfg: ReviewSettings,
    start: date,
    as_of: date,
    company: str,
    company_base: str,
    inputs: Inputs | None = None,
) -> UnitsComputed:
    """The per-unit rows; ``company`` names the table of the company view's rows (their
    potential is the customer's in every unit), ``company_base`` its base table (what has no
    unit is taken from it). ``inputs`` (:func:`kundenwert.engine.open_inputs`): the invoice
    lines are aggregated per customer and unit there (e.g. on Spark); the result, one row per
    customer and unit, is brought into the store, where the rest runs as for the company."""
    from kundenwert.review.compute import in_store, materialise

    backend = store.ibis()
    figures = unit_invoice_figures(inputs or backend, cfg, start, as_of)
    figures = in_store(store, inputs, UNIT_FIGURES_TABLE, figures)
    base = unit_base_table(cfg, backend.table(company_base), figures)
    materialise(store, UNIT_BASE_TABLE, base)
    base = backend.table(UNIT_BASE_TABLE)
    units = [
        r["business_unit"]
        for r in backend.to_pyarrow(base.select("business_unit").distinct()).to_pylist()
    ]
    potential = backend.table(company).select("customer_id", "potential")
    names = list(cfg.scoring.indicators)
    sql, statistics = {}, {}
    for unit in sorted(units):
        t = with_margins(base.filter(base.business_unit == unit))
        caps = money_caps(backend, t, cfg)
        scored = with_score(t, cfg, caps)
        cuts = score_class_cuts(backend, scored, cfg.score_classes)
        scored = with_score_class(scored, cuts)
        scored = scored.left_join(potential, "customer_id").drop("customer_id_right")
        splits = split_values(backend, scored, cfg.matrix)
        scored = scored.join(abc_classes(t, cfg.abc), "customer_id")
        r = with_service_level(with_quadrant(scored, cfg.matrix, splits), cfg)
        contribution = ibis.array([r[f"contrib_{n}"].cast("float64") for n in names])
        result = r.mutate(contribution=contribution).select(*UNIT_COLUMNS)
        sql[unit] = str(backend.compile(result))
        statistics[unit] = {**splits, "caps": caps, "score_classes": cuts}
    return UnitsComputed(sql, statistics)


def store_units(con, review_id: int, units: UnitsComputed) -> None:
    """Insert the per-unit rows (inside the review's transaction)."""
    cols = ", ".join(UNIT_COLUMNS)
    for unit_sql in units.sql.values():
        con.execute(
            f"INSERT INTO review_units (review_id, {cols}) "
            f"SELECT {review_id}, {cols} FROM ({unit_sql})"
        )


def drop_unit_temporaries(store) -> None:
    for name in (UNIT_BASE_TABLE, UNIT_FIGURES_TABLE):
        store.con.execute(f"DROP TABLE IF EXISTS {name}")
