"""Statuses of alerts and next actions through the API and the pages: who may set them, what
is stored, and that a handled row leaves the default lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from web_helpers import csrf_of

from kundenwert.dynamics.status import status_history
from kundenwert.review import set_override
from kundenwert.settings import settings_from_dict


@pytest.fixture
def computed(app):
    """The dynamics of review 1, computed (an override ending soon raises an alert for K2)."""
    kw = app.state.kw
    cur = kw.cursor()
    try:
        set_override(
            cur,
            settings_from_dict({}),
            "K2",
            "abc_class",
            "A",
            reason="Rahmenvertrag",
            by="chef",
            until=date.today() + timedelta(days=10),
        )
    finally:
        cur.close()
    kw.changed()
    if kw.dynamics_result(1) is None:
        kw.dynamics.wait(kw._dynamics_key(1))
    assert kw.dynamics_result(1) is not None, kw.dynamics.errors
    return kw


def _ids(response, code_key):
    return {(r["customer_id"], r[code_key]) for r in response.json()["items"]}


def test_api_dismissed_alert_leaves_the_list_and_is_in_the_history(api, computed):
    assert ("K2", "override_expiring") in _ids(api("anna").get("/api/v1/alerts"), "alert")
    body = {"customer_id": "K2", "alert": "override_expiring", "status": "dismissed"}
    no_note = api("anna").post("/api/v1/alerts/status", json=body)
    assert no_note.status_code == 422 and no_note.json()["error"] == "invalid_input"
    done = api("anna").post("/api/v1/alerts/status", json={**body, "note": "verlängert"})
    assert done.status_code == 201, done.text
    assert (done.json()["by"], done.json()["status"]) == ("anna", "dismissed")
    assert ("K2", "override_expiring") not in _ids(api("anna").get("/api/v1/alerts"), "alert")
    shown = api("anna").get("/api/v1/alerts", params={"with_handled": True}).json()["items"]
    (k2,) = [r for r in shown if r["customer_id"] == "K2"]
    assert (k2["status"], k2["status_by"], k2["status_note"]) == ("dismissed", "anna", "verlängert")
    history = api("chef").get("/api/v1/alerts/status", params={"customer_id": "K2"}).json()
    assert [(h["status"], h["note"]) for h in history["items"]] == [("dismissed", "verlängert")]


def test_api_rights_on_statuses(api, computed):
    body = {"customer_id": "K4", "action": "welcome", "status": "done"}
    other = api("anna").post("/api/v1/actions/status", json=body)  # Bert's customer
    assert other.status_code == 404 and other.json()["error"] == "not_found"
    viewer = api("gast").post("/api/v1/actions/status", json=body)
    assert viewer.status_code == 403 and viewer.json()["error"] == "forbidden"
    assert api("admin").post("/api/v1/actions/status", json=body).status_code == 201
    assert ("K4", "welcome") not in _ids(api("chef").get("/api/v1/actions"), "action")
    assert api("anna").get("/api/v1/actions/status").json()["items"] == []  # not her customer
    assert len(api("bert").get("/api/v1/actions/status").json()["items"]) == 1


def test_api_status_of_an_alert_the_customer_does_not_have(api, computed):
    body = {"customer_id": "K1", "alert": "top_silent", "status": "done"}
    answer = api("chef").post("/api/v1/alerts/status", json=body)
    assert answer.status_code == 404 and "keine Warnung" in answer.json()["message"]


def test_page_form_marks_an_action_done(as_user, computed, web_store):
    c = as_user("anna")
    page = c.get("/customers/K1").text
    assert "Begrüßungsbesuch" in page and "Erledigt" in page and ">welcome<" not in page
    data = {"kind": "action", "code": "welcome", "status": "done", "note": "war da"}
    refused = c.post("/customers/K1/status", data=data, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token
    sent = c.post(
        "/customers/K1/status",
        data={**data, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (row,) = status_history(web_store, customer_id="K1")
    assert (row["kind"], row["status"], row["by"], row["note"]) == (
        "action",
        "done",
        "anna",
        "war da",
    )
    page = c.get("/customers/K1").text
    assert "erledigt – anna" in page and "war da" in page


def test_page_overview_leaves_handled_alerts_out(as_user, computed):
    c = as_user("chef")
    page = c.get("/").text
    alerts = page.split('id="alerts"')[1]
    assert "Ausnahme läuft aus" in alerts and "Rahmenvertrag" in alerts
    assert "override_expiring<" not in alerts
    c.post(
        "/customers/K2/status",
        data={
            "kind": "alert",
            "code": "override_expiring",
            "status": "acknowledged",
            "back": "overview",
            "csrf_token": csrf_of(page),
        },
    )
    page = c.get("/").text
    assert "Rahmenvertrag" not in page.split('id="alerts"')[1]
