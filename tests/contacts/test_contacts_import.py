"""The contacts table: German headers and role words mapped, bad rows kept aside with reasons."""

from __future__ import annotations

import json

from contacts_helpers import import_company, settings, write_company

from kundenwert.importing import import_path
from kundenwert.importing.mapping import resolve
from kundenwert.schema import CONTACTS
from kundenwert.settings import Settings


def test_german_contacts_are_stored_and_bad_rows_kept_aside(store, tmp_path):
    run = import_company(store, tmp_path)
    contacts = next(f for f in run.files if f.table == "contacts")
    assert (contacts.inserted, contacts.rejected) == (4, 2)
    rows = store.con.execute(
        "SELECT contact_id, role, active, phone FROM contacts ORDER BY contact_id"
    ).fetchall()
    assert rows == [
        ("P1", "decision_maker", True, "+49 711 4711"),
        ("P2", "buyer", True, None),
        ("P3", "user", False, None),
        ("P4", "buyer", True, None),
    ]
    reasons = dict(
        store.con.execute(
            "SELECT line_no, reason FROM rejected_rows WHERE table_name = 'contacts'"
        ).fetchall()
    )
    assert "customer_id" in reasons[6] and "K9" in reasons[6]
    assert "role" in reasons[7] and "Hausmeister" in reasons[7]
    assert contacts.rejected_file is not None and contacts.rejected_file.exists()


def test_activities_carry_the_contact(store, tmp_path):
    import_company(store, tmp_path)
    rows = store.con.execute(
        "SELECT activity_id, contact_id FROM activities ORDER BY activity_id"
    ).fetchall()
    assert rows == [("A1", "P1"), ("A2", "P2"), ("A3", "P4"), ("A4", "P3")]


def test_headers_are_suggested_without_a_mapping():
    headers = ["Kontaktnummer", "Kunde", "Name", "Rolle", "Abteilung", "Telefon", "E-Mail"]
    spec = Settings().import_.for_table("contacts")
    try:
        resolve(CONTACTS, headers, spec, file="contacts.csv")
    except Exception as exc:  # required columns unmapped: the error suggests the mapping
        suggestions = exc.details["suggestions"]
    assert suggestions["contact_id"] == "Kontaktnummer"
    assert suggestions["role"] == "Rolle"
    assert suggestions["customer_id"] == "Kunde"


def test_an_erased_person_is_refused_on_import_without_keeping_their_data(store, tmp_path):
    store.con.execute("INSERT INTO erased_contacts VALUES ('P1', 'K1', now(), 'test', 'Art. 17')")
    folder = write_company(tmp_path / "export")
    run = import_path(store, folder, settings(tmp_path))
    contacts = next(f for f in run.files if f.table == "contacts")
    assert contacts.rejected == 3
    row = store.con.execute(
        "SELECT reason, record FROM rejected_rows WHERE table_name = 'contacts' AND line_no = 2"
    ).fetchone()
    assert "gelöscht" in row[0]
    assert json.loads(row[1]) == {}
    assert (
        store.con.execute("SELECT count(*) FROM contacts WHERE contact_id = 'P1'").fetchone()[0]
        == 0
    )
    # The person's activities stay (their cost counts) without the person and the free text.
    acts = store.con.execute(
        "SELECT activity_id, contact_id, description, cost FROM activities WHERE activity_id = 'A1'"
    ).fetchall()
    assert acts == [("A1", None, None, 200)]
    rejected_act = store.con.execute(
        "SELECT record FROM rejected_rows WHERE table_name = 'activities'"
    ).fetchall()
    assert all("Quastenberg" not in r[0] for r in rejected_act)
    text = contacts.rejected_file.read_text(encoding="utf-8-sig")
    assert "Quastenberg" not in text and "4711" not in text


def test_refusal_holds_when_contacts_are_merged_into_a_filled_table(store, tmp_path):
    import_company(store, tmp_path)
    store.con.execute("DELETE FROM contacts WHERE contact_id = 'P1'")
    store.con.execute("INSERT INTO erased_contacts VALUES ('P1', 'K1', now(), 'test', 'Art. 17')")
    folder = tmp_path / "again"
    folder.mkdir()
    from contacts_helpers import CONTACTS as TEXT

    (folder / "contacts.csv").write_text(TEXT.replace("ja;+49", "ja; +49"), encoding="utf-8")
    run = import_path(store, folder, settings(tmp_path))
    assert run.files[0].rejected == 3
    assert (
        store.con.execute("SELECT count(*) FROM contacts WHERE contact_id = 'P1'").fetchone()[0]
        == 0
    )
