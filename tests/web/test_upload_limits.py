"""Issue 12: uploads are authenticated before their body is read, limited in size and time."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

from kundenwert.settings import settings_from_dict
from kundenwert.web import create_app


class BodyRead(Exception):
    """The application read a body it should not have read."""


async def _never_read():
    raise BodyRead()


async def _never_arrives():
    await asyncio.Event().wait()


def _call(app, path: str, receive, headers: dict[str, str] | None = None):
    """One POST straight through ASGI with ``receive``; (status, headers, body)."""
    sent: list[dict] = []
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    raw.append((b"content-type", b"multipart/form-data; boundary=xyz"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("10.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], dict(sent[0]["headers"]), body


def test_api_upload_without_token_is_refused_before_the_body_is_read(app):
    status, _, body = _call(app, "/api/v1/imports", _never_read)
    assert status == 401
    assert json.loads(body)["error"] == "unauthorized"


def test_page_upload_without_session_goes_to_login_before_the_body_is_read(app):
    status, headers, _ = _call(app, "/imports", _never_read)
    assert status == 303
    assert headers[b"location"].startswith(b"/login")


@pytest.fixture
def small_app(web_store):
    settings = {"web": {"max_body_mb": 0.001, "body_timeout_seconds": 0.05}}
    app = create_app(web_store, settings_from_dict(settings))
    yield app
    app.state.kw.shutdown()


def test_a_body_over_the_limit_is_refused(small_app, tokens):
    auth = {"Authorization": f"Bearer {tokens['chef']}"}
    with TestClient(small_app, headers=auth) as c:
        files = {"file": ("invoices.csv", b"x" * 5000, "text/csv")}
        response = c.post("/api/v1/imports", files=files)
        assert response.status_code == 413
        assert response.json()["error"] == "too_large"
        # Without a declared length (chunked), the bytes are counted.
        chunks = (b"x" * 500 for _ in range(10))
        headers = {"content-type": "multipart/form-data; boundary=xyz"}
        response = c.post("/api/v1/imports", content=chunks, headers=headers)
        assert response.status_code == 413


def test_a_stalled_body_times_out(small_app, tokens):
    auth = {"Authorization": f"Bearer {tokens['chef']}"}
    status, _, body = _call(small_app, "/api/v1/imports", _never_arrives, auth)
    assert status == 408
    assert json.loads(body)["error"] == "timeout"
