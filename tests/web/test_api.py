"""REST API /api/v1: every endpoint and right, one error shape."""

from __future__ import annotations

import pytest

ERROR_KEYS = {"error", "message"}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) >= ERROR_KEYS
    assert body["error"] == code


def test_no_token_is_401_in_the_error_shape(client):
    assert_error(client.get("/api/v1/customers"), 401, "unauthorized")
    bad = client.get("/api/v1/customers", headers={"Authorization": "Bearer kw_wrong"})
    assert_error(bad, 401, "unauthorized")


def test_session_cookie_alone_does_not_open_the_api(as_user):
    # The API is for integrations; without CSRF on it, a cookie must not authorise it.
    assert_error(as_user("chef").get("/api/v1/customers"), 401, "unauthorized")


def test_me(api):
    assert api("anna").get("/api/v1/me").json() == {
        "name": "anna",
        "role": "account-manager",
        "account_manager": "Anna",
    }


def test_customers_paged_and_filtered(api):
    body = api("chef").get("/api/v1/customers", params={"page_size": 2}).json()
    assert body["total"] == 6
    assert body["review_id"] == 1
    assert [c["customer_id"] for c in body["items"]] == ["K1", "K4"]
    page2 = api("chef").get("/api/v1/customers", params={"page_size": 2, "page": 2}).json()
    assert [c["customer_id"] for c in page2["items"]] == ["K2", "K3"]
    bert = api("chef").get("/api/v1/customers", params={"account_manager": "Bert"}).json()
    assert {c["customer_id"] for c in bert["items"]} == {"K4", "K5"}


def test_invalid_sort_is_422_in_the_error_shape(api):
    assert_error(api("chef").get("/api/v1/customers?sort=secret"), 422, "invalid_input")
    assert_error(api("chef").get("/api/v1/customers?page=0"), 422, "invalid_input")


def test_account_manager_gets_only_own_customers(api):
    body = api("anna").get("/api/v1/customers").json()
    assert {c["customer_id"] for c in body["items"]} == {"K1", "K2", "K3"}
    assert body["total"] == 3
    # Filtering for another account manager's customers finds nothing.
    other = api("anna").get("/api/v1/customers", params={"account_manager": "Bert"}).json()
    assert other["items"] == []


def test_one_customer_with_results(api):
    body = api("gast").get("/api/v1/customers/K1").json()
    assert body["customer_id"] == "K1"
    assert body["abc_class_effective"] == "A"
    assert float(body["revenue"]) == pytest.approx(90000)
    assert body["overrides"] == []


@pytest.mark.parametrize("who", ["anna", "bert"])
def test_account_manager_asking_for_another_customer_gets_404(api, who):
    other = "K4" if who == "anna" else "K1"
    response = api(who).get(f"/api/v1/customers/{other}")
    assert_error(response, 404, "not_found")
    assert "Firma" not in response.text


def test_reviews(api):
    items = api("gast").get("/api/v1/reviews").json()["items"]
    assert [r["review_id"] for r in items] == [1]
    summary = api("chef").get("/api/v1/reviews/1").json()
    assert summary["customer_count"] == 6
    assert_error(api("chef").get("/api/v1/reviews/99"), 404, "not_found")
    # Totals over all customers are not for an account manager.
    assert_error(api("anna").get("/api/v1/reviews/1"), 403, "forbidden")


def test_alerts_and_actions_say_when_unavailable(api):
    # The analysis starts in the background on first use: until then nothing is claimed.
    for path in ("/api/v1/alerts", "/api/v1/actions"):
        body = api("gast").get(path).json()
        assert set(body) == {"available", "items"}
        if not body["available"]:
            assert body["items"] == []


def test_alerts_and_actions_once_computed_are_scoped(api, app):
    kw = app.state.kw
    if kw.dynamics_result(1) is None:
        kw.dynamics.wait(kw._dynamics_key(1))
    assert kw.dynamics_result(1) is not None, kw.dynamics.errors
    everyone = api("chef").get("/api/v1/actions").json()
    assert everyone["available"] is True
    assert {"customer_id", "action", "due"} <= set(everyone["items"][0])
    own = api("anna").get("/api/v1/actions").json()["items"]
    assert {a["customer_id"] for a in own} <= {"K1", "K2", "K3"}
    all_ids = {a["customer_id"] for a in everyone["items"]}
    assert {a["customer_id"] for a in own} == all_ids & {"K1", "K2", "K3"}
    for row in api("anna").get("/api/v1/alerts").json()["items"]:
        assert row["customer_id"] in {"K1", "K2", "K3"}


def test_override_write_and_read(api):
    payload = {
        "customer_id": "K5",
        "field": "service_level",
        "value": "premium",
        "reason": "Referenz",
    }
    created = api("chef").post("/api/v1/overrides", json=payload)
    assert created.status_code == 201
    override_id = created.json()["override_id"]
    assert created.json()["created_by"] == "chef"
    listed = api("bert").get("/api/v1/overrides").json()["items"]
    assert [o["override_id"] for o in listed] == [override_id]
    # Anna does not see Bert's customer's override.
    assert api("anna").get("/api/v1/overrides").json()["items"] == []
    assert_error(api("anna").get("/api/v1/overrides?customer_id=K5"), 404, "not_found")
    customer = api("chef").get("/api/v1/customers/K5").json()
    assert customer["service_level_effective"] == "premium"
    ended = api("chef").post(f"/api/v1/overrides/{override_id}/end", json={"reason": "ok"})
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"


@pytest.mark.parametrize("who", ["anna", "gast"])
def test_only_managers_and_admins_write_overrides(api, who, web_store):
    payload = {"customer_id": "K1", "field": "abc_class", "value": "A", "reason": "x"}
    assert_error(api(who).post("/api/v1/overrides", json=payload), 403, "forbidden")
    assert_error(api(who).post("/api/v1/overrides/1/end", json={}), 403, "forbidden")
    assert web_store.con.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_override_with_bad_value_is_422(api):
    payload = {"customer_id": "K1", "field": "abc_class", "value": "Z", "reason": "x"}
    assert_error(api("admin").post("/api/v1/overrides", json=payload), 422, "invalid_input")
    payload = {"customer_id": "K99", "field": "abc_class", "value": "A", "reason": "x"}
    assert_error(api("admin").post("/api/v1/overrides", json=payload), 404, "not_found")


def test_imports_upload_and_rejected_rows(api):
    csv = b"customer_id;name;account_manager\nK7;Neu GmbH;Anna\n;Ohne Nummer;Bert\n"
    response = api("chef").post(
        "/api/v1/imports", files={"file": ("customers.csv", csv, "text/csv")}
    )
    assert response.status_code == 201, response.text
    result = response.json()["files"][0]
    assert result["rows_rejected"] == 1
    assert result["file"] == "customers.csv"
    status = api("chef").get("/api/v1/imports").json()
    assert status["tables"]["customers"] == 7
    rows = api("chef").get(f"/api/v1/imports/{result['batch_id']}/rejected").json()["items"]
    assert len(rows) == 1
    assert rows[0]["field"] == "customer_id"


@pytest.mark.parametrize("who", ["anna", "gast"])
def test_imports_are_for_managers(api, who):
    assert_error(api(who).get("/api/v1/imports"), 403, "forbidden")
    files = {"file": ("customers.csv", b"customer_id;name\nK9;X\n", "text/csv")}
    assert_error(api(who).post("/api/v1/imports", files=files), 403, "forbidden")
    assert_error(api(who).get("/api/v1/imports/1/rejected"), 403, "forbidden")


def test_unknown_path_is_404_in_the_error_shape(api):
    assert_error(api("chef").get("/api/v1/nothing"), 404, "not_found")


def test_openapi_description(api):
    spec = api("gast").get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/v1/customers", "/api/v1/customers/{customer_id}", "/api/v1/overrides"} <= paths
    assert not any(p.startswith("/customers") for p in paths)


def test_account_manager_name_mapping_from_settings(web_store, tokens):
    from fastapi.testclient import TestClient

    from kundenwert.settings import settings_from_dict
    from kundenwert.web import add_user, create_app, create_token

    add_user(web_store, "b.meier", "account-manager", "geheim-und-lang-2026")
    token = create_token(web_store, "b.meier")
    settings = settings_from_dict({"web": {"account_managers": {"b.meier": "Bert"}}})
    app = create_app(web_store, settings)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        items = c.get("/api/v1/customers").json()["items"]
    app.state.kw.shutdown()
    assert {i["customer_id"] for i in items} == {"K4", "K5"}
