"""A small company with contacts and contact activities, imported from German CSV files."""

from __future__ import annotations

from pathlib import Path

from kundenwert.importing import import_path
from kundenwert.settings import Settings, settings_from_dict

CUSTOMERS = (
    "customer_id;name;account_manager\n"
    "K1;Müller Maschinenbau GmbH;Anna Berger\n"
    "K2;Schäfer & Söhne KG;Bernd Roth\n"
    "K3;Weiß Präzision AG;Anna Berger\n"
)
# German headers as a CRM exports them, mapped in the configuration below.
CONTACTS = (
    "Kontaktnummer;Kunde;Name;Rolle;Abteilung;aktiv;Telefon;E-Mail\n"
    "P1;K1;Ottilie Quastenberg;Entscheider;Geschäftsleitung;ja;+49 711 4711;"
    "o.quastenberg@k1.example\n"
    "P2;K1;Hans Wendelin;Einkauf;Einkauf;ja;;\n"
    "P3;K1;Gerd Anwender;Anwender;Produktion;nein;;\n"
    "P4;K2;Rita Solo;buyer;Einkauf;ja;;\n"
    "P5;K9;Niemand Unbekannt;buyer;Einkauf;ja;;\n"
    "P6;K3;Fritz Falsch;Hausmeister;Empfang;ja;;\n"
)
ACTIVITIES = (
    "activity_id;customer_id;date;kind;cost;description;contact_id\n"
    "A1;K1;15.05.2026;Besuch;200;Besuch bei Ottilie Quastenberg wegen Angebot;P1\n"
    "A2;K1;10.06.2026;Anruf;20;Telefonat mit Einkauf;P2\n"
    "A3;K2;01.06.2026;Anruf;20;Rückfrage Lieferung;P4\n"
    "A4;K1;01.01.2024;Besuch;300;alter Besuch bei Gerd Anwender;P3\n"
    "A5;K1;40.01.2026;Anruf;10;Ottilie Quastenberg ruft zurück;P1\n"
)
INVOICES = (
    "invoice_id;customer_id;date;amount\n"
    "R1;K1;01.03.2026;10000\n"
    "R2;K2;01.03.2026;9000\n"
    "R3;K3;01.03.2026;100\n"
)
MAPPING = {
    "import": {
        "tables": {
            "contacts": {
                "columns": {
                    "contact_id": "Kontaktnummer",
                    "customer_id": "Kunde",
                    "role": "Rolle",
                    "department": "Abteilung",
                    "active": "aktiv",
                    "phone": "Telefon",
                    "email": "E-Mail",
                }
            }
        }
    }
}
PERSON = ("P1", "Ottilie Quastenberg", "+49 711 4711", "o.quastenberg@k1.example")


def write_company(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (folder / "activities.csv").write_text(ACTIVITIES, encoding="utf-8")
    (folder / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    return folder


def settings(tmp_path: Path) -> Settings:
    data = {**MAPPING, "import": {**MAPPING["import"], "report_dir": str(tmp_path / "reports")}}
    return settings_from_dict(data)


def import_company(store, tmp_path: Path):
    return import_path(store, write_company(tmp_path / "export"), settings(tmp_path))


def reviewed_company(store, tmp_path: Path) -> Settings:
    """The company imported and reviewed as of 30.06.2026."""
    from datetime import date

    from kundenwert.review import run_review

    cfg = settings(tmp_path)
    import_path(store, write_company(tmp_path / "export"), cfg)
    run_review(store, cfg, date(2026, 6, 30), 12)
    return cfg


def example_chain(customers: list[str] | None = None) -> dict:
    """A chain for the focus 'Messgeräte im Werkzeugbau' naming contact P2 of K1."""
    return {
        "title": "Messgeräte Werkzeugbau",
        "focus": {
            "kind": "product",
            "name": "Messgeräte",
            "reasons": ["Wettbewerber drängt in den Werkzeugbau"],
            "customer_ids": customers if customers is not None else ["K1", "K2"],
        },
        "actors": [
            {"kind": "supplier", "name": "Sensorik Zulieferer", "importance": "hoch"},
            {"kind": "manufacturer", "name": "Wir", "direct_contact": True},
            {"kind": "trade", "name": "Fachhandel Süd", "number": 3, "size": "mittel"},
            {
                "kind": "customer",
                "name": "Werkzeugbauer",
                "competitive_position": "Marktführer regional",
                "relationship": "seit 2019",
                "success_factors": ["Genauigkeit", "Lieferzeit"],
                "persons": [{"name": "Hans Wendelin", "contact_id": "P2", "direct_contact": True}],
            },
            {"kind": "customers_customer", "name": "Automobilzulieferer"},
        ],
        "activities": [
            {"what": "Anwendertag", "actor": 3, "owner": "Anna Berger", "due": "2026-09-30"}
        ],
    }
