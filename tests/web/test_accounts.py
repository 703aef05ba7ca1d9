"""Issue 12: API tokens can be revoked and expire, users can be disabled (web and API)."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from web_helpers import csrf_of, login

from kundenwert.settings import settings_from_dict
from kundenwert.web import create_app


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def test_a_revoked_token_stops_working(api, tokens):
    assert api("gast").get("/api/v1/me").status_code == 200
    listed = api("admin").get("/api/v1/tokens").json()["items"]
    assert {t["token_id"] for t in listed} >= {_id(tokens["gast"])}
    assert all("hash" not in str(t) for t in listed)
    response = api("admin").post(f"/api/v1/tokens/{_id(tokens['gast'])}/revoke")
    assert response.status_code == 200
    assert api("gast").get("/api/v1/me").status_code == 401
    again = api("admin").post(f"/api/v1/tokens/{_id(tokens['gast'])}/revoke")
    assert again.status_code == 404


def test_tokens_expire(web_store, tokens):
    app = create_app(web_store, settings_from_dict({"web": {"token_days": 30}}))
    web_store.con.execute(
        "UPDATE api_tokens SET created_at = now() - INTERVAL 31 DAY "
        "WHERE user_id = (SELECT user_id FROM users WHERE name = 'gast')"
    )
    with TestClient(app) as c:
        old = c.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['gast']}"})
        fresh = c.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['chef']}"})
    assert old.status_code == 401
    assert fresh.status_code == 200


def test_admin_disables_a_user_on_the_page(as_user, api, app):
    chef = as_user("chef")
    admin = as_user("admin")
    page = admin.get("/users")
    assert page.status_code == 200 and "Sperren" in page.text
    response = admin.post(
        "/users/chef/active", data={"csrf_token": csrf_of(page.text), "active": "false"}
    )
    assert response.status_code == 200
    assert "gesperrt" in response.text
    assert chef.get("/", follow_redirects=False).status_code == 303
    assert api("chef").get("/api/v1/me").status_code == 401
    assert login(TestClient(app), "chef").status_code == 401
    page = admin.get("/users").text
    admin.post("/users/chef/active", data={"csrf_token": csrf_of(page), "active": "true"})
    assert login(TestClient(app), "chef").status_code == 200


def test_admin_disables_a_user_through_the_api(api):
    assert api("admin").post("/api/v1/users/anna/disable").json() == {
        "name": "anna",
        "active": False,
    }
    assert api("anna").get("/api/v1/me").status_code == 401
    users = {u["name"]: u["active"] for u in api("admin").get("/api/v1/users").json()["items"]}
    assert users["anna"] is False and users["chef"] is True
    assert api("admin").post("/api/v1/users/anna/enable").status_code == 200
    assert api("anna").get("/api/v1/me").status_code == 200


def test_only_admins_administer_and_nobody_locks_themselves_out(api, as_user, tokens):
    assert api("chef").post(f"/api/v1/tokens/{_id(tokens['gast'])}/revoke").status_code == 403
    assert api("chef").post("/api/v1/users/gast/disable").status_code == 403
    assert as_user("chef").get("/users").status_code == 403
    assert api("admin").post("/api/v1/users/admin/disable").status_code == 422
