"""The read API of commitments on a stored review: levels, quadrants, scope, surveys; and the
command line, the API and the library give the same answer."""

from __future__ import annotations

import json

import pytest
from commitment_company import build
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kundenwert.cli import app as cli
from kundenwert.errors import NotFoundError
from kundenwert.reads import EVERYONE, Scope
from kundenwert.reads.commitments import service_commitments
from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store
from kundenwert.web import create_app


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    path = tmp_path_factory.mktemp("commitments") / "kw.duckdb"
    with open_store(path, create=True) as store:
        tokens = build(store)
    return path, tokens


@pytest.fixture
def store(company):
    with open_store(company[0]) as s:
        yield s


def cell(rows, segment, commitment):
    [row] = [r for r in rows if r["segment"] == segment and r["commitment"] == commitment]
    return row


def test_levels_sum_their_customers_occasions(store):
    view = service_commitments(store)
    assert (view.as_of.isoformat(), view.window_start.isoformat()) == ("2026-06-30", "2025-07-01")
    levels = view.segments("service_level")
    assert [r["segment"] for r in levels[::7]] == ["premium", "plus", "standard"]
    # Premium: K1 (same day kept, next day late) and K2 (Friday -> Monday: late).
    premium = cell(levels, "premium", "callback")
    assert (premium["customers"], premium["due"], premium["kept"]) == (2, 3, 1)
    assert premium["share"] == pytest.approx(1 / 3)
    # Contact every 2 months: 6 periods each, K1's visit of 2026-03-01 keeps one.
    assert cell(levels, "premium", "contact")["share"] == pytest.approx(1 / 12)
    assert cell(levels, "premium", "yearly_check")["share"] == 0.5
    assert cell(levels, "premium", "response_time")["share"] == pytest.approx(1 / 3)
    assert cell(levels, "premium", "goodwill")["share"] == 1.0
    events = cell(levels, "premium", "events")
    assert (events["status"], events["missing"], events["share"]) == (
        "missing_input", "event_activities", None)  # fmt: skip
    empty = cell(levels, "plus", "callback")
    assert (empty["customers"], empty["status"], empty["share"]) == (0, "nothing_due", None)
    assert cell(levels, "standard", "callback")["share"] == 0.5  # K3 late, K4 in time
    assert cell(levels, "standard", "contact")["status"] == "not_promised"
    assert cell(levels, "standard", "events")["status"] == "not_promised"  # on request
    assert cell(levels, "standard", "newsletter")["missing"] == "newsletter_activities"
    quadrants = view.segments("quadrant")
    assert cell(quadrants, "small", "callback")["share"] == 0.5


def test_an_account_manager_sees_own_customers_only(store):
    view = service_commitments(store, scope=Scope("Anna"))
    assert set(view.customers["customer_id"].to_pylist()) == {"K1", "K2", "K3"}
    standard = cell(view.segments(), "standard", "callback")
    assert (standard["customers"], standard["due"], standard["kept"]) == (1, 1, 0)
    with pytest.raises(NotFoundError):
        service_commitments(store, scope=Scope("Anna"), customer_id="K4")
    one = service_commitments(store, customer_id="K4")
    assert set(one.customers["customer_id"].to_pylist()) == {"K4"}


def test_importance_and_performance_beside_adherence(store):
    view = service_commitments(store, scope=EVERYONE)
    by_level = {(r["segment"], r["dimension"]): r for r in view.ipa_segments("service_level")}
    # Premium callback: K1 (9, 4) and K2 (7, 8), the latest answers; K1's 2025 answer is older.
    premium = by_level[("premium", "callback")]
    assert (premium["customers"], premium["importance"], premium["performance"]) == (2, 8, 6)
    assert (premium["gap"], premium["ipa"]) == (2, "keep_up")
    assert premium["adherence"] == pytest.approx(1 / 3)
    # A 5 on both counts as high; a dimension without a commitment has no adherence.
    reach = by_level[("premium", "reachability")]
    assert (reach["ipa"], reach["adherence"]) == ("keep_up", None)
    assert by_level[("standard", "callback")]["ipa"] == "overkill"  # K3: 4 against 6
    assert ("standard", "events") not in by_level  # answered after the as-of date
    mine = {(r["customer_id"], r["dimension"]): r for r in view.ipa_customers()}
    assert mine[("K1", "callback")]["ipa"] == "concentrate"
    assert mine[("K1", "callback")]["adherence"] == 0.5


def test_words_in_both_languages(store):
    data = service_commitments(store, customer_id="K1").to_dict("en")
    callback = data["customers"][0]
    assert callback["commitment_name"] == "Callback"
    assert callback["promise_text"] == "the same day"
    assert data["missing"]["events"]["missing_columns"] == ["activities.kind"]
    de = service_commitments(store, customer_id="K1").to_dict("de")
    assert de["customers"][0]["commitment_name"] == "Rückruf"
    assert de["missing"]["events"]["missing_text"].startswith("Es fehlen Veranstaltungs")
    goodwill = next(r for r in de["customers"] if r["commitment"] == "goodwill")
    assert goodwill["promise_text"] == "bis 10.000\u00a0€ im Jahr"  # CLDR: no-break space


def test_cli_api_and_library_agree(company):
    path, tokens = company
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["commitments", "--account-manager", "Anna", "--customers", "--json", "--lang", "en",
         "--db", str(path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.stdout)
    with open_store(path) as store:
        library = service_commitments(store, scope=Scope("Anna")).to_dict("en")
        app = create_app(store, settings_from_dict({}))
        try:
            with TestClient(app, headers={"Authorization": f"Bearer {tokens['anna']}"}) as api:
                from_api = api.get("/api/v1/commitments?customers=true&lang=en").json()
                assert api.get("/api/v1/commitments?customer_id=K4").status_code == 404
                one = api.get("/api/v1/commitments?customer_id=K1").json()
                pages = [
                    api.get(
                        f"/api/v1/commitments?customers=true&lang=en&page={p}&page_size=2"
                    ).json()
                    for p in (1, 2, 3)
                ]
        finally:
            app.state.kw.shutdown()
    expected = json.loads(json.dumps(library, default=str))
    assert from_cli == expected
    # The API pages the customers' rows (100 customers a page by default).
    paging = {"customers_total": 3, "page": 1, "page_size": 100}
    assert from_api == expected | paging
    assert {r["customer_id"] for r in from_api["customers"]} == {"K1", "K2", "K3"}
    assert {r["customer_id"] for r in one["customers"]} == {"K1"}
    # Pages of two customers: every customer's rows on exactly one page, in customer order,
    # the segment figures the same on every page.
    per_page = [sorted({r["customer_id"] for r in p["customers"]}) for p in pages]
    assert per_page == [["K1", "K2"], ["K3"], []]
    assert sum(len(p["customers"]) for p in pages) == len(expected["customers"])
    for p in pages:
        assert p["customers_total"] == 3
        assert p["service_levels"] == expected["service_levels"]
    answers = [a for p in pages for a in p["importance"]["customers"]]
    assert sorted(map(json.dumps, answers)) == sorted(
        map(json.dumps, expected["importance"]["customers"])
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_workbook_sheets_in_words_with_typed_cells(store, tmp_path, lang):
    import re

    import openpyxl

    from kundenwert.reporting import export_full

    path = export_full(store, settings_from_dict({}), None, "xlsx", tmp_path / "r.xlsx", lang)
    book = openpyxl.load_workbook(path)
    titles = {
        "de": ("Zusagen je Servicelevel", "Zusagen je Kunde", "Wichtigkeit je Segment",
               "Wichtigkeit je Kunde"),
        "en": ("Commitments per level", "Commitments per customer", "Importance per segment",
               "Importance per customer"),
    }[lang]  # fmt: skip
    snake = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
    for title in titles:
        ws = book[title]
        header = [c.value for c in ws[1]]
        assert header and not [h for h in header if snake.match(str(h))], (title, header)
        assert ws.freeze_panes is not None and ws.auto_filter.ref, title
        for row in ws.iter_rows(min_row=2):
            for c in row:
                assert not snake.match(str(c.value)), (title, c.coordinate, c.value)
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    assert c.number_format != "General", (title, c.coordinate)
    levels = book[titles[0]]
    header = [c.value for c in levels[1]]
    premium_callback = [c.value for c in levels[2]]
    share = header.index("Anteil eingehalten" if lang == "de" else "Share kept")
    assert premium_callback[share] == pytest.approx(1 / 3)
    assert levels.cell(row=2, column=share + 1).number_format == "0.0%"
    answered = book[titles[3]]
    assert answered.cell(row=2, column=4).is_date
    per_customer = book[titles[1]]
    assert per_customer.max_row == 1 + 4  # one row per customer
    header = [c.value for c in per_customer[1]]
    k1 = [c.value for c in per_customer[2]]
    callback = "Rückruf" if lang == "de" else "Callback"
    due = "Fällig" if lang == "de" else "Due"
    assert k1[0] == "K1"
    assert k1[header.index(f"{callback}: {due}")] == 2
    kept = "Anteil eingehalten" if lang == "de" else "Share kept"
    assert k1[header.index(f"{callback}: {kept}")] == 0.5


def test_web_pages_show_the_same_figures(company):
    import re
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
    from web_helpers import login

    path, _tokens = company
    with open_store(path) as store:
        expected = service_commitments(store, scope=Scope("Anna")).to_dict("de", customers=False)
        app = create_app(store, settings_from_dict({}))
        try:
            with TestClient(app) as web:
                assert login(web, "anna", "geheim-und-lang-2026").status_code == 200
                page = web.get("/commitments").text
                by_quadrant = web.get("/commitments?by=quadrant&lang=en").text
                customer = web.get("/customers/K1?lang=de").text
        finally:
            app.state.kw.shutdown()
    rows = re.findall(
        r'data-segment="(\w+)" data-commitment="(\w+)">.*?class="num share">([^<]*)<', page, re.S
    )
    shown = {(s, c): share.replace("\u00a0", " ") for s, c, share in rows}
    standard = next(
        r for r in expected["service_levels"]
        if (r["segment"], r["commitment"]) == ("standard", "callback")
    )  # fmt: skip
    assert standard["share"] == 0.0  # Anna's K3 only: late
    assert shown[("standard", "callback")] == "0 %"
    assert shown[("premium", "callback")] == "33 %"  # 1 of 3
    assert shown[("premium", "events")] == "–"
    assert "Es fehlen Veranstaltungseinladungen" in page
    assert "Hier ansetzen" not in page and "Weiter so" in page  # premium callback 8 / 6
    assert "Per matrix field" in by_quadrant and "Small customer" in by_quadrant
    assert 'id="customer-commitments"' in customer
    assert "Hier ansetzen" in customer  # K1's own answer: 9 against 4
    assert "<td>Anruf</td><td>Kunde</td>" in customer  # who started the contact, in words
    assert "<td>Besuch</td><td>wir</td>" in customer
    assert not re.search(r">[a-z]+(_[a-z0-9]+)+<", page)  # no code on the page
