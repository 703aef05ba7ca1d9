"""The alert rules, each defined once: its code, its name, its reason's text and the inputs it
needs besides the invoices.

The settings validate ``dynamics.alerts`` against :data:`ALERTS`, every output names an alert
by :data:`ALERT_NAMES`, :mod:`kundenwert.dynamics.alerts` writes the reason from
:data:`ALERT_REASONS`, and :func:`kundenwert.dynamics.context.skipped_rules` reads
:data:`ALERT_NEEDS` to tell which rules could not run. A new rule is added here and in the
masks of :func:`kundenwert.dynamics.alerts.alert_masks`, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from kundenwert.i18n import Catalogue

#: The inputs a rule may need, in the order their absence is reported (the first one missing
#: names the reason): a stored review, activities, activities with response times, surveys.
INPUTS = ("review", "activities", "response_times", "surveys")


@dataclass(frozen=True)
class AlertRule:
    name: dict[str, str]  # per language, as a page shows it
    reason: dict[str, str]  # per language, a template of the figures behind the alert
    needs: tuple[str, ...] = ()  # of INPUTS


RULES: dict[str, AlertRule] = {
    "rising_small": AlertRule(
        name={"de": "Kleiner Kunde wächst", "en": "Small customer growing"},
        reason={
            "de": "Kleiner Kunde wächst: Umsatz {growth} zum Vorjahr, 12 Monate {rev} € nach "
            "{prev} €; Verlauf {trajectory}, Phase {phase}.",
            "en": "Small customer growing: revenue {growth} on the year before, 12 months "
            "{rev} € after {prev} €; trajectory {trajectory}, phase {phase}.",
        },
        needs=("review",),
    ),
    "top_declining": AlertRule(
        name={"de": "Top-Kunde rückläufig", "en": "Top customer declining"},
        reason={
            "de": "Top-Kunde rückläufig: Umsatz {growth} zum Vorjahr, 12 Monate {rev} € nach "
            "{prev} €; Verlauf {trajectory}, Phase {phase}.",
            "en": "Top customer declining: revenue {growth} on the year before, 12 months "
            "{rev} € after {prev} €; trajectory {trajectory}, phase {phase}.",
        },
        needs=("review",),
    ),
    "top_silent": AlertRule(
        name={"de": "Top-Kunde still", "en": "Top customer silent"},
        reason={
            "de": "Top-Kunde still: seit {silent} Monaten kein Kauf, sonst alle {rhythm} Monate.",
            "en": "Top customer silent: no purchase for {silent} months, usually every {rhythm}.",
        },
        needs=("review",),
    ),
    "satisfaction_falling": AlertRule(
        name={"de": "Zufriedenheit sinkt", "en": "Satisfaction falling"},
        reason={
            "de": "Zufriedenheit sinkt: {sat_prev} → {sat}, Weiterempfehlung {rec_prev} → {rec}.",
            "en": "Satisfaction falling: {sat_prev} → {sat}, recommendation {rec_prev} → {rec}.",
        },
        needs=("review", "surveys"),
    ),
    "klette": AlertRule(
        name={"de": "Klettenkunde", "en": "Klette customer"},
        reason={
            "de": "Klettenkunde: seit {tenure} Monaten Kunde, Marge III = {share} der Marge II.",
            "en": "Klette customer: customer for {tenure} months, margin III = {share} of "
            "margin II.",
        },
    ),
    "response_time_missed": AlertRule(
        name={"de": "Reaktionszeit verfehlt", "en": "Response time missed"},
        reason={
            "de": "Reaktionszeit verfehlt: {late} von {requests} Anfragen später als {hours} h "
            "(Servicelevel {level}).",
            "en": "Response time missed: {late} of {requests} requests later than {hours} h "
            "(service level {level}).",
        },
        needs=("review", "activities", "response_times"),
    ),
    "yearly_check_missed": AlertRule(
        name={"de": "Jahrescheck fehlt", "en": "Yearly check missing"},
        reason={
            "de": "Jahrescheck fehlt: keine Aktivität {kinds} in 12 Monaten "
            "(Servicelevel {level}).",
            "en": "Yearly check missing: no {kinds} activity in 12 months (service level {level}).",
        },
        needs=("review", "activities"),
    ),
    "override_expiring": AlertRule(
        name={"de": "Ausnahme läuft aus", "en": "Override expiring"},
        reason={
            "de": "Ausnahme {field} = {value} endet am {until} ({reason}).",
            "en": "Override {field} = {value} ends on {until} ({reason}).",
        },
    ),
}

ALERTS: tuple[str, ...] = tuple(RULES)
ALERT_NAMES: Catalogue = {code: rule.name for code, rule in RULES.items()}
ALERT_REASONS: Catalogue = {code: rule.reason for code, rule in RULES.items()}
ALERT_NEEDS: dict[str, tuple[str, ...]] = {code: rule.needs for code, rule in RULES.items()}
