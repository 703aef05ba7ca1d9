"""The stable columns of the review export; docs/export-columns.md is generated from this list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "money", "int", "score", "share", "bool", "date"]


@dataclass(frozen=True)
class ExportColumn:
    name: str
    kind: Kind
    de: str  # header in the German workbook
    en: str  # header in the English workbook
    description: str


def _c(name: str, kind: Kind, de: str, en: str, description: str) -> ExportColumn:
    return ExportColumn(name, kind, de, en, description)


COLUMNS: tuple[ExportColumn, ...] = (
    _c("customer_id", "text", "Kundennr.", "Customer ID", "Customer number."),
    _c("name", "text", "Name", "Name", "Company name."),
    _c("business_unit", "text", "Geschäftsbereich", "Business unit", "Business unit (weights)."),
    _c("revenue", "money", "Umsatz", "Revenue", "Net revenue in the window."),
    _c("cogs", "money", "Wareneinsatz", "Cost of goods", "Cost of goods in the window."),
    _c("deductions", "money", "Erlösschmälerungen", "Deductions", "Customer deductions."),
    _c("margin_1", "money", "DB I", "Margin I", "revenue - cogs."),
    _c("margin_2", "money", "DB II", "Margin II", "margin_1 - deductions."),
    _c(
        "cost_to_serve",
        "money",
        "Betreuungskosten",
        "Cost to serve",
        "Cost of all care and service activities in the window (goodwill included).",
    ),
    _c(
        "goodwill_cost",
        "money",
        "Kulanzkosten",
        "Goodwill cost",
        "Part of cost_to_serve that was free goodwill (kind goodwill or free_of_charge).",
    ),
    _c("margin_3", "money", "DB III", "Margin III", "margin_2 - cost_to_serve."),
    _c(
        "care_exceeds_margin",
        "bool",
        "Betreuung > Ertrag",
        "Care exceeds margin",
        "True when cost_to_serve > 0 and margin_3 < 0.",
    ),
    _c(
        "margins_complete",
        "bool",
        "DB vollständig",
        "Margins complete",
        "False when a margin is built on a missing input: an invoice line with an amount but "
        "no cost of goods, or an activity with hours but no cost while "
        "review.margins.cost_per_hour is unset (both counted as 0).",
    ),
    _c(
        "uncosted_revenue",
        "money",
        "Umsatz ohne Wareneinsatz",
        "Revenue without cost of goods",
        "Revenue of the lines whose cost of goods is unknown (their margin I is overstated).",
    ),
    _c(
        "uncosted_activities",
        "int",
        "Aktivitäten ohne Kosten",
        "Activities without cost",
        "Activities with hours but no cost, counted as 0 (review.margins.cost_per_hour unset).",
    ),
    _c("activity_count", "int", "Aktivitäten", "Activities", "Activities in the window."),
    _c("abc_measure", "money", "ABC-Maß", "ABC measure", "The measure ranked (review.abc)."),
    _c(
        "abc_share_above",
        "share",
        "Kum. Anteil davor",
        "Cum. share above",
        "Cumulative share of the customers ranked above (0..1).",
    ),
    _c("abc_class", "text", "ABC (berechnet)", "ABC (computed)", "Computed ABC class."),
    _c("abc_class_effective", "text", "ABC", "ABC", "ABC class after overrides."),
    _c(
        "value_score",
        "score",
        "Kundenwert",
        "Value score",
        "Value score 0..100 over the known indicators (re-weighted); empty when less than "
        "review.scoring.minimum_coverage of the weight is known.",
    ),
    _c(
        "score_class",
        "text",
        "Kundenwert-Klasse",
        "Score class",
        "Class of the value score: high, medium, low (review.score_classes); empty without a "
        "score.",
    ),
    _c(
        "score_coverage",
        "share",
        "Kundenwert: bekannt",
        "Value score: known",
        "Share of the configured weight whose inputs are known (0..1); the known indicators' "
        "weights are divided by it.",
    ),
    _c(
        "potential",
        "score",
        "Potenzial",
        "Potential",
        "Future potential (ratings and blend: 0..100; forecast: money); empty when unknown.",
    ),
    _c(
        "potential_coverage",
        "share",
        "Potenzial: bekannt",
        "Potential: known",
        "Share of the potential's weight (its ratings and, in the blend, the forecast) that is "
        "known (0..1); 0: no potential.",
    ),
    _c(
        "potential_source",
        "text",
        "Potenzial aus",
        "Potential from",
        "Where this customer's potential came from: ratings, forecast, blend (both), or none "
        "(nothing known).",
    ),
    _c(
        "expected_purchases",
        "score",
        "Erw. Käufe",
        "Exp. purchases",
        "Forecast: expected purchases over the forecast horizon (empty without a forecast).",
    ),
    _c("p_alive", "share", "P(aktiv)", "P(alive)", "Forecast: probability of being alive."),
    _c(
        "expected_spend",
        "money",
        "Erw. Kaufwert",
        "Exp. spend",
        "Forecast: expected value of a purchase (Gamma-Gamma).",
    ),
    _c(
        "holdout_actual",
        "score",
        "Prüfung: Käufe ist",
        "Validation: actual purchases",
        "Purchases in the validation holdout before the as-of date (review.potential.holdout); "
        "empty for customers without a purchase before it.",
    ),
    _c(
        "holdout_predicted",
        "score",
        "Prüfung: Käufe prognostiziert",
        "Validation: predicted purchases",
        "The same, predicted by the forecast fitted up to the holdout's start; the difference "
        "to holdout_actual is the forecast's error for this customer.",
    ),
    _c(
        "clv",
        "money",
        "CLV",
        "CLV",
        "Forecast: customer lifetime value over the horizon (margin and discount rate of "
        "[forecast]).",
    ),
    _c(
        "quadrant",
        "text",
        "Quadrant (berechnet)",
        "Quadrant (computed)",
        "Computed quadrant key: top, development, small, premium.",
    ),
    _c("quadrant_effective", "text", "Quadrant", "Quadrant", "Quadrant key after overrides."),
    _c(
        "quadrant_label",
        "text",
        "Matrixfeld",
        "Matrix field",
        "Label of quadrant_effective in the export language.",
    ),
    _c(
        "strategic",
        "bool",
        "Strategisch (berechnet)",
        "Strategic (computed)",
        "Strategic or reference customer by the rating rules (review.service.strategic).",
    ),
    _c(
        "strategic_effective",
        "bool",
        "Strategisch",
        "Strategic",
        "Strategic after an override of the flag (set or ended with reason, author, expiry).",
    ),
    _c(
        "service_level",
        "text",
        "Servicelevel (berechnet)",
        "Service level (computed)",
        "Computed service level (strategic floor applied).",
    ),
    _c(
        "service_level_effective",
        "text",
        "Servicelevel",
        "Service level",
        "Service level after overrides.",
    ),
    _c(
        "purchase_note",
        "text",
        "Gekauft: Kostenteilung",
        "Purchased: cost sharing",
        "When the effective service level is one the customer buys: how the cost is shared.",
    ),
    _c(
        "override",
        "text",
        "Ausnahme",
        "Override",
        "Overrides of the customer: field=value (reason; author; until), or expired ones.",
    ),
    _c("override_status", "text", "Ausnahme-Status", "Override status", "active or expired."),
    _c("override_reason", "text", "Ausnahme-Grund", "Override reason", "Reason(s)."),
    _c("override_by", "text", "Ausnahme von", "Override by", "Author(s)."),
    _c("override_until", "date", "Ausnahme bis", "Override until", "Earliest expiry date."),
)

CONTRIBUTION_PREFIX = "contribution_"


def column_names(indicators: list[str]) -> list[str]:
    return [c.name for c in COLUMNS] + [f"{CONTRIBUTION_PREFIX}{n}" for n in indicators]


def export_columns_markdown() -> str:
    lines = [
        "# Export columns of a review",
        "",
        "<!-- Generated from src/kundenwert/review/columns.py; a test checks it matches. -->",
        "",
        "`kundenwert export` writes one row per customer, sorted by the ABC measure "
        "(descending, ties by customer id). CSV and Parquet use the column names below; the "
        "xlsx customer sheet uses the German (or English) header. Money columns are exact "
        "decimals with four places in CSV and Parquet and are shown with two in the workbook.",
        "",
        "| column | type | header (de) | header (en) | meaning |",
        "|---|---|---|---|---|",
    ]
    for c in COLUMNS:
        lines.append(f"| `{c.name}` | {c.kind} | {c.de} | {c.en} | {c.description} |")
    lines.append(
        f"| `{CONTRIBUTION_PREFIX}<indicator>` | score | Beitrag <Indikator> | "
        "Contribution <indicator> | One column per score indicator, in configuration order: "
        "the indicator's contribution; these add up to value_score. |"
    )
    return "\n".join(lines) + "\n"
