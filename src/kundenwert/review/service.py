"""Service levels (DOMAIN.md points 9 and 10): mapping, strategic floor, written commitment."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kundenwert.i18n import format_number, translate
from kundenwert.review.config import ReviewSettings
from kundenwert.review.service_config import ServiceSettings


def with_service_level(t: ir.Table, cfg: ReviewSettings) -> ir.Table:
    """Adds ``strategic``, ``service_level_mapped`` (the rules of ``review.service``) and
    ``service_level`` (strategic customers lifted to ``strategic_minimum``)."""
    svc = cfg.service
    strategic = ibis.literal(False)
    for i, rule in enumerate(svc.strategic):
        strategic = strategic | (t[f"strategic_{i}"] >= rule.at_least).fill_null(False)
    cases = [(t[column] == value, level) for column, value, level in svc.rules() if column]
    constant = [level for column, _, level in svc.rules() if column is None]
    mapped = ibis.cases(*cases, else_=constant[0] if constant else None)
    t = t.mutate(strategic=strategic, service_level_mapped=mapped)
    below = svc.below_floor()
    lifted = t.strategic & t.service_level_mapped.isin(below) if below else ibis.literal(False)
    return t.mutate(
        service_level=ibis.ifelse(lifted, svc.strategic_minimum, t.service_level_mapped)
    )


def mapping_sql(svc: ServiceSettings, columns: dict[str, str], strategic: str) -> str:
    """The same rules as SQL over ``columns`` ({snapshot column: SQL expression}), for the
    effective level after an override of class or quadrant (kundenwert.review.effective)."""
    whens = " ".join(
        f"WHEN {columns[column]} = '{value}' THEN '{level}'"
        for column, value, level in svc.rules()
        if column
    )
    constant = [level for column, _, level in svc.rules() if column is None]
    otherwise = f"'{constant[0]}'" if constant else "NULL"
    mapped = f"(CASE {whens} ELSE {otherwise} END)"
    below = svc.below_floor()
    if not below:
        return mapped
    listed = ", ".join(f"'{k}'" for k in below)
    return (
        f"(CASE WHEN {strategic} AND {mapped} IN ({listed}) "
        f"THEN '{svc.strategic_minimum}' ELSE {mapped} END)"
    )


_TEXT = {
    "intro": {
        "de": "Servicezusage für {name} ({customer_id}) — Servicelevel {level}:",
        "en": "Service commitment for {name} ({customer_id}) — service level {level}:",
    },
    "consultation.on_site": {"de": "Beratung bei Ihnen vor Ort", "en": "Consultation on site"},
    "consultation.office": {"de": "Beratung in unserem Haus", "en": "Consultation in our office"},
    "consultation.remote": {
        "de": "Beratung per Telefon/Video",
        "en": "Consultation by phone/video",
    },
    "callback.same_day": {"de": "Rückruf am selben Tag", "en": "Callback the same day"},
    "callback.next_day": {
        "de": "Rückruf am nächsten Werktag",
        "en": "Callback the next working day",
    },
    "callback.within_3_days": {
        "de": "Rückruf innerhalb von 3 Werktagen",
        "en": "Callback within 3 working days",
    },
    "contact.proactive": {"de": "Wir melden uns regelmäßig", "en": "We contact you regularly"},
    "contact.reactive": {"de": "Kontakt auf Ihre Anfrage", "en": "Contact on your request"},
    "yearly_check.guaranteed": {
        "de": "Garantierter jährlicher Maschinencheck",
        "en": "Guaranteed yearly machine check",
    },
    "yearly_check.on_request": {
        "de": "Jährlicher Maschinencheck auf Anfrage",
        "en": "Yearly machine check on request",
    },
    "events.invited": {"de": "Einladung zu unseren Veranstaltungen", "en": "Invitation to events"},
    "events.on_request": {"de": "Veranstaltungen auf Anfrage", "en": "Events on request"},
    "events.none": {"de": "Keine Veranstaltungseinladungen", "en": "No event invitations"},
    "newsletter.print": {"de": "Newsletter gedruckt", "en": "Printed newsletter"},
    "newsletter.email": {"de": "Newsletter per E-Mail", "en": "Newsletter by e-mail"},
    "newsletter.none": {"de": "Kein Newsletter", "en": "No newsletter"},
    "reachability": {"de": "Erreichbarkeit: {value}", "en": "Reachability: {value}"},
    "response": {
        "de": "Reaktionszeit: höchstens {value:g} Stunden",
        "en": "Response time: at most {value:g} hours",
    },
    "fixed_contact.True": {
        "de": "Fester persönlicher Ansprechpartner",
        "en": "A fixed personal contact",
    },
    "fixed_contact.False": {"de": "Service-Team als Ansprechpartner", "en": "Service team contact"},
    "goodwill": {
        "de": "Kulanzrahmen: bis {value} EUR pro Jahr",
        "en": "Goodwill budget: up to EUR {value} per year",
    },
}


def commitment(
    svc: ServiceSettings, level_key: str, *, customer_id: str, name: str, lang: str = "de"
) -> str:
    """The written service commitment for one customer, one line per dimension."""
    lv = svc.level(level_key)
    lines = [
        translate(
            _TEXT, "intro", lang, name=name, customer_id=customer_id, level=lv.label.get(lang)
        ),
        translate(_TEXT, f"consultation.{lv.consultation}", lang),
        translate(_TEXT, f"callback.{lv.callback}", lang),
        translate(_TEXT, f"contact.{lv.contact}", lang),
        translate(_TEXT, f"yearly_check.{lv.yearly_check}", lang),
        translate(_TEXT, f"events.{lv.events}", lang),
        translate(_TEXT, f"newsletter.{lv.newsletter}", lang),
        translate(_TEXT, "reachability", lang, value=lv.reachability),
        translate(_TEXT, "response", lang, value=lv.response_time_hours),
        translate(_TEXT, f"fixed_contact.{lv.fixed_contact}", lang),
        translate(_TEXT, "goodwill", lang, value=format_number(lv.goodwill_budget, lang)),
    ]
    return "\n- ".join(lines)
