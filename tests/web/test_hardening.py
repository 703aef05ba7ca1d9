"""Issue 12, the low findings: API description, temp paths, log-in redirect, cookies,
expired sessions, what account managers may read."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from web_helpers import csrf_of, login


def test_api_description_needs_a_token_and_nothing_comes_from_a_cdn(client, api):
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 401
    description = api("gast").get("/api/v1/openapi.json")
    assert description.status_code == 200
    assert "/api/v1/customers" in description.json()["paths"]


def test_import_errors_do_not_show_server_temp_paths(api, as_user):
    files = {"file": ("invoices.xlsx", b"not a zip", "application/octet-stream")}
    answer = api("chef").post("/api/v1/imports", files=files).text
    c = as_user("chef")
    page = c.post("/imports", data={"csrf_token": csrf_of(c.get("/imports").text)}, files=files)
    for text in (answer, page.text):
        assert "invoices.xlsx" in text
        assert tempfile.gettempdir() not in text
        assert "upload/" not in text


def test_redirect_to_login_keeps_the_whole_address(client):
    response = client.get("/customers?sort=name&dir=asc", follow_redirects=False)
    location = response.headers["location"]
    assert parse_qs(urlsplit(location).query) == {"next": ["/customers?sort=name&dir=asc"]}
    page = client.get(location).text
    assert 'value="/customers?sort=name&amp;dir=asc"' in page


def test_login_cookies_are_secure_over_https(app):
    with TestClient(app, base_url="https://testserver") as c:
        assert "secure" in c.get("/login").headers["set-cookie"].lower()
        response = login(c, "chef")
        assert "secure" in response.history[0].headers["set-cookie"].lower()
    with TestClient(app) as c:
        assert "secure" not in c.get("/login").headers["set-cookie"].lower()


def test_expired_sessions_are_purged(client, web_store):
    past = datetime.now() - timedelta(days=2)
    web_store.con.execute(
        "INSERT INTO web_sessions SELECT 'alt', user_id, 'x', ?, ? FROM users WHERE name = 'chef'",
        [past, past + timedelta(hours=1)],
    )
    assert login(client, "chef").status_code == 200
    left = "SELECT count(*) FROM web_sessions WHERE expires_at <= now()"
    assert web_store.con.execute(left).fetchone()[0] == 0


def test_account_managers_read_no_company_wide_settings_or_counts(as_user, api):
    assert as_user("anna").get("/settings").status_code == 403
    assert 'href="/settings"' not in as_user("anna").get("/").text
    assert as_user("gast").get("/settings").status_code == 200
    [review] = api("anna").get("/api/v1/reviews").json()["items"]
    assert "customer_count" not in review and review["as_of"]
    assert api("chef").get("/api/v1/reviews").json()["items"][0]["customer_count"] == 6
