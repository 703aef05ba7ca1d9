"""What a review must say before anyone acts on it: gaps in its inputs, in words.

Each finding is a key with its figures (stored nowhere: recomputed from the snapshot when a
review is summarised or read), so the CLI summary, ``--json`` and the workbook's overview
say the same thing, each in its language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundenwert.formatting import percent
from kundenwert.i18n import format_number, translate

_TEXT = {
    "margins_incomplete": {
        "de": "Deckungsbeiträge unvollständig bei {customers} Kunden: nur {share} des Umsatzes "
        "hat vollständige Deckungsbeiträge ({lines} € Umsatz ohne Wareneinsatz; "
        "{activities} Aktivitäten mit Stunden, aber ohne Kosten).",
        "en": "Margins incomplete for {customers} customers: only {share} of the revenue has "
        "complete margins (EUR {lines} revenue without cost of goods; {activities} activities "
        "with hours but no cost).",
    },
    "cost_per_hour": {
        "de": "review.margins.cost_per_hour ist nicht gesetzt: Aktivitäten mit Stunden, aber "
        "ohne Kosten zählen 0 € (Kosten je Stunde in kundenwert.toml festlegen).",
        "en": "review.margins.cost_per_hour is not set: activities with hours but no cost count "
        "EUR 0 (set the cost per hour in kundenwert.toml).",
    },
    "no_score": {
        "de": "{customers} Kunden ohne Kundenwert: weniger als {minimum} der gewichteten Angaben "
        "bekannt (fehlende Bewertungen zählen nicht mehr neutral).",
        "en": "{customers} customers without a value score: less than {minimum} of the weighted "
        "inputs known (missing ratings no longer count as neutral).",
    },
    "potential_part_unknown": {
        "de": "Das Potenzial beruht allein auf den übrigen Angaben: {parts} für keinen Kunden "
        "bekannt.",
        "en": "The potential rests on the other inputs alone: {parts} known for no customer.",
    },
    "clv": {"de": "Prognose (Kundenlebenswert)", "en": "forecast (lifetime value)"},
    "axis_without_information": {
        "de": "Die Achse {axis} der Matrix trägt keine Information ({reason}); sie wird nicht "
        "geteilt, alle Kunden stehen auf der niedrigen Seite.",
        "en": "The matrix axis {axis} carries no information ({reason}); it is not split, every "
        "customer is on its low side.",
    },
    "reason.unknown": {
        "de": "für keinen Kunden bekannt",
        "en": "known for no customer",
    },
    "reason.constant": {
        "de": "derselbe Wert für alle Kunden",
        "en": "the same value for every customer",
    },
    "axis.x": {"de": "Umsatz (x)", "en": "revenue (x)"},
    "axis.y": {"de": "Potenzial (y)", "en": "potential (y)"},
}


def review_findings(con, review_id: int, splits: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of a stored review: each ``{"key": ..., **figures}``."""
    row = con.execute(
        """
        SELECT count(margins_complete),
               count(*) FILTER (WHERE NOT margins_complete),
               sum(greatest(revenue, 0)) FILTER (WHERE margins_complete),
               sum(greatest(revenue, 0)),
               coalesce(sum(uncosted_revenue), 0),
               coalesce(sum(uncosted_activities), 0)
        FROM review_customers WHERE review_id = ?
        """,
        [review_id],
    ).fetchone()
    known, incomplete, complete_revenue, revenue, uncosted, activities = row
    out: list[dict[str, Any]] = []
    if known and incomplete:
        share = float((complete_revenue or 0) / revenue) if revenue else None
        out.append(
            {
                "key": "margins_incomplete",
                "customers": int(incomplete),
                "complete_revenue_share": share,
                "uncosted_revenue": str(uncosted or Decimal(0)),
                "uncosted_activities": int(activities),
            }
        )
    if activities:
        out.append({"key": "cost_per_hour"})
    unscored = con.execute(
        "SELECT count(*) FILTER (WHERE value_score IS NULL AND score_coverage IS NOT NULL) "
        "FROM review_customers WHERE review_id = ?",
        [review_id],
    ).fetchone()[0]
    if unscored:
        minimum = splits.get("minimum_coverage")
        out.append({"key": "no_score", "customers": int(unscored), "minimum": minimum})
    out.extend(splits.get("findings", []))
    return out


def complete_revenue_share(con, review_id: int) -> float | None:
    """Share of the (positive) revenue whose margins are complete; None for older reviews."""
    known, complete, revenue = con.execute(
        "SELECT count(margins_complete), "
        "sum(greatest(revenue, 0)) FILTER (WHERE margins_complete), sum(greatest(revenue, 0)) "
        "FROM review_customers WHERE review_id = ?",
        [review_id],
    ).fetchone()
    if not known:
        return None
    return float((complete or 0) / revenue) if revenue else None


def finding_text(
    finding: dict[str, Any], lang: str = "de", labels: dict[str, str] | None = None
) -> str:
    """One finding as a sentence in ``lang``; ``labels`` names the indicators."""
    key = finding["key"]
    if key == "potential_part_unknown":
        names = [
            translate(_TEXT, "clv", lang) if n == "clv" else (labels or {}).get(n, n)
            for n in finding["parts"]
        ]
        return translate(_TEXT, key, lang, parts=", ".join(names))
    if key == "margins_incomplete":
        return translate(
            _TEXT,
            key,
            lang,
            customers=format_number(finding["customers"], lang),
            share=percent(finding["complete_revenue_share"], lang, 1),
            lines=format_number(float(finding["uncosted_revenue"]), lang, 2),
            activities=format_number(finding["uncosted_activities"], lang),
        )
    if key == "no_score":
        return translate(
            _TEXT,
            key,
            lang,
            customers=format_number(finding["customers"], lang),
            minimum=percent(finding["minimum"], lang, 1),
        )
    if key == "axis_without_information":
        return translate(
            _TEXT,
            key,
            lang,
            axis=translate(_TEXT, f"axis.{finding['axis']}", lang),
            reason=translate(_TEXT, f"reason.{finding['reason']}", lang),
        )
    return translate(_TEXT, key, lang)
