"""The command line, the web pages and the API answer the same questions alike.

Each edge asks the one read API (kundenwert.reads) with its user's scope; these tests ask the
three the same question for the same account manager and compare the answers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import login

from kundenwert.cli import app as cli
from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store
from kundenwert.web import create_app

runner = CliRunner()
IDS = re.compile(r'href="/customers/(K\d+)"')


@pytest.fixture
def two_reviews(company, tmp_path):
    """The web tests' company with a second review (2) after two customers bought much more."""
    path = tmp_path / "agree.duckdb"
    shutil.copy(company[0], path)
    with open_store(path) as store:
        for customer, amount in (("K3", 250000), ("K5", 120000)):
            store.con.execute(
                "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, "
                "category, batch_id) VALUES (?, 1, ?, DATE '2026-06-01', ?, 0, 'machine', 0)",
                [f"X{customer}", customer, amount],
            )
        run_review(store, settings_from_dict({}), date(2026, 6, 30), 12, created_by="test")
    return path, company[1]


def ask_cli(path, *args: str):
    result = runner.invoke(cli, [*args, "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def edges(two_reviews):
    """(cli answers, web client as anna, api client as anna) on the same database."""
    path, tokens = two_reviews
    answers = {
        "list": ask_cli(path, "customers", "--account-manager", "Anna", "--sort", "revenue"),
        "list_asc_name": ask_cli(
            path, "customers", "--account-manager", "Anna", "--sort", "name", "--ascending"
        ),
        "class_a": ask_cli(path, "customers", "--account-manager", "Anna", "--class", "A"),
        "all": ask_cli(path, "customers", "--sort", "margin_3"),
        "totals": ask_cli(path, "customers", "--account-manager", "Anna", "--totals"),
        "changes_score": ask_cli(path, "changes", "--account-manager", "Anna"),
        "changes_revenue": ask_cli(
            path,
            "changes",
            "--account-manager",
            "Anna",
            "--rank",
            "revenue",
            "--from",
            "2",
            "--to",
            "1",
        ),
    }
    store = open_store(path)
    app = create_app(store, settings_from_dict({}))
    web = TestClient(app)
    assert login(web, "anna").status_code == 200
    chef = TestClient(app)
    assert login(chef, "chef").status_code == 200
    api = TestClient(app, headers={"Authorization": f"Bearer {tokens['anna']}"})
    yield answers, web, chef, api
    for c in (web, chef, api):
        c.close()
    app.state.kw.shutdown()
    store.close()


def ids(rows) -> list[str]:
    return [r["customer_id"] for r in rows]


def test_the_customer_list_is_the_same_everywhere(edges):
    answers, web, chef, api = edges
    expected = ids(answers["list"]["items"])
    assert expected == ["K3", "K1", "K2"]  # Anna's customers only, by revenue
    assert ids(api.get("/api/v1/customers?sort=revenue").json()["items"]) == expected
    page = web.get("/customers?sort=revenue&dir=desc&partial=1").text
    assert IDS.findall(page) == expected
    exported = web.get("/customers/export.csv?sort=revenue&dir=desc").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    assert [row["Kundennr."] for row in rows] == expected
    by_name = ids(answers["list_asc_name"]["items"])
    assert ids(api.get("/api/v1/customers?sort=name&desc=false").json()["items"]) == by_name
    assert IDS.findall(web.get("/customers?sort=name&dir=asc&partial=1").text) == by_name
    class_a = ids(answers["class_a"]["items"])
    assert ids(api.get("/api/v1/customers?abc_class=A").json()["items"]) == class_a
    assert IDS.findall(web.get("/customers?abc_class_effective=A&partial=1").text) == class_a
    # A manager sees everyone, in the same order as the command line without a scope.
    everyone = ids(answers["all"]["items"])
    assert len(everyone) == 6
    assert IDS.findall(chef.get("/customers?sort=margin_3&dir=desc&partial=1").text) == everyone


def test_the_same_figures_for_one_customer(edges):
    answers, _web, _chef, api = edges
    for row in answers["list"]["items"]:
        got = api.get(f"/api/v1/customers/{row['customer_id']}").json()
        for key in ("revenue", "margin_3", "value_score", "abc_class_effective"):
            assert str(got[key]) == str(row[key]), key
    totals = answers["totals"]
    assert totals["customers"] == 3
    listed = api.get("/api/v1/customers").json()["items"]
    assert float(totals["revenue"]) == pytest.approx(sum(float(r["revenue"]) for r in listed))


def test_review_changes_are_ranked_alike(edges):
    answers, web, _chef, api = edges
    for key, query in (("changes_score", ""), ("changes_revenue", "?rank=revenue&from=2&to=1")):
        cli_answer = answers[key]
        api_answer = api.get(f"/api/v1/changes{query}").json()
        assert api_answer == json.loads(json.dumps(cli_answer, default=str))
        assert set(ids(cli_answer["moved"])) <= {"K1", "K2", "K3"}
    moved = ids(answers["changes_revenue"]["moved"])
    assert moved, "the earlier review classes some of Anna's customers differently"
    page = web.get("/reviews/compare?first=2&second=1&rank=revenue").text
    assert IDS.findall(page) == moved
    changes = [abs(r["revenue_change"]) for r in answers["changes_revenue"]["moved"]]
    assert changes == sorted(changes, reverse=True)


def test_spreadsheet_csv_is_the_same_from_the_cli_and_the_web(two_reviews, tmp_path):
    """`export --format tabelle` and the web's list export write one dialect: German
    semicolons and decimal commas, headers and codes in words."""
    path, _tokens = two_reviews
    out = tmp_path / "liste.csv"
    result = runner.invoke(cli, ["export", "--format", "tabelle", "--out", str(out),
                                 "--db", str(path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    from_cli = out.read_bytes()
    with open_store(path) as store:
        app = create_app(store, settings_from_dict({}))
        with TestClient(app) as web:
            assert login(web, "chef").status_code == 200
            from_web = web.get("/customers/export.csv?sort=customer_id&dir=asc").content
        app.state.kw.shutdown()
    assert from_cli == from_web
    rows = list(csv.DictReader(io.StringIO(from_cli.decode("utf-8-sig")), delimiter=";"))
    assert [r["Kundennr."] for r in rows] == ["K1", "K2", "K3", "K4", "K5", "K6"]
    assert re.fullmatch(r"-?\d+,\d\d", rows[0]["Umsatz"])  # decimal comma, no grouping
    assert rows[0]["Quadrant"] in ("Topkunde", "Entwicklungskunde", "Kleinkunde", "Premiumkunde")


def test_the_changes_table_is_in_words(two_reviews):
    path, _tokens = two_reviews
    result = runner.invoke(cli, ["changes", "--rank", "revenue", "--db", str(path)],
                           env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Klasse vorher" in out and "Änderung Umsatz" in out
    for code in ("class_from", "revenue_change", "development", "premium"):
        assert code not in out, code
    assert re.search(r"\d\.\d{3}\xa0€", out)  # 250.000 € as German writes it
