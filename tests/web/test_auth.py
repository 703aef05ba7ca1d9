"""Log-in, sessions, CSRF, rate limiting, roles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, csrf_of, login

from kundenwert.errors import InputError
from kundenwert.web.users import add_user, authenticate


def test_pages_redirect_to_login_without_session(client):
    response = client.get("/customers", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/customers"


def test_login_with_right_password_opens_overview(client):
    response = login(client, "chef")
    assert response.status_code == 200
    assert "Übersicht" in response.text
    assert "chef (Manager)" in response.text


def test_wrong_password_is_refused(client):
    response = login(client, "chef", "falsch")
    assert response.status_code == 401
    assert "Benutzer oder Passwort falsch" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_failed_logins_are_limited(client):
    for _ in range(3):
        assert login(client, "chef", "falsch").status_code == 401
    # Even the right password is refused while the name is locked.
    assert login(client, "chef", PASSWORD).status_code == 429


def test_password_is_stored_hashed(web_store):
    stored = web_store.con.execute("SELECT password_hash FROM users WHERE name = 'chef'").fetchone()
    assert PASSWORD not in stored[0]
    assert stored[0].startswith("$argon2")
    assert authenticate(web_store, "chef", PASSWORD).role == "manager"
    assert authenticate(web_store, "chef", "x") is None
    assert authenticate(web_store, "niemand", PASSWORD) is None


def test_add_user_checks_role_and_duplicates(web_store):
    with pytest.raises(InputError, match="Rolle"):
        add_user(web_store, "x", "boss", PASSWORD)
    with pytest.raises(InputError, match="gibt es schon"):
        add_user(web_store, "chef", "manager", PASSWORD)


def test_logout_needs_csrf_and_ends_session(as_user):
    c = as_user("chef")
    page = c.get("/").text
    assert c.post("/logout", data={}).status_code == 403
    assert c.get("/", follow_redirects=False).status_code == 200
    response = c.post("/logout", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert response.status_code == 303
    assert c.get("/", follow_redirects=False).status_code == 303


def test_forms_without_csrf_token_change_nothing(as_user, web_store):
    c = as_user("chef")
    response = c.post(
        "/customers/K1/overrides",
        data={"field": "service_level", "value": "premium", "reason": "x"},
    )
    assert response.status_code == 403
    assert web_store.con.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_session_cookie_is_http_only(app):
    c = TestClient(app)
    response = login(c, "gast")
    cookie = response.history[0].headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


def test_language_switch_to_english(as_user):
    c = as_user("gast")
    assert "Overview" in c.get("/?lang=en").text
    # The choice is remembered in a cookie.
    assert "Customers" in c.get("/customers").text
    assert "Kunden" in c.get("/customers?lang=de").text


def test_open_redirect_after_login_is_refused(client):
    response = login(client, "chef", next="//evil.example")
    assert response.history[0].headers["location"] == "/"


def test_login_form_needs_its_csrf_token(client):
    client.get("/login")
    response = client.post("/login", data={"name": "chef", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303
