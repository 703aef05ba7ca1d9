"""Issue 12: security headers on every answer, no inline script a policy would have to allow."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

PAGES = ["/", "/customers", "/customers/K1", "/reviews", "/imports", "/settings"]


def _check(response, *, cached: bool = False) -> None:
    h = response.headers
    policy = h["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert (h.get("cache-control") == "no-store") is not cached


@pytest.mark.parametrize("path", PAGES)
def test_authenticated_pages_have_headers_and_no_inline_script(as_user, path):
    response = as_user("chef").get(path)
    assert response.status_code == 200
    _check(response)
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    assert not re.search(r"\son[a-z]+\s*=", response.text)


def test_exports_api_errors_and_login_have_headers(as_user, api, app):
    c = as_user("chef")
    for response in (
        c.get("/customers/export.csv"),
        c.get("/customers/export.xlsx"),
        c.get("/customers/nicht-da"),
        api("chef").get("/api/v1/customers"),
        api("chef").get("/api/v1/customers/nicht-da"),
        TestClient(app).get("/api/v1/me"),
        TestClient(app).get("/login"),
        TestClient(app).get("/customers", follow_redirects=False),
    ):
        _check(response)


def test_static_files_may_be_cached_but_not_sniffed(client):
    _check(client.get("/static/app.js"), cached=True)
