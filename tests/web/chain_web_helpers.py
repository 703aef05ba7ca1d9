"""Contacts, contact activities and two chains added to the web tests' company."""

from __future__ import annotations

from kundenwert.contacts.chains import create_chain

PEOPLE = [
    # contact, customer, name, role, active
    ("P1", "K1", "Ida Entscheider", "decision_maker", True),
    ("P2", "K1", "Emil Einkauf", "buyer", True),
    ("P4", "K4", "Bea Solo", "buyer", True),
]


def chain_doc(title: str, customers: list[str]) -> dict:
    return {
        "title": title,
        "focus": {"kind": "customer_type", "name": "Werkzeugbau", "reasons": ["Wachstum"],
                  "customer_ids": customers},
        "actors": [
            {"kind": "supplier", "name": "Stahlwerk"},
            {"kind": "manufacturer", "name": "Wir", "direct_contact": True},
            {"kind": "trade", "name": "Händler Nord", "number": 4},
            {"kind": "customer", "name": "Werkzeugbauer",
             "persons": [{"name": "Emil Einkauf", "contact_id": "P2", "direct_contact": True}]},
            {"kind": "user", "name": "Maschinenbediener"},
            {"kind": "customers_customer", "name": "Automobilindustrie"},
        ],
        "activities": [{"what": "Anwendertag", "actor": 4, "owner": "Anna", "due": "2026-10-01"}],
    }  # fmt: skip


def add_contacts_and_chains(store) -> tuple[int, int]:
    """The people and a visit with P2; chains for K1 (Anna's) and K4 (Bert's)."""
    for cid, customer, name, role, active in PEOPLE:
        store.con.execute(
            "INSERT INTO contacts (contact_id, customer_id, name, role, active, batch_id) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            [cid, customer, name, role, active],
        )
    store.con.execute(
        "INSERT INTO activities (activity_id, customer_id, date, kind, contact_id, batch_id) "
        "VALUES ('A1', 'K1', DATE '2026-06-01', 'visit', 'P2', 0)"
    )
    a = create_chain(store, chain_doc("Kette Anna", ["K1"]), by="chef", reason="Start")
    b = create_chain(store, chain_doc("Kette Bert", ["K4"]), by="chef", reason="Start")
    return a["chain_id"], b["chain_id"]
