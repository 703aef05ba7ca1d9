"""Statuses of alerts and actions: stored with who, when and why, audited, and hidden from the
lists only while the facts they were given on are unchanged."""

from datetime import date, datetime

import pytest
from dynamics_helpers import add_invoice, three_customers

from kundenwert.dynamics import analyse
from kundenwert.dynamics.status import (
    facts_of,
    fingerprint,
    set_status,
    status_history,
    with_status,
)
from kundenwert.errors import InputError, NotFoundError
from kundenwert.settings import Settings
from kundenwert.store import open_store


@pytest.fixture
def store():
    with open_store(None) as s:
        three_customers(s)
        yield s


def _analyse(store, **kw):
    return with_status(store, analyse(store, Settings()), **kw)


def _keys(table, code):
    return {(r["customer_id"], r[code]) for r in table.to_pylist()}


def _dismiss_k1(store, result, now=None):
    facts = facts_of(result.alerts.to_pylist(), "alert", "K1", "top_silent")
    return set_status(
        store, "alert", "K1", "top_silent", "dismissed", "Betriebsferien", "Anna", facts, now=now
    )


def test_handled_alert_is_hidden_until_its_figures_change(store):
    before = _analyse(store)
    assert ("K1", "top_silent") in _keys(before.alerts, "alert")
    _dismiss_k1(store, before)
    after = _analyse(store)
    assert ("K1", "top_silent") not in _keys(after.alerts, "alert")
    assert ("K3", "top_silent") in _keys(after.alerts, "alert")  # only that customer's
    shown = _analyse(store, with_handled=True).alerts.to_pylist()
    (k1,) = [r for r in shown if r["customer_id"] == "K1"]
    assert (k1["status"], k1["status_by"], k1["status_note"]) == (
        "dismissed",
        "Anna",
        "Betriebsferien",
    )
    assert k1["status_current"] is True
    # A later invoice: the months of silence in the reason change, so the alert comes back
    # and says that it had a status on other facts.
    add_invoice(store, "K1", date(2026, 2, 10), 500)
    back = [r for r in _analyse(store).alerts.to_pylist() if r["customer_id"] == "K1"]
    assert back and back[0]["reason"] != k1["reason"]
    assert back[0]["status"] == "dismissed" and back[0]["status_current"] is False


def test_every_status_is_kept_in_the_history(store):
    result = _analyse(store)
    _dismiss_k1(store, result, now=datetime(2026, 7, 1, 9, 0))
    facts = facts_of(result.alerts.to_pylist(), "alert", "K1", "top_silent")
    set_status(store, "alert", "K1", "top_silent", "erledigt", None, "Bernd", facts)
    history = status_history(store, customer_id="K1")
    assert [(h["status"], h["by"]) for h in history] == [("dismissed", "Anna"), ("done", "Bernd")]
    assert history[0]["at"] == datetime(2026, 7, 1, 9, 0)
    assert history[0]["note"] == "Betriebsferien" and history[0]["facts"] == facts


def test_action_status_hides_the_action(store):
    result = _analyse(store)
    assert ("K1", "visit") in _keys(result.actions, "action")
    facts = facts_of(result.actions.to_pylist(), "action", "K1", "visit")
    set_status(store, "action", "K1", "visit", "done", "besucht am 2.7.", "Anna", facts)
    assert ("K1", "visit") not in _keys(_analyse(store).actions, "action")
    assert ("K3", "visit") in _keys(_analyse(store).actions, "action")


def test_action_facts_include_the_due_date():
    row = {"action": "visit", "customer_id": "K1", "because": "x", "due": date(2026, 7, 14)}
    later = {**row, "due": date(2026, 10, 14)}
    assert fingerprint("action", row) != fingerprint("action", later)
    assert fingerprint("action", row) == fingerprint("action", dict(row))


def test_dismissing_needs_a_note_and_a_name(store):
    with pytest.raises(InputError, match="Notiz"):
        set_status(store, "alert", "K1", "top_silent", "dismissed", "  ", "Anna", "f")
    with pytest.raises(InputError, match="Namen"):
        set_status(store, "alert", "K1", "top_silent", "done", None, "", "f")
    with pytest.raises(InputError, match="Status"):
        set_status(store, "alert", "K1", "top_silent", "vergessen", None, "Anna", "f")
    with pytest.raises(NotFoundError):
        set_status(store, "alert", "K9", "top_silent", "done", None, "Anna", "f")
    assert status_history(store) == []


def test_facts_of_an_alert_the_customer_does_not_have(store):
    with pytest.raises(NotFoundError, match="keine Warnung"):
        facts_of(_analyse(store).alerts.to_pylist(), "alert", "K1", "klette")
