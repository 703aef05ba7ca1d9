"""Issue 12 (schemathesis findings): 405 with Allow, 400 documented, failed import a 4xx."""

from __future__ import annotations


def test_405_says_which_methods_are_allowed(api, client):
    response = api("gast").delete("/api/v1/customers")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json()["error"] == "method_not_allowed"
    assert "POST" in client.put("/login").headers["allow"]


def test_400_is_documented_for_every_operation(api):
    spec = api("gast").get("/api/v1/openapi.json").json()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert operations and all("400" in op["responses"] for op in operations)


def test_a_failed_import_is_a_4xx_with_the_files(api):
    files = {"file": ("invoices.xlsx", b"not a zip", "application/octet-stream")}
    response = api("chef").post("/api/v1/imports", files=files)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_file_error"
    assert "invoices.xlsx" in body["message"]
    [file] = body["details"]["files"]
    assert file["status"] == "failed" and file["file"] == "invoices.xlsx"


def test_an_import_with_rejected_rows_is_still_stored(api):
    body = "customer_id;name;city\nK9;Neu;Köln\n;Ohne Nummer;Bonn\n"
    files = {"file": ("customers.csv", body.encode(), "text/csv")}
    response = api("chef").post("/api/v1/imports", files=files)
    assert response.status_code == 201
    assert response.json()["files"][0]["rows_rejected"] == 1
