"""The pages: overview, customer list with filters and export, customer, overrides."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from web_helpers import csrf_of


def listed_ids(html: str) -> list[str]:
    return re.findall(r'<td><a href="/customers/([^"]+)">', html)


def test_overview_shows_totals_and_charts(as_user):
    html = as_user("chef").get("/").text
    assert "Review 1" in html
    assert html.count("<svg") == 2
    # Every customer is a link in the matrix scatter, with a hover title.
    assert len(re.findall(r'<a href="/customers/K\d"', html)) == 6
    assert "<title>K1 Firma K1" in html
    assert "Kein früheres Review." in html


def test_overview_shows_unassigned_revenue_to_those_who_see_all_customers(as_user):
    assert "Umsatz ohne Kunde" in as_user("chef").get("/").text
    assert "4.321" in as_user("chef").get("/").text  # German digit grouping
    assert "4,321" in as_user("chef").get("/?lang=en").text
    # An account manager's totals are their customers': the unassigned lines are no one's.
    assert "Umsatz ohne Kunde" not in as_user("anna").get("/").text


def test_customer_list_sorts_by_revenue(as_user):
    html = as_user("chef").get("/customers").text
    assert listed_ids(html) == ["K1", "K4", "K2", "K3", "K5", "K6"]
    asc = as_user("chef").get("/customers?sort=revenue&dir=asc").text
    assert listed_ids(asc) == ["K6", "K5", "K3", "K2", "K4", "K1"]


def test_customer_list_filters_and_searches(as_user):
    c = as_user("chef")
    assert listed_ids(c.get("/customers?account_manager=Bert").text) == ["K4", "K5"]
    assert listed_ids(c.get("/customers?q=firma k3").text) == ["K3"]
    partial = c.get("/customers?partial=1&abc_class_effective=A").text
    assert "<html" not in partial
    assert "K1" in listed_ids(partial)
    assert "K6" not in listed_ids(partial)


def test_customer_list_pages(app, as_user):
    # Below the configurable minimum, so that six customers make three pages.
    app.state.kw.file_settings.web.page_size = 2
    c = as_user("chef")
    first = c.get("/customers?page=1").text
    assert "Seite 1 von 3" in first
    assert listed_ids(first) == ["K1", "K4"]
    assert 'id="next-page"' in first
    last = c.get("/customers?page=3").text
    assert listed_ids(last) == ["K5", "K6"]
    assert 'id="next-page"' not in last


def test_account_manager_sees_only_own_customers(as_user):
    c = as_user("anna")
    assert sorted(listed_ids(c.get("/customers").text)) == ["K1", "K2", "K3"]
    assert c.get("/customers/K4").status_code == 404
    assert "Firma K4" not in c.get("/customers/K4").text
    overview = c.get("/").text
    assert "/customers/K4" not in overview
    csv = c.get("/customers/export.csv").content.decode("utf-8-sig")
    assert "K1" in csv
    assert "K4" not in csv


def test_export_xlsx_holds_the_filtered_list(as_user):
    response = as_user("chef").get("/customers/export.xlsx?account_manager=Anna")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    ids = [row[header.index("Kundennr.")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == ["K1", "K2", "K3"]
    # Headers in words, typed cells with number formats, a frozen header row and filters.
    assert "Umsatz" in header and "Kundenbetreuer" in header and "customer_id" not in header
    revenue = sheet.cell(row=2, column=header.index("Umsatz") + 1)
    assert isinstance(revenue.value, int | float) and revenue.number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_customer_page_shows_score_waterfall_and_commitment(as_user):
    html = as_user("gast").get("/customers/K1").text
    assert "Firma K1" in html
    assert "Kundenwert und Beiträge" in html
    assert "DB III" in html
    assert "Serviceversprechen" in html
    # Margin I of K1 is 90,000 - 45,000 = 45,000.
    assert "DB I: 45.000,00\xa0€" in html  # as German writes it (CLDR)
    assert ">45.000\xa0€</text>" in html  # the value on the waterfall's bar
    # A viewer sees no override form.
    assert 'id="override-form"' not in html


def test_manager_sets_override_and_sees_it_in_audit(as_user, web_store):
    c = as_user("chef")
    page = c.get("/customers/K3").text
    response = c.post(
        "/customers/K3/overrides",
        data={
            "csrf_token": csrf_of(page),
            "field": "service_level",
            "value": "premium",
            "reason": "Referenzkunde",
        },
    )
    assert response.status_code == 200
    assert 'id="service-level">Premium<' in response.text
    audit = response.text.split('id="audit"')[1]
    assert "Referenzkunde" in audit and "chef" in audit
    row = web_store.con.execute("SELECT created_by, value FROM overrides").fetchone()
    assert row == ("chef", "premium")


def test_viewer_and_account_manager_cannot_override(as_user, web_store):
    for name in ("gast", "anna"):
        c = as_user(name)
        page = c.get("/customers/K1").text
        response = c.post(
            "/customers/K1/overrides",
            data={"csrf_token": csrf_of(page), "field": "abc_class", "value": "A", "reason": "x"},
        )
        assert response.status_code == 403
    assert web_store.con.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_manager_ends_override(as_user, web_store):
    c = as_user("chef")
    token = csrf_of(c.get("/customers/K2").text)
    c.post(
        "/customers/K2/overrides",
        data={"csrf_token": token, "field": "abc_class", "value": "A", "reason": "Bauchgefühl"},
    )
    override_id = web_store.con.execute("SELECT override_id FROM overrides").fetchone()[0]
    response = c.post(
        f"/overrides/{override_id}/end",
        data={"csrf_token": token, "customer_id": "K2", "reason": "vorbei"},
    )
    assert response.status_code == 200
    ended = web_store.con.execute("SELECT ended_by FROM overrides").fetchone()[0]
    assert ended == "chef"


def test_unknown_customer_is_a_not_found_page(as_user):
    response = as_user("chef").get("/customers/NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.text


def test_types_phases_and_alerts_are_shown_in_words():
    # Issue 18: the pages showed `cyclical`, `established`, `top_silent`.
    from kundenwert.web.deps import templates

    page = templates.env.from_string(
        "{{ 'cyclical'|named('trajectory') }} | {{ 'established'|named('phase') }} | "
        "{{ 'top_silent'|named('alert') }} | {{ None|named('phase') }}"
    )
    assert page.render(lang="de") == "zyklisch | etabliert | Top-Kunde still | –"
    assert page.render(lang="en") == "cyclical | established | Top customer silent | –"


def test_language_link_keeps_filters_and_errors_have_headings_in_words(as_user):
    c = as_user("chef")
    html = c.get("/customers?abc_class_effective=A&sort=name").text
    link = re.search(r'href="([^"]+)" id="lang"', html).group(1)
    assert "abc_class_effective=A" in link and "sort=name" in link and "lang=en" in link
    missing = c.get("/customers/K999")
    assert missing.status_code == 404
    assert "<h1>Nicht gefunden</h1>" in missing.text and "not_found" not in missing.text
    assert "(Manager)" in html and 'rel="icon"' in html
    assert c.get("/static/favicon.svg").status_code == 200


def test_customer_page_has_words_and_numbers_as_german_writes_them(as_user):
    html = as_user("chef").get("/customers/K1").text
    for code in ("machine_volume", "new_business_potential", "service_revenue"):
        assert code not in html, code
    assert re.search(r"<td class=\"num\">-?\d+,\d\d</td>", html)  # contributions: 12,34
    reviews = as_user("chef").get("/reviews").text
    assert "30.06.2026" in reviews and "2026-06-30" not in reviews
