"""Issue 12: input that used to answer 500 gets a 4xx in the one error shape."""

from __future__ import annotations

import pytest
from web_helpers import csrf_of

BAD_NAMES = ["..", ".", "a\x00b.csv", "x" * 300 + ".csv", "dir/..", "..\\.."]
BOUNDARY = "b0undary"


def _multipart(name: str, fields: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """A multipart body with the file name as sent, raw (httpx would escape a NUL)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in (fields or {}).items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\ncustomer_id;name\nK9;Neu\n\r\n".encode()
    )
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_huge_page_number_is_a_4xx_page(as_user):
    response = as_user("chef").get("/customers?page=99999999999999999999")
    assert response.status_code == 422
    assert "Seite" in response.text
    assert as_user("chef").get("/customers/export.csv?page=99999999999999999999").status_code == 422


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_upload_names_are_refused_by_the_api(api, name):
    body, headers = _multipart(name)
    response = api("chef").post("/api/v1/imports", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert "Dateiname" in response.json()["message"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_upload_names_are_refused_by_the_page(as_user, name):
    c = as_user("chef")
    token = csrf_of(c.get("/imports").text)
    body, headers = _multipart(name, {"csrf_token": token})
    response = c.post("/imports", content=body, headers=headers)
    assert response.status_code == 422
    assert "Dateiname" in response.text


def test_an_unexpected_error_is_a_500_in_the_one_shape(app, tokens, monkeypatch):
    from fastapi.testclient import TestClient

    from kundenwert.web.routes import api

    def broken(*args, **kwargs):
        raise RuntimeError("/tmp/geheim/pfad kaputt")

    monkeypatch.setattr(api, "review_summary", broken)
    auth = {"Authorization": f"Bearer {tokens['chef']}"}
    with TestClient(app, headers=auth, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/reviews/1")
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "/tmp" not in response.text
