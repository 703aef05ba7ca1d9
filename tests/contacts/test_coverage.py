"""Contact coverage: roles known, direct contact in N months, alerts ranked by value."""

from __future__ import annotations

import json
from datetime import date

import pytest
from contacts_helpers import reviewed_company

from kundenwert.contacts.coverage import contact_coverage, roles_missing
from kundenwert.errors import InputError, NotFoundError


def test_coverage_counts_known_and_contacted_people(store, tmp_path):
    reviewed_company(store, tmp_path)
    cov = contact_coverage(store, months=3)
    k1 = cov.for_customer("K1")
    # P3 is not active: known, but not counted as coverage.
    assert (k1["active_contacts"], k1["contacted"], k1["not_contacted"]) == (2, 2, 0)
    assert sorted(k1["roles_known"]) == ["buyer", "decision_maker"]
    assert "user" in roles_missing(k1["roles_known"])
    assert k1["last_contact"] == date(2026, 6, 10)
    p1 = next(p for p in k1["people"] if p["contact_id"] == "P1")
    assert (p1["contacts_in_period"], p1["last_contact"]) == (1, date(2026, 5, 15))
    assert cov.for_customer("K3")["active_contacts"] == 0


def test_alerts_name_key_customers_in_order_of_value(store, tmp_path):
    reviewed_company(store, tmp_path)
    alerts = contact_coverage(store, months=3).alerts
    assert [(a["customer_id"], a["alert"]) for a in alerts] == [
        ("K2", "single_contact"),
        ("K2", "no_decision_maker"),
    ]
    # One month back (from 30.05.) the decision maker of K1 was last seen on 15.05.
    alerts = contact_coverage(store, months=1).alerts
    assert [(a["customer_id"], a["alert"]) for a in alerts] == [
        ("K1", "single_contact"),
        ("K1", "no_decision_maker"),
        ("K2", "single_contact"),
        ("K2", "no_decision_maker"),
    ]
    assert "1 Monaten" in alerts[1]["because"] or "1 Monat" in alerts[1]["because"]


def test_alert_text_in_english(store, tmp_path):
    reviewed_company(store, tmp_path)
    alerts = contact_coverage(store, months=3, lang="en").alerts
    assert alerts[0]["text"] == "Key customer hangs on one person"


def test_scope_limits_the_customers(store, tmp_path):
    reviewed_company(store, tmp_path)
    cov = contact_coverage(store, customer_ids=["K1"])
    assert cov.customers["customer_id"].to_pylist() == ["K1"]
    assert set(cov.people["customer_id"].to_pylist()) == {"K1"}


def test_bad_period_and_missing_review(store, tmp_path):
    with pytest.raises(NotFoundError):
        contact_coverage(store)
    reviewed_company(store, tmp_path)
    with pytest.raises(InputError):
        contact_coverage(store, months=0)


def test_cli_coverage_json_and_table(store, tmp_path, capsys, monkeypatch):
    from kundenwert.cli import main
    from kundenwert.cli.app import console

    monkeypatch.setattr(console, "width", 220)

    reviewed_company(store, tmp_path)
    db = store.path
    store.close()
    with pytest.raises(SystemExit):
        main(["contacts", "coverage", "--months", "3", "--db", str(db), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert [a["alert"] for a in out["alerts"]] == ["single_contact", "no_decision_maker"]
    with pytest.raises(SystemExit):
        main(["contacts", "coverage", "--months", "3", "--db", str(db)])
    text = capsys.readouterr().out
    assert "Schlüsselkunde hängt an einer Person" in text and "single_contact" not in text
    with pytest.raises(SystemExit):
        main(["contacts", "list", "K1", "--db", str(db)])
    text = capsys.readouterr().out
    assert "Ottilie Quastenberg" in text and "Entscheider" in text


def test_a_key_customer_nobody_spoke_to_is_named(store, tmp_path):
    reviewed_company(store, tmp_path)
    store.con.execute("UPDATE activities SET date = DATE '2025-01-01' WHERE customer_id = 'K1'")
    alerts = contact_coverage(store, months=3).alerts
    k1 = [a["alert"] for a in alerts if a["customer_id"] == "K1"]
    assert k1 == ["no_recent_contact", "no_decision_maker"]
    assert "mit keinem in 3 Monaten" in alerts[0]["because"]
