"""German and English text of contacts, coverage and chains."""

from __future__ import annotations

from kundenwert.i18n import Catalogue, translate

ROLES: Catalogue = {
    "decision_maker": {"de": "Entscheider", "en": "Decision maker"},
    "influencer": {"de": "Einflussnehmer", "en": "Influencer"},
    "buyer": {"de": "Einkauf", "en": "Buyer"},
    "user": {"de": "Anwender", "en": "User"},
    "technician": {"de": "Technik", "en": "Technician"},
    "management": {"de": "Geschäftsleitung", "en": "Management"},
    "other": {"de": "Sonstige", "en": "Other"},
}

ACTORS: Catalogue = {
    "supplier": {"de": "Lieferant", "en": "Supplier"},
    "manufacturer": {"de": "Hersteller (wir)", "en": "Manufacturer (us)"},
    "trade": {"de": "Handel", "en": "Trade"},
    "customer": {"de": "Kunde", "en": "Customer"},
    "user": {"de": "Nutzer", "en": "User"},
    "customers_customer": {"de": "Kunde des Kunden", "en": "Customer's customer"},
    "other": {"de": "Weiterer Akteur", "en": "Other actor"},
}

ALERTS: Catalogue = {
    "single_contact": {
        "de": "Schlüsselkunde hängt an einer Person",
        "en": "Key customer hangs on one person",
    },
    "no_decision_maker": {
        "de": "Kein Entscheider in {months} Monaten gesprochen",
        "en": "No decision maker contacted in {months} months",
    },
    "no_recent_contact": {
        "de": "Mit niemandem in {months} Monaten gesprochen",
        "en": "Nobody contacted in {months} months",
    },
    "no_contacts": {
        "de": "Schlüsselkunde ohne bekannte Ansprechpartner",
        "en": "Key customer without known contacts",
    },
}

LABELS: Catalogue = {
    "customer_id": {"de": "Kunde", "en": "Customer"},
    "customer_name": {"de": "Name", "en": "Name"},
    "abc_class": {"de": "Klasse", "en": "Class"},
    "value": {"de": "Kundenwert (ABC-Maß)", "en": "Customer value (ABC measure)"},
    "contacts": {"de": "Ansprechpartner", "en": "Contacts"},
    "active": {"de": "aktiv", "en": "active"},
    "contacted": {"de": "gesprochen", "en": "contacted"},
    "not_contacted": {"de": "ohne Kontakt", "en": "no contact"},
    "roles_known": {"de": "Rollen bekannt", "en": "Roles known"},
    "roles_missing": {"de": "Rollen fehlen", "en": "Roles missing"},
    "last_contact": {"de": "Letzter Kontakt", "en": "Last contact"},
    "alert": {"de": "Warnung", "en": "Alert"},
    "name": {"de": "Name", "en": "Name"},
    "role": {"de": "Rolle", "en": "Role"},
    "department": {"de": "Abteilung", "en": "Department"},
    "activities": {"de": "Kontakte im Zeitraum", "en": "Contacts in period"},
    "coverage_title": {
        "de": "Kontaktabdeckung (letzte {months} Monate bis {as_of})",
        "en": "Contact coverage (last {months} months to {as_of})",
    },
    "alerts_title": {"de": "Warnungen nach Wert", "en": "Alerts by value"},
    "no_alerts": {"de": "Keine Warnungen.", "en": "No alerts."},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "chain": {"de": "Problemlösekette", "en": "Problem-solving chain"},
    "chains": {"de": "Problemlöseketten", "en": "Problem-solving chains"},
    "focus": {"de": "Fokus", "en": "Focus"},
    "focus_kind": {"de": "Art des Fokus", "en": "Kind of focus"},
    "reasons": {"de": "Gründe", "en": "Reasons"},
    "concerns": {"de": "Betroffene Kunden", "en": "Customers concerned"},
    "actor": {"de": "Akteur", "en": "Actor"},
    "kind": {"de": "Art", "en": "Kind"},
    "size": {"de": "Größe", "en": "Size"},
    "importance": {"de": "Bedeutung", "en": "Importance"},
    "competitive_position": {"de": "Stellung im Wettbewerb", "en": "Competitive position"},
    "number": {"de": "Anzahl", "en": "Number"},
    "relationship": {"de": "Geschäftsbeziehung zu uns", "en": "Business relationship"},
    "success_factors": {"de": "Erfolgsfaktoren", "en": "Success factors"},
    "persons": {"de": "Personen", "en": "Persons"},
    "direct_contact": {"de": "Direkter Kontakt", "en": "Direct contact"},
    "activities_planned": {"de": "Geplante Aktivitäten", "en": "Planned activities"},
    "owner": {"de": "Verantwortlich", "en": "Owner"},
    "due": {"de": "Fällig", "en": "Due"},
    "what": {"de": "Was", "en": "What"},
    "version": {"de": "Version", "en": "Version"},
    "changed_by": {"de": "Geändert von", "en": "Changed by"},
    "changed_at": {"de": "Geändert am", "en": "Changed at"},
    "reason": {"de": "Grund", "en": "Reason"},
    "action": {"de": "Änderung", "en": "Change"},
    "title": {"de": "Titel", "en": "Title"},
    "actors": {"de": "Akteure", "en": "Actors"},
    "edit_chain": {"de": "Kette bearbeiten", "en": "Edit chain"},
    "delete_chain": {"de": "Kette löschen", "en": "Delete chain"},
    "new_chain": {"de": "Neue Kette", "en": "New chain"},
}

FOCUS_KINDS: Catalogue = {
    "customer_type": {"de": "Kundentyp", "en": "Customer type"},
    "product": {"de": "Produkt", "en": "Product"},
    "service": {"de": "Leistung", "en": "Service"},
}

ACTIONS: Catalogue = {
    "create": {"de": "angelegt", "en": "created"},
    "edit": {"de": "geändert", "en": "edited"},
    "delete": {"de": "gelöscht", "en": "deleted"},
    "erase": {"de": "Person gelöscht (DSGVO)", "en": "person erased (GDPR)"},
}

TEXT: Catalogue = {
    "erase_needs": {
        "de": "Zum Löschen einer Person braucht es ihre Kontaktnummer, Ihren Namen und einen "
        "Grund.",
        "en": "Erasing a person needs their contact id, a name and a reason.",
    },
    "erase_needs_hint": {
        "de": "Geben Sie --by und --reason an.",
        "en": "Pass --by and --reason.",
    },
    "already_erased": {
        "de": "Die Person {id} wurde bereits gelöscht.",
        "en": "The person {id} was already erased.",
    },
    "contact_unknown": {
        "de": "Einen Ansprechpartner {id} gibt es nicht (weder in contacts noch in Aktivitäten "
        "oder abgewiesenen Zeilen).",
        "en": "There is no contact {id} (neither in contacts nor in activities or rejected rows).",
    },
    "contact_unknown_hint": {
        "de": "Prüfen Sie die Kontaktnummer (kundenwert contacts list KUNDE).",
        "en": "Check the contact id (kundenwert contacts list CUSTOMER).",
    },
    "erased": {
        "de": "Person gelöscht: {contacts} Kontaktzeile, {activities} Aktivitäten ohne Person "
        "(Aktivitäten bleiben), {texts} Texte bereinigt, {rejected} abgewiesene Zeilen "
        "entfernt oder bereinigt, {chains} Kettenversionen bereinigt, {files} Dateien bereinigt.",
        "en": "Person erased: {contacts} contact row, {activities} activities without the person "
        "(activities stay), {texts} texts cleaned, {rejected} rejected rows removed or cleaned, "
        "{chains} chain versions cleaned, {files} files cleaned.",
    },
    "rewritten": {
        "de": "Datenbankdatei neu geschrieben ({size} Bytes): gelöschte Werte stehen auch nicht "
        "mehr im freien Speicher.",
        "en": "Database file rewritten ({size} bytes): erased values are not left in its free "
        "space either.",
    },
    "chain_unknown": {
        "de": "Eine Problemlösekette Nr. {id} gibt es nicht.",
        "en": "There is no problem-solving chain no. {id}.",
    },
    "chain_unknown_hint": {
        "de": "kundenwert chain list zeigt alle Ketten.",
        "en": "kundenwert chain list shows all chains.",
    },
    "chain_needs": {
        "de": "Eine Änderung an einer Kette braucht einen Namen und einen Grund.",
        "en": "A change to a chain needs a name and a reason.",
    },
    "chain_needs_hint": {"de": "Geben Sie --by und --reason an.", "en": "Pass --by and --reason."},
    "chain_invalid": {
        "de": "Die Kette ist ungültig: {errors}",
        "en": "The chain is invalid: {errors}",
    },
    "chain_invalid_hint": {
        "de": "kundenwert chain template zeigt ein Beispiel mit allen Feldern.",
        "en": "kundenwert chain template shows an example with every field.",
    },
    "chain_customer_unknown": {
        "de": "Die Kette nennt Kunden, die es nicht gibt: {ids}.",
        "en": "The chain names customers that do not exist: {ids}.",
    },
    "chain_contact_unknown": {
        "de": "Die Kette nennt Ansprechpartner, die es nicht gibt: {ids}.",
        "en": "The chain names contacts that do not exist: {ids}.",
    },
    "role_invalid": {
        "de": "Unbekannte Rolle {value!r}; erlaubt: {roles}.",
        "en": "Unknown role {value!r}; allowed: {roles}.",
    },
    "months_invalid": {
        "de": "Der Zeitraum muss 1 bis 120 Monate sein, nicht {value}.",
        "en": "The period must be 1 to 120 months, not {value}.",
    },
    "no_review": {
        "de": "Es gibt noch keine Bewertung; die Kontaktabdeckung ordnet nach Kundenwert.",
        "en": "There is no review yet; contact coverage is ranked by customer value.",
    },
    "no_review_hint": {"de": "Führen Sie kundenwert review aus.", "en": "Run kundenwert review."},
}


def role_name(role: str | None, lang: str) -> str:
    return translate(ROLES, role, lang) if role in ROLES else (role or "")


def actor_name(kind: str, lang: str) -> str:
    return translate(ACTORS, kind, lang) if kind in ACTORS else kind
