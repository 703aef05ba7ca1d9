"""Matching an export's headers to our columns, and suggesting a mapping where they differ.

A header is used for a column when the configuration maps it explicitly, or when it equals the
column name (ignoring case and surrounding blanks). Nothing is guessed silently: where a header
only resembles a column (a known ERP synonym such as "Kundennummer", or a close spelling), the
importer *suggests* the mapping and prints it as TOML to paste into kundenwert.toml.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from kundenwert.errors import ImportFileError
from kundenwert.i18n import translate
from kundenwert.importing.derived import Derived, HeaderIndex, derived_columns
from kundenwert.importing.messages import TEXT
from kundenwert.schema import Table
from kundenwert.settings import TableImport

#: Headers common in German and English ERP/CRM exports, per column of ours.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "Kundennummer",
        "Kunden-Nr",
        "KdNr",
        "Kd-Nr",
        "Kundennr",
        "Kunde",
        "Debitor",
        "Debitorennummer",
        "Customer ID",
        "Customer",
        "Customer No",
        "Account",
    ),
    "name": ("Name", "Firma", "Kundenname", "Name 1", "Firmenname", "Company"),
    "contact_id": (
        "Kontaktnummer",
        "Kontakt-Nr",
        "Kontaktnr",
        "Ansprechpartner-Nr",
        "Ansprechpartnernummer",
        "Person-Nr",
        "Contact ID",
        "Contact",
    ),
    "role": ("Rolle", "Funktion", "Buying Role"),
    "department": ("Abteilung", "Bereich Kunde", "Dept"),
    "active": ("aktiv", "Status aktiv", "Active"),
    "phone": ("Telefon", "Tel", "Telefonnummer", "Phone"),
    "email": ("E-Mail", "Mail", "E-Mail-Adresse", "Email Address"),
    "business_unit": (
        "Geschäftsbereich",
        "Sparte",
        "Geschäftseinheit",
        "SGE",
        "Bereich",
        "Division",
    ),
    "account_manager": (
        "Kundenbetreuer",
        "Betreuer",
        "Vertriebsmitarbeiter",
        "Außendienst",
        "Verkäufer",
        "Sales Rep",
        "Owner",
    ),
    "industry": ("Branche", "Industrie", "Sector"),
    "country": ("Land", "Staat", "Country Code"),
    "postal_code": ("PLZ", "Postleitzahl", "Zip", "Zip Code", "Postcode"),
    "city": ("Ort", "Stadt", "Town"),
    "customer_since": ("Kunde seit", "Erstkontakt", "Angelegt am", "Anlagedatum"),
    "invoice_id": (
        "Rechnungsnummer",
        "Rechnungs-Nr",
        "Rechnungsnr",
        "Rechnung",
        "Belegnummer",
        "Beleg",
        "Invoice",
        "Invoice No",
    ),
    "line_no": ("Position", "Pos", "Positionsnummer", "Zeile", "Line"),
    "date": ("Datum", "Rechnungsdatum", "Belegdatum", "Buchungsdatum", "Invoice Date", "Date"),
    "amount": (
        "Betrag",
        "Nettobetrag",
        "Netto",
        "Umsatz",
        "Nettoumsatz",
        "Net Amount",
        "Revenue",
        "Sales",
    ),
    "cost": ("Kosten", "Wareneinsatz", "Einstandspreis", "Selbstkosten", "Herstellkosten", "COGS"),
    "deductions": (
        "Abzüge",
        "Erlösschmälerung",
        "Erlösschmälerungen",
        "Rabatt",
        "Bonus",
        "Discount",
    ),
    "category": ("Kategorie", "Warengruppe", "Art", "Umsatzart", "Category"),
    "product": ("Artikel", "Artikelnummer", "Produkt", "Material", "Product", "SKU"),
    "machine_id": ("Maschinennummer", "Seriennummer", "Serialnummer", "Serial No", "Anlage"),
    "model": ("Modell", "Typ", "Maschinentyp", "Type"),
    "value": ("Wert", "Anschaffungswert", "Auftragswert", "Bewertung", "Note", "Value"),
    "installed_on": ("Installationsdatum", "Lieferdatum", "Auslieferung", "Inbetriebnahme"),
    "activity_id": ("Aktivität", "Vorgangsnummer", "Vorgang", "Ticket", "Ticketnummer"),
    "kind": ("Art", "Typ", "Aktivitätsart", "Kontaktart", "Type"),
    "hours": ("Stunden", "Aufwand", "Dauer", "Hours"),
    "free_of_charge": ("kostenlos", "Kulanz", "unberechnet", "Free"),
    "requested_at": ("Anfrage", "angefragt", "Eingang", "Eingangszeit", "Gemeldet"),
    "responded_at": ("Reaktion", "Reaktionszeit", "beantwortet", "Erledigt"),
    "performed_by": ("Bearbeiter", "Techniker", "Mitarbeiter"),
    "description": ("Beschreibung", "Text", "Bemerkung", "Notiz"),
    "indicator": ("Kriterium", "Indikator", "Merkmal", "Kennzahl"),
    "rated_by": ("bewertet von", "Bewerter", "Beurteiler"),
    "comment": ("Kommentar", "Bemerkung", "Anmerkung"),
    "satisfaction": ("Zufriedenheit", "Gesamtzufriedenheit"),
    "recommend": ("Weiterempfehlung", "Empfehlung", "NPS"),
    "why_chosen": ("Warum wir", "Grund der Wahl"),
    "early_hesitation": ("Zögern", "Bedenken"),
    "would_miss": ("Vermissen", "würde vermissen"),
    "would_recommend_to": ("Empfehlen an", "Empfehlung an"),
}

_MIN_SIMILARITY = 0.75


def normalise(header: str) -> str:
    """Lower case, umlauts spelled out, only letters and digits: 'Kunden-Nr.' -> 'kundennr'."""
    text = header.strip().lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass
class Mapping:
    """Which header of the file feeds which of our columns."""

    table: Table
    columns: dict[str, str]  # our column -> header in the file
    ignored: list[str] = field(default_factory=list)  # headers used for nothing
    suggestions: dict[str, str] = field(default_factory=dict)  # our column -> close header
    derived: list[Derived] = field(default_factory=list)  # computed or set by rules
    optional: set[str] = field(default_factory=set)  # required columns allowed empty here
    #: create_customers: customer column -> the header of this file it is taken from
    customer_headers: dict[str, str] = field(default_factory=dict)

    def as_toml(self, columns: dict[str, str] | None = None) -> str:
        lines = [f"[import.tables.{self.table.name}.columns]"]
        lines += [f'{ours} = "{theirs}"' for ours, theirs in (columns or self.columns).items()]
        return "\n".join(lines)


def _similarity(header: str, column: str) -> float:
    norm = normalise(header)
    candidates = [column, *SYNONYMS.get(column, ())]
    best = 0.0
    for candidate in candidates:
        cand = normalise(candidate)
        if norm == cand:
            return 1.0
        best = max(best, difflib.SequenceMatcher(None, norm, cand).ratio())
    return best


def suggest(table: Table, headers: list[str], taken: set[str]) -> dict[str, str]:
    """Close headers for columns not yet mapped; each header suggested for one column at most."""
    scored = []
    free_headers = [h for h in headers if h not in taken]
    for column in table.column_names:
        for header in free_headers:
            score = _similarity(header, column)
            if score >= _MIN_SIMILARITY:
                scored.append((score, column in table.required, column, header))
    out: dict[str, str] = {}
    used: set[str] = set()
    for _score, _required, column, header in sorted(scored, reverse=True):
        if column not in out and header not in used:
            out[column] = header
            used.add(header)
    return out


def resolve(
    table: Table, headers: list[str], spec: TableImport, *, file: str, lang: str = "de"
) -> Mapping:
    """Map the file's headers to our columns, or raise naming what is missing."""
    index = HeaderIndex(headers, table=table.name, file=file, lang=lang)
    columns: dict[str, str] = {}
    for ours, theirs in spec.columns.items():
        found = index.get(theirs)
        if found is None:
            raise ImportFileError(
                translate(
                    TEXT,
                    "mapped_header_absent",
                    lang,
                    file=file,
                    column=ours,
                    header=theirs,
                    headers=", ".join(headers),
                ),
                hint=translate(TEXT, "mapping_hint_none", lang, table=table.name),
                file=file,
                column=ours,
            )
        columns[ours] = found
    for col in table.column_names:
        same = index.get(col)
        if col not in columns and same is not None and same not in columns.values():
            columns[col] = same
    derived = derived_columns(table, spec, headers, columns, file=file, lang=lang)
    for d in derived:
        columns[d.column] = d.alias
    setting = f"import.tables.{table.name}.customer_columns"
    customer_headers = {c: index.find(h, setting) for c, h in spec.customer_columns.items()}
    taken = set(columns.values()).union(*(d.reads for d in derived), customer_headers.values())
    suggestions = {
        col: header for col, header in suggest(table, headers, taken).items() if col not in columns
    }
    required = [c for c in table.required if c not in columns]
    mapping = Mapping(
        table=table,
        columns=columns,
        ignored=[h for h in headers if h not in taken],
        suggestions=suggestions,
        derived=derived,
        customer_headers=customer_headers,
        optional={"customer_id"} if spec.missing_customer == "unassigned" else set(),
    )
    if required:
        proposal = {c: suggestions[c] for c in table.column_names if c in suggestions}
        hint = (
            translate(
                TEXT, "mapping_hint", lang, toml=mapping.as_toml({**spec.columns, **proposal})
            )
            if proposal
            else translate(TEXT, "mapping_hint_none", lang, table=table.name)
        )
        raise ImportFileError(
            translate(
                TEXT,
                "missing_columns",
                lang,
                file=file,
                table=table.name,
                columns=", ".join(required),
                headers=", ".join(headers),
            ),
            hint=hint,
            file=file,
            missing=required,
            suggestions=proposal,
        )
    return mapping
