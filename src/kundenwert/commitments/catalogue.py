"""Which commitments a service level promises, and the words for them.

A commitment is measured only where the level promises it (the service catalogue,
:mod:`kundenwert.review.service_config`):

========== ============================== ===============================================
key        promised when                  an occasion and when it is kept
========== ============================== ===============================================
callback   always (same_day, next_day,    a request of the customer (initiated_by
           within_3_days)                 customer, kind in ``callback_kinds``, a request
                                          time): answered on the same day, by the end of
                                          the next working day or of the third
contact    contact = proactive            a period of ``contact_every_months``: at least one
                                          contact we started (initiated_by company, kind in
                                          ``contact_kinds``)
yearly_    yearly_check = guaranteed      a period of 12 months: at least one activity of
check                                     ``check_kinds``
response_  always                         a request (request time): answered within
time                                      ``response_time_hours``
goodwill   always                         the window: goodwill cost (kind goodwill or free of
                                          charge) within the budget for the window
events     events = invited               a period of ``events_every_months``: an invitation
                                          (kind event)
newsletter newsletter = print or email    a period of ``newsletter_every_months``: an issue
                                          (kind newsletter)
========== ============================== ===============================================
"""

from __future__ import annotations

from dataclasses import dataclass

from kundenwert.i18n import Catalogue
from kundenwert.review.service_config import ServiceLevel

#: The commitments in the order every view shows them.
COMMITMENTS = (
    "callback",
    "contact",
    "yearly_check",
    "response_time",
    "goodwill",
    "events",
    "newsletter",
)
#: Measured in periods counted back from the as-of date (at least one matching activity each).
RHYTHMS = ("contact", "yearly_check", "events", "newsletter")
#: Measured per request of the customer.
REQUESTS = ("callback", "response_time")
#: Working days a callback promise allows after the day of the request.
CALLBACK_DAYS = {"same_day": 0, "next_day": 1, "within_3_days": 3}

#: Status of one commitment of one customer (or one level).
STATUSES = ("measured", "nothing_due", "missing_input", "not_promised")


@dataclass(frozen=True)
class Promise:
    """What a level promises on one commitment: its code (e.g. ``next_day``) and, for a
    rhythm, the period in months; ``None`` when the level does not promise it."""

    code: str
    every_months: int | None = None


def promises(level: ServiceLevel) -> dict[str, Promise | None]:
    """The level's promise per commitment (None: not promised, not measured)."""
    return {
        "callback": Promise(level.callback),
        "contact": Promise("proactive", level.contact_every_months)
        if level.contact == "proactive"
        else None,
        "yearly_check": Promise("guaranteed", 12) if level.yearly_check == "guaranteed" else None,
        "response_time": Promise(f"{level.response_time_hours:g}h"),
        "goodwill": Promise("budget"),
        "events": Promise("invited", level.events_every_months)
        if level.events == "invited"
        else None,
        "newsletter": Promise(level.newsletter, level.newsletter_every_months)
        if level.newsletter != "none"
        else None,
    }


NAMES: Catalogue = {
    "callback": {"de": "Rückruf", "en": "Callback"},
    "contact": {"de": "Proaktiver Kontakt", "en": "Proactive contact"},
    "yearly_check": {"de": "Jahrescheck", "en": "Yearly check"},
    "response_time": {"de": "Reaktionszeit", "en": "Response time"},
    "goodwill": {"de": "Kulanzrahmen", "en": "Goodwill budget"},
    "events": {"de": "Veranstaltungseinladungen", "en": "Event invitations"},
    "newsletter": {"de": "Newsletter", "en": "Newsletter"},
    # Survey dimensions that are no measured commitment.
    "consultation": {"de": "Beratung", "en": "Consultation"},
    "reachability": {"de": "Erreichbarkeit", "en": "Reachability"},
    "fixed_contact": {"de": "Fester Ansprechpartner", "en": "Fixed contact"},
}

STATUS_WORDS: Catalogue = {
    "measured": {"de": "gemessen", "en": "measured"},
    "nothing_due": {"de": "nichts fällig", "en": "nothing due"},
    "missing_input": {"de": "nicht messbar", "en": "not measurable"},
    "not_promised": {"de": "nicht zugesagt", "en": "not promised"},
}

#: Why a commitment cannot be measured: the input that is missing, in words (pages, sheets
#: and tables name no column; the JSON adds :data:`MISSING_COLUMNS`).
MISSING: Catalogue = {
    "initiator": {
        "de": "Es fehlt bei den Aktivitäten, wer den Kontakt begonnen hat (Kunde oder wir).",
        "en": "The activities lack who started the contact (the customer or we).",
    },
    "request_times": {
        "de": "Es fehlt bei den Aktivitäten, wann eine Anfrage kam und wann sie beantwortet wurde.",
        "en": "The activities lack when a request came and when it was answered.",
    },
    "initiator_and_request_times": {
        "de": "Es fehlt bei den Aktivitäten, wer den Kontakt begonnen hat und wann eine Anfrage "
        "kam und beantwortet wurde.",
        "en": "The activities lack who started the contact and when a request came and was "
        "answered.",
    },
    "activities": {
        "de": "Es wurden nie Aktivitäten importiert.",
        "en": "No activities were ever imported.",
    },
    "event_activities": {
        "de": "Es fehlen Veranstaltungseinladungen (Aktivitäten der Art Veranstaltung).",
        "en": "Event invitations are missing (activities of the kind event).",
    },
    "newsletter_activities": {
        "de": "Es fehlt der Newsletter-Versand (Aktivitäten der Art Rundschreiben).",
        "en": "Newsletter mailings are missing (activities of the kind newsletter).",
    },
    "goodwill_activities": {
        "de": "Es fehlen Kulanzleistungen (Aktivitäten der Art Kulanz oder kostenlos erbracht).",
        "en": "Goodwill is missing (activities of the kind goodwill or free of charge).",
    },
    "goodwill_cost": {
        "de": "Es fehlen die Kosten einer Kulanzleistung.",
        "en": "The cost of a goodwill activity is missing.",
    },
    "short_window": {
        "de": "Das Zeitfenster ist kürzer als der Rhythmus der Zusage.",
        "en": "The window is shorter than the commitment's rhythm.",
    },
}
#: The input columns each missing input names (docs/data-format.md).
MISSING_COLUMNS = {
    "initiator": ["activities.initiated_by"],
    "request_times": ["activities.requested_at", "activities.responded_at"],
    "initiator_and_request_times": [
        "activities.initiated_by",
        "activities.requested_at",
        "activities.responded_at",
    ],
    "activities": ["activities"],
    "event_activities": ["activities.kind"],
    "newsletter_activities": ["activities.kind"],
    "goodwill_activities": ["activities.kind", "activities.free_of_charge", "activities.cost"],
    "goodwill_cost": ["activities.cost"],
    "short_window": [],
}

PROMISE_WORDS: Catalogue = {
    "same_day": {"de": "am selben Tag", "en": "the same day"},
    "next_day": {"de": "am nächsten Werktag", "en": "the next working day"},
    "within_3_days": {"de": "binnen 3 Werktagen", "en": "within 3 working days"},
    "proactive": {"de": "alle {every} Monate", "en": "every {every} months"},
    "guaranteed": {"de": "jährlich garantiert", "en": "guaranteed yearly"},
    "budget": {"de": "bis {budget} im Jahr", "en": "up to {budget} a year"},
    "invited": {"de": "Einladung alle {every} Monate", "en": "invitation every {every} months"},
    "print": {"de": "gedruckt alle {every} Monate", "en": "printed every {every} months"},
    "email": {"de": "per E-Mail alle {every} Monate", "en": "by e-mail every {every} months"},
    "hours": {"de": "höchstens {hours} Stunden", "en": "at most {hours} hours"},
}

#: Importance-performance quadrants (Martilla and James): importance and performance each
#: high at 5 or more on the 0–10 scale.
IPA_QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")
IPA_WORDS: Catalogue = {
    "concentrate": {"de": "Hier ansetzen", "en": "Concentrate here"},
    "keep_up": {"de": "Weiter so", "en": "Keep up the good work"},
    "low_priority": {"de": "Geringe Priorität", "en": "Low priority"},
    "overkill": {"de": "Möglicher Überaufwand", "en": "Possible overkill"},
}
#: Importance or performance at or above this (0–10 scale) is high.
IPA_SPLIT = 5.0

#: Headers of the commitment tables (CLI, workbook, pages): words, never codes.
HEADERS: Catalogue = {
    "customer_id": {"de": "Kunde", "en": "Customer"},
    "name": {"de": "Name", "en": "Name"},
    "account_manager": {"de": "Kundenbetreuer", "en": "Account manager"},
    "service_level": {"de": "Servicelevel", "en": "Service level"},
    "quadrant": {"de": "Matrixfeld", "en": "Matrix field"},
    "segment": {"de": "Segment", "en": "Segment"},
    "commitment": {"de": "Zusage", "en": "Commitment"},
    "promise": {"de": "Versprochen", "en": "Promised"},
    "customers": {"de": "Kunden", "en": "Customers"},
    "measured": {"de": "Kunden gemessen", "en": "Customers measured"},
    "due": {"de": "Fällig", "en": "Due"},
    "kept": {"de": "Eingehalten", "en": "Kept"},
    "share": {"de": "Anteil eingehalten", "en": "Share kept"},
    "status": {"de": "Stand", "en": "Status"},
    "missing": {"de": "Was fehlt", "en": "What is missing"},
    "goodwill_cost": {"de": "Kulanzkosten", "en": "Goodwill cost"},
    "goodwill_budget": {"de": "Kulanzrahmen", "en": "Goodwill budget"},
    "dimension": {"de": "Dimension", "en": "Dimension"},
    "date": {"de": "Befragt am", "en": "Answered on"},
    "importance": {"de": "Wichtigkeit", "en": "Importance"},
    "performance": {"de": "Leistung", "en": "Performance"},
    "gap": {"de": "Lücke (Wichtigkeit − Leistung)", "en": "Gap (importance − performance)"},
    "ipa": {"de": "Einordnung", "en": "Assessment"},
    "adherence": {"de": "Eingehalten (gemessen)", "en": "Kept (measured)"},
}
