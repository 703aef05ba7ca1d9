"""Column headers, kinds and value words of every table shown to people.

The review's stable export columns carry their headers in :mod:`kundenwert.review.columns`;
this module adds the other columns people see (master data, dynamics, totals) and the words of
coded values (quadrants, service levels, trajectory types, phases, alerts), for the CLI's
tables, the list files and the workbook's sheets alike.
"""

from __future__ import annotations

from functools import cache

#: Headers of the columns the export's catalogue (review/columns.py) does not name.
HEADERS = {
    "account_manager": {"de": "Kundenbetreuer", "en": "Account manager"},
    "city": {"de": "Ort", "en": "City"},
    "industry": {"de": "Branche", "en": "Industry"},
    "country": {"de": "Land", "en": "Country"},
    "trajectory": {"de": "Verlaufstyp", "en": "Trajectory"},
    "confidence": {"de": "Sicherheit", "en": "Confidence"},
    "phase": {"de": "Phase", "en": "Phase"},
    "evidence": {"de": "Begründung", "en": "Evidence"},
    "alerts": {"de": "Warnungen", "en": "Alerts"},
    "customers": {"de": "Kunden", "en": "Customers"},
    "flagged": {"de": "Betreuung > Ertrag", "en": "Care exceeds margin"},
    "overridden": {"de": "Mit Ausnahme", "en": "With override"},
    "figure": {"de": "Kennzahl", "en": "Figure"},
    "class_from": {"de": "Klasse vorher", "en": "Class before"},
    "class_to": {"de": "Klasse nachher", "en": "Class after"},
    "quadrant_from": {"de": "Quadrant vorher", "en": "Quadrant before"},
    "quadrant_to": {"de": "Quadrant nachher", "en": "Quadrant after"},
    "score_from": {"de": "Kundenwert vorher", "en": "Value score before"},
    "score_to": {"de": "Kundenwert nachher", "en": "Value score after"},
    "score_change": {"de": "Änderung Kundenwert", "en": "Change of value score"},
    "revenue_from": {"de": "Umsatz vorher", "en": "Revenue before"},
    "revenue_to": {"de": "Umsatz nachher", "en": "Revenue after"},
    "revenue_change": {"de": "Änderung Umsatz", "en": "Change of revenue"},
    "date": {"de": "Datum", "en": "Date"},
    "satisfaction": {"de": "Zufriedenheit", "en": "Satisfaction"},
    "satisfaction_change": {"de": "Änderung Zufriedenheit", "en": "Change of satisfaction"},
    "recommend": {"de": "Weiterempfehlung", "en": "Would recommend"},
    "recommend_change": {"de": "Änderung Weiterempfehlung", "en": "Change of recommendation"},
    "why_chosen": {"de": "Warum gewählt", "en": "Why chosen"},
    "early_hesitation": {"de": "Anfängliches Zögern", "en": "Early hesitation"},
    "would_miss": {"de": "Was fehlen würde", "en": "Would miss"},
    "would_recommend_to": {"de": "Empfehlen an", "en": "Would recommend to"},
    "comment": {"de": "Kommentar", "en": "Comment"},
    "owner": {"de": "Betreuer", "en": "Account manager"},
    "alert": {"de": "Warnung", "en": "Alert"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "stake": {"de": "Betrag im Spiel", "en": "Money at stake"},
    "label": {"de": "Schritt", "en": "Step"},
    "due": {"de": "Fällig", "en": "Due"},
    "because": {"de": "Weil", "en": "Because"},
    # The trajectory's change a year (its trend), not the last 12 months on the 12 before,
    # which the two revenue columns beside it show; margin_share is DB III over DB II.
    "yearly_change": {"de": "Wertänderung pro Jahr (Verlauf)", "en": "Value change a year (trend)"},
    "margin_share": {
        "de": "DB III je DB II (12 Monate)",
        "en": "Margin III per margin II (12 months)",
    },
    "revenue_12m": {"de": "Umsatz 12 Monate", "en": "Revenue 12 months"},
    "revenue_prev_12m": {"de": "Umsatz 12 Monate davor", "en": "Revenue 12 months before"},
    "silent_months": {"de": "Monate ohne Kauf", "en": "Months without purchase"},
    "rhythm_months": {"de": "Kaufrhythmus (Monate)", "en": "Purchase rhythm (months)"},
    "value": {"de": "Wert", "en": "Value"},
    # The review per business unit (kundenwert.reads.units).
    "home": {"de": "Eigener Bereich", "en": "Own unit"},
    "units": {"de": "Bereiche des Kunden", "en": "Units serving the customer"},
    "shared_customers": {"de": "Kunden mit weiteren Bereichen", "en": "Shared with other units"},
    "company_value_score": {"de": "Kundenwert Unternehmen", "en": "Value score (company)"},
    "company_score_class": {
        "de": "Kundenwert-Klasse Unternehmen",
        "en": "Value score class (company)",
    },
    "company_abc_class": {"de": "ABC Unternehmen", "en": "ABC (company)"},
    "company_quadrant": {"de": "Quadrant Unternehmen", "en": "Quadrant (company)"},
    "company_service_level": {"de": "Servicelevel Unternehmen", "en": "Service level (company)"},
    "company_revenue": {"de": "Umsatz Unternehmen", "en": "Revenue (company)"},
    "class_a": {"de": "Klasse A", "en": "Class A"},
    "class_b": {"de": "Klasse B", "en": "Class B"},
    "class_c": {"de": "Klasse C", "en": "Class C"},
    "top": {"de": "Topkunden", "en": "Top customers"},
    "development": {"de": "Entwicklungskunden", "en": "Development customers"},
    "premium": {"de": "Premiumkunden", "en": "Premium customers"},
    "small": {"de": "Kleinkunden", "en": "Small customers"},
}
#: Kinds of those columns (the others' kinds are in review/columns.py).
KINDS = {"confidence": "share", "customers": "int", "flagged": "int", "strategic": "int",
         "overridden": "int", "stake": "money", "due": "date", "yearly_change": "share",
         "margin_share": "share", "revenue_12m": "money", "revenue_prev_12m": "money",
         "silent_months": "score", "rhythm_months": "score", "p_alive": "share",
         "revenue_from": "money", "revenue_to": "money", "revenue_change": "money",
         "score_from": "score", "score_to": "score", "score_change": "score",
         "home": "bool", "units": "int", "shared_customers": "int",
         "company_value_score": "score", "company_revenue": "money", "class_a": "int",
         "class_b": "int", "class_c": "int", "top": "int", "development": "int",
         "premium": "int", "small": "int"}  # fmt: skip


@cache
def _catalogue() -> dict[str, tuple[str, dict[str, str]]]:
    from kundenwert.review.columns import COLUMNS

    out: dict[str, tuple[str, dict[str, str]]] = {
        c.name: (c.kind, {"de": c.de, "en": c.en}) for c in COLUMNS
    }
    for name, words in HEADERS.items():
        out.setdefault(name, (KINDS.get(name, "text"), words))
    for name, kind in KINDS.items():
        out[name] = (kind, out[name][1])
    return out


#: A score indicator's contribution column: "contribution_<indicator>".
CONTRIBUTION = "contribution_"
_CONTRIBUTION_WORD = {"de": "Beitrag", "en": "Contribution"}


def header_of(column: str, lang: str, names: dict | None = None) -> str:
    """A column's header in ``lang``; a contribution column by its indicator's label (from
    ``names["indicator"]``, see :func:`value_names`); an unknown column by its name."""
    known = _catalogue().get(column)
    if known:
        return known[1].get(lang, known[1]["de"])
    if column.startswith(CONTRIBUTION):
        indicator = column.removeprefix(CONTRIBUTION)
        label = (names or {}).get("indicator", {}).get(indicator, indicator)
        return f"{_CONTRIBUTION_WORD.get(lang, 'Beitrag')} {label}"
    return column


def kind_of(column: str) -> str:
    if column.startswith(CONTRIBUTION):
        return "score"
    known = _catalogue().get(column)
    return known[0] if known else "text"


#: Words of codes that no setting names: activity kinds, override fields and actions.
FIXED_WORDS = {
    "kind": {
        "visit": {"de": "Besuch", "en": "Visit"},
        "call": {"de": "Anruf", "en": "Call"},
        "ticket": {"de": "Ticket", "en": "Ticket"},
        "service": {"de": "Service", "en": "Service"},
        "goodwill": {"de": "Kulanz", "en": "Goodwill"},
        "event": {"de": "Veranstaltung", "en": "Event"},
        "newsletter": {"de": "Rundschreiben", "en": "Newsletter"},
        "other": {"de": "Sonstiges", "en": "Other"},
    },
    "initiated_by": {
        "customer": {"de": "Kunde", "en": "customer"},
        "company": {"de": "wir", "en": "we"},
    },
    "field": {
        "service_level": {"de": "Servicelevel", "en": "Service level"},
        "quadrant": {"de": "Quadrant", "en": "Quadrant"},
        "abc_class": {"de": "ABC-Klasse", "en": "ABC class"},
    },
    "override_status": {
        "active": {"de": "aktiv", "en": "active"},
        "expired": {"de": "abgelaufen", "en": "expired"},
        "ended": {"de": "beendet", "en": "ended"},
    },
    "action": {
        "set": {"de": "gesetzt", "en": "set"},
        "replace": {"de": "ersetzt", "en": "replaced"},
        "end": {"de": "beendet", "en": "ended"},
    },
}


#: The business unit of lines and customers that name none (stored as "").
NO_UNIT_WORDS = {"de": "(ohne Geschäftsbereich)", "en": "(no business unit)"}


def value_names(review_settings, lang: str) -> dict[str, dict[str, str]]:
    """Codes in words per column: quadrants and service levels (as configured), trajectory
    types, phases and alerts."""
    from kundenwert.dynamics.labels import ALERT_NAMES, PHASE_NAMES, TRAJECTORY_NAMES

    def named(catalogue) -> dict[str, str]:
        return {k: v.get(lang) or v["de"] for k, v in catalogue.items()}

    quadrants = {k: v.get(lang) for k, v in review_settings.matrix.labels.items()}
    levels = {lv.key: lv.label.get(lang) for lv in review_settings.service.levels}
    score_classes = {
        k: label.get(lang) for k, label in review_settings.score_classes.labels.items()
    }
    indicators = {
        name: ind.label.get(lang) if ind.label else name
        for name, ind in review_settings.scoring.indicators.items()
    }
    return {
        **{
            column: {k: v[lang if lang in ("de", "en") else "de"] for k, v in words.items()}
            for column, words in FIXED_WORDS.items()
        },
        "indicator": indicators,
        "quadrant": quadrants,
        "quadrant_effective": quadrants,
        "company_quadrant": quadrants,
        "service_level": levels,
        "service_level_effective": levels,
        "company_service_level": levels,
        "score_class": score_classes,
        "company_score_class": score_classes,
        "business_unit": {"": NO_UNIT_WORDS.get(lang, NO_UNIT_WORDS["de"])},
        "trajectory": named(TRAJECTORY_NAMES),
        "phase": named(PHASE_NAMES),
        "alerts": named(ALERT_NAMES),
        "alert": named(ALERT_NAMES),
    }
