"""Two example problem-solving chains for the demo company, built from its data.

One for a product (measuring machines for the largest Messtechnik customers), one for a
customer type (key customers whose relationship hangs on one person, from the contact
coverage). The persons named are contacts of the first customer concerned; whether we have
direct contact with them comes from the activities of the last twelve months.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kundenwert.contacts.chains import create_chain
from kundenwert.contacts.coverage import contact_coverage
from kundenwert.store import Store

AUTHOR = "demo"


def _persons(coverage, customer_id: str, most: int = 3) -> list[dict[str, Any]]:
    people = [p for p in coverage.for_customer(customer_id)["people"] if p["active"]]
    people.sort(key=lambda p: (p["role"] not in ("decision_maker", "management"), p["name"]))
    return [
        {
            "name": p["name"],
            "contact_id": p["contact_id"],
            "function": p["department"] or "",
            "direct_contact": p["contacts_in_period"] > 0,
        }
        for p in people[:most]
    ]


def _actors(customer: dict[str, Any], persons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"kind": "supplier", "name": "Sensor- und Antriebslieferanten", "size": "mittelständisch",
         "importance": "hoch: Lieferzeit der Messköpfe", "number": 4,
         "relationship": "Rahmenverträge", "success_factors": ["Liefertreue", "Präzision"]},
        {"kind": "manufacturer", "name": "Wir", "direct_contact": True,
         "competitive_position": "Technologieführer in der DACH-Region",
         "success_factors": ["Genauigkeit", "Service vor Ort"]},
        {"kind": "trade", "name": "Fachhandel Messtechnik", "size": "klein", "number": 12,
         "importance": "mittel", "relationship": "Provision je Auftrag",
         "competitive_position": "führt auch Wettbewerbsprodukte"},
        {"kind": "customer", "name": customer["name"], "importance": "Schlüsselkunde",
         "relationship": f"Klasse {customer['abc_class']}", "persons": persons,
         "success_factors": ["Ausschussquote", "Taktzeit"]},
        {"kind": "user", "name": "Qualitätssicherung und Maschinenbediener",
         "importance": "hoch: entscheiden über die Zufriedenheit", "number": 30},
        {"kind": "customers_customer", "name": "Automobilhersteller",
         "importance": "setzen die Toleranzen", "competitive_position": "hoher Preisdruck"},
    ]  # fmt: skip


def add_example_chains(store: Store, as_of: date) -> list[int]:
    """Store the two example chains; returns their numbers (none without key customers)."""
    coverage = contact_coverage(store, months=12, as_of=as_of)
    key = [r for r in coverage.customers.to_pylist() if r["key_customer"]]
    if not key:
        return []
    units = dict(store.con.execute("SELECT customer_id, business_unit FROM customers").fetchall())
    measuring = [r for r in key if units.get(r["customer_id"]) == "Messtechnik"][:5] or key[:5]
    lonely = [a["customer_id"] for a in coverage.alerts if a["alert"] == "single_contact"][:6]
    lonely_rows = [r for r in key if r["customer_id"] in lonely] or key[:3]
    managers = dict(
        store.con.execute("SELECT customer_id, account_manager FROM customers").fetchall()
    )
    first = measuring[0]
    product = {
        "title": "Koordinatenmessmaschinen für Zulieferer",
        "focus": {
            "kind": "product",
            "name": "Koordinatenmessmaschinen",
            "reasons": ["Wettbewerber aus Asien mit Kampfpreisen",
                        "Anwender wünschen Schulung und schnelle Kalibrierung"],
            "customer_ids": [r["customer_id"] for r in measuring],
        },
        "actors": _actors(first, _persons(coverage, first["customer_id"])),
        "activities": [
            {"what": "Anwendertreffen Messtechnik", "actor": 4,
             "owner": managers.get(first["customer_id"]) or AUTHOR,
             "due": (as_of + timedelta(days=45)).isoformat()},
            {"what": "Gespräch mit dem Fachhandel über Serviceanteil", "actor": 2,
             "owner": "Vertriebsleitung", "due": (as_of + timedelta(days=30)).isoformat()},
        ],
    }  # fmt: skip
    one = lonely_rows[0]
    relationship = {
        "title": "Beziehung auf mehrere Schultern",
        "focus": {
            "kind": "customer_type",
            "name": "Schlüsselkunden mit nur einem Ansprechpartner",
            "reasons": ["Geht die Person, geht der Kunde",
                        "Entscheider kennen uns nicht persönlich"],
            "customer_ids": [r["customer_id"] for r in lonely_rows],
        },
        "actors": _actors(one, _persons(coverage, one["customer_id"])),
        "activities": [
            {"what": f"Entscheider bei {r['name']} kennenlernen", "actor": 3,
             "owner": managers.get(r["customer_id"]) or AUTHOR,
             "due": (as_of + timedelta(days=30 * (i + 1))).isoformat()}
            for i, r in enumerate(lonely_rows)
        ],
    }  # fmt: skip
    made = []
    for chain in (product, relationship):
        item = create_chain(store, chain, by=AUTHOR, reason="Beispiel der Demo-Firma")
        made.append(item["chain_id"])
    return made
