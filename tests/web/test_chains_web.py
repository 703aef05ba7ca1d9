"""Chain pages, the contact card of the customer page and the API: content and rights."""

from __future__ import annotations

import json

from chain_web_helpers import add_contacts_and_chains, chain_doc
from web_helpers import csrf_of


def test_manager_sees_every_chain_with_its_picture(web_store, as_user):
    a, _ = add_contacts_and_chains(web_store)
    chef = as_user("chef")
    listing = chef.get("/chains").text
    assert "Kette Anna" in listing and "Kette Bert" in listing
    page = chef.get(f"/chains/{a}").text
    assert '<svg class="chain"' in page and page.count('class="actor"') == 6
    assert "Kunde des Kunden" in page and "Emil Einkauf" in page and "Anwendertag" in page
    assert "Letzter Kontakt: 01.06.2026" in page  # from the activities, beside the chain
    assert "customers_customer" not in page  # no internal code on the page


def test_manager_creates_and_edits_a_chain_in_versions(web_store, as_user):
    add_contacts_and_chains(web_store)
    chef = as_user("chef")
    form = chef.get("/chains/new").text
    assert "Hersteller (wir)" in form
    doc = chain_doc("Neue Kette", ["K1", "K4"])
    r = chef.post(
        "/chains",
        data={"document": json.dumps(doc), "reason": "Workshop", "csrf_token": csrf_of(form)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    url = r.headers["location"]
    doc["actors"][2]["name"] = "Händler Süd"
    edit = chef.get(url + "/edit").text
    r = chef.post(url, data={"document": json.dumps(doc), "reason": "Handel getauscht",
                             "csrf_token": csrf_of(edit)})  # fmt: skip
    page = r.text
    assert "Händler Süd" in page and "Handel getauscht" in page and "Version 2" in page
    assert "Händler Nord" in chef.get(url + "?version=1").text
    bad = chef.post(url, data={"document": "{", "reason": "x", "csrf_token": csrf_of(edit)})
    assert bad.status_code == 422 and "JSON" in bad.text


def test_account_manager_sees_only_chains_of_own_customers(web_store, as_user):
    a, b = add_contacts_and_chains(web_store)
    anna = as_user("anna")
    listing = anna.get("/chains").text
    assert "Kette Anna" in listing and "Kette Bert" not in listing
    assert anna.get(f"/chains/{a}").status_code == 200
    assert anna.get(f"/chains/{b}").status_code == 404
    assert anna.get("/chains/new").status_code == 403


def test_customer_page_shows_the_contact_coverage(web_store, as_user):
    add_contacts_and_chains(web_store)
    anna = as_user("anna")
    page = anna.get("/customers/K1").text
    assert 'id="contacts"' in page and "Ida Entscheider" in page and "Emil Einkauf" in page
    # K1 is Anna's A customer; the decision maker had no contact in 12 months.
    assert "Kein Entscheider in 12 Monaten gesprochen" in page
    assert "Kette Anna" in page
    # Anna edits the contacts of her own customer.
    r = anna.post(
        "/customers/K1/contacts/P1",
        data={"role": "management", "department": "GL", "csrf_token": csrf_of(page)},
    )
    assert r.status_code == 200
    row = web_store.con.execute(
        "SELECT role, department, active FROM contacts WHERE contact_id = 'P1'"
    ).fetchone()
    assert row == ("management", "GL", False)


def test_account_manager_cannot_edit_others_contacts(web_store, as_user):
    add_contacts_and_chains(web_store)
    bert = as_user("bert")
    token = csrf_of(bert.get("/customers/K4").text)
    r = bert.post("/customers/K1/contacts/P1", data={"role": "buyer", "csrf_token": token})
    assert r.status_code == 404
    gast = as_user("gast")
    token = csrf_of(gast.get("/customers/K1").text)
    r = gast.post("/customers/K1/contacts/P1", data={"role": "buyer", "csrf_token": token})
    assert r.status_code == 403


def test_api_chains_coverage_and_contact_edit(web_store, api):
    a, b = add_contacts_and_chains(web_store)
    assert [c["title"] for c in api("anna").get("/api/v1/chains").json()["items"]] == ["Kette Anna"]
    assert api("anna").get(f"/api/v1/chains/{b}").status_code == 404
    made = api("chef").post(
        "/api/v1/chains", json={"chain": chain_doc("API", ["K4"]), "reason": "API"}
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    refused = api("anna").post(
        "/api/v1/chains", json={"chain": chain_doc("API", ["K1"]), "reason": "API"}
    )
    assert refused.status_code == 403
    invalid = api("chef").put(
        f"/api/v1/chains/{a}", json={"chain": {"title": "x"}, "reason": "kaputt"}
    )
    assert invalid.status_code == 422 and "focus" in invalid.json()["message"]
    history = api("chef").get(f"/api/v1/chains/{a}/history").json()["items"]
    assert [h["action"] for h in history] == ["create"]
    cov = api("anna").get("/api/v1/contacts/coverage?months=12").json()
    assert {c["customer_id"] for c in cov["customers"]} == {"K1", "K2", "K3"}
    assert {(x["customer_id"], x["alert"]) for x in cov["alerts"]} >= {("K1", "no_decision_maker")}
    assert api("bert").get("/api/v1/customers/K1/contacts").status_code == 404
    one = api("anna").get("/api/v1/customers/K1/contacts").json()
    assert [p["contact_id"] for p in one["people"]] == ["P1", "P2"]
    changed = api("anna").patch("/api/v1/contacts/P2", json={"department": "Einkauf"})
    assert changed.status_code == 200 and changed.json()["department"] == "Einkauf"
    assert api("bert").patch("/api/v1/contacts/P2", json={"active": False}).status_code == 404
    assert api("anna").patch("/api/v1/contacts/P2", json={"role": "chef"}).status_code == 422
    gone = api("chef").delete(f"/api/v1/chains/{b}?reason=erledigt")
    assert gone.status_code == 204
    assert api("chef").get(f"/api/v1/chains/{b}").status_code == 404
