"""Reviews, imports and settings pages."""

from __future__ import annotations

import html
import json
import time

import pytest
from web_helpers import csrf_of


def test_manager_starts_review_in_background_and_compares(as_user, app):
    c = as_user("chef")
    token = csrf_of(c.get("/reviews").text)
    response = c.post("/reviews", data={"csrf_token": token, "as_of": "2026-06-30", "window": 6})
    assert response.status_code == 200
    job = next(iter(app.state.kw.jobs.values()))
    for _ in range(200):
        if job.status != "running":
            break
        time.sleep(0.05)
    assert job.status == "done", job.error
    assert job.review_id == 2
    assert 'data-status="done"' in c.get("/reviews/jobs/1").text
    compare = c.get("/reviews/compare?first=1&second=2")
    assert compare.status_code == 200
    assert "Review 1 → 2" in compare.text


def test_a_running_review_shows_its_step(as_user, app):
    from datetime import date

    from kundenwert.web.state import Job

    job = Job(99, date(2026, 6, 30), "chef", step="base", step_no=2, steps=3)
    app.state.kw.jobs[99] = job
    page = as_user("chef").get("/reviews/jobs/99").text
    assert 'data-status="running"' in page
    assert '<progress value="1" max="3">' in page
    assert "Schritt 2 von 3: Umsätze, Kosten, Aktivitäten und Bewertungen je Kunde sammeln" in page
    # The steps the page names are the review's own.
    from kundenwert.review.compute import REVIEW_STEPS
    from kundenwert.web.text import t

    assert all(t(f"step_{name}", "en") != f"step_{name}" for name in REVIEW_STEPS)


def test_viewer_cannot_start_review(as_user):
    c = as_user("gast")
    token = csrf_of(c.get("/reviews").text)
    assert 'id="review-form"' not in c.get("/reviews").text
    response = c.post("/reviews", data={"csrf_token": token, "as_of": "2026-06-30"})
    assert response.status_code == 403


def test_upload_shows_rejected_rows_with_reason_and_csv(as_user):
    c = as_user("chef")
    token = csrf_of(c.get("/imports").text)
    data = b"customer_id;name\nK8;Gut GmbH\n;Ohne Nummer\n"
    response = c.post(
        "/imports",
        data={"csrf_token": token},
        files={"file": ("customers.csv", data, "text/csv")},
    )
    assert response.status_code == 200
    result = response.text.split('id="import-result"')[1]
    reason = result.split('class="reason">')[1].split("<")[0]
    assert reason  # the importer's reason, shown as it is
    batch = int(result.split("/imports/")[1].split("/")[0])
    download = c.get(f"/imports/{batch}/rejected.csv")
    assert download.status_code == 200
    assert "Ohne Nummer" in download.content.decode("utf-8-sig")
    assert c.get(f"/imports/{batch}").status_code == 200


def test_imports_page_is_for_managers(as_user):
    assert as_user("anna").get("/imports").status_code == 403
    assert as_user("gast").get("/imports/1/rejected.csv").status_code == 403


def test_admin_changes_settings_as_a_new_version(as_user, app, web_store):
    c = as_user("admin")
    page = c.get("/settings").text
    textarea = page.split('name="section" value="review">')[1].split("</textarea>")[0]
    review = json.loads(html.unescape(textarea.split(">", 1)[1]))
    review["window_months"] = 24
    response = c.post(
        "/settings",
        data={
            "csrf_token": csrf_of(page),
            "section": "review",
            "text": json.dumps(review),
            "comment": "zwei Jahre",
        },
    )
    assert response.status_code == 200
    row = web_store.con.execute(
        "SELECT created_by, comment, settings_json FROM settings_versions"
    ).fetchone()
    assert row[:2] == ("admin", "zwei Jahre")
    assert json.loads(row[2])["review"]["window_months"] == 24
    assert app.state.kw.settings.review.window_months == 24


def test_invalid_settings_are_refused_naming_the_key(as_user, web_store):
    c = as_user("admin")
    token = csrf_of(c.get("/settings").text)
    response = c.post(
        "/settings",
        data={"csrf_token": token, "section": "review", "text": '{"window_months": "x"}'},
    )
    assert response.status_code == 422
    assert "review.window_months" in response.text
    assert web_store.con.execute("SELECT count(*) FROM settings_versions").fetchone()[0] == 0


def test_admin_sets_weights_and_split_points_in_the_form(as_user, app, web_store):
    c = as_user("admin")
    page = c.get("/settings").text
    assert 'name="weight.default.machine_volume"' in page
    response = c.post(
        "/settings/scoring",
        data={
            "csrf_token": csrf_of(page),
            "weight.default.machine_volume": "40",
            "weight.default.location": "0,5",  # a German decimal comma
            "split.x.kind": "quantile",
            "split.x.q": "0.7",
            "split.x.value": "",
            "split.y.kind": "amount",
            "split.y.q": "",
            "split.y.value": "60",
            "comment": "mehr Umsatz",
        },
    )
    assert response.status_code == 200
    review = app.state.kw.settings.review
    assert review.scoring.weights["default"]["machine_volume"] == 40
    assert review.scoring.weights["default"]["location"] == 0.5
    assert (review.matrix.x.kind, review.matrix.x.q) == ("quantile", 0.7)
    assert (review.matrix.y.kind, review.matrix.y.value) == ("amount", 60)
    row = web_store.con.execute("SELECT created_by, comment FROM settings_versions").fetchone()
    assert row == ("admin", "mehr Umsatz")


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("weight.default.machine_volume", "-5", "review.scoring.weights.default.machine_volume"),
        ("weight.default.machine_volume", "viel", "weight.default.machine_volume: keine Zahl"),
        ("split.x.kind", "quantile", "kind quantile needs q"),
    ],
)
def test_a_bad_form_value_is_refused_naming_it(as_user, web_store, field, value, named):
    c = as_user("admin")
    token = csrf_of(c.get("/settings").text)
    response = c.post("/settings/scoring", data={"csrf_token": token, field: value})
    assert response.status_code == 422
    assert named in html.unescape(response.text)
    assert web_store.con.execute("SELECT count(*) FROM settings_versions").fetchone()[0] == 0


def test_only_admins_change_settings(as_user):
    c = as_user("chef")
    page = c.get("/settings").text
    assert "readonly" in page
    response = c.post(
        "/settings", data={"csrf_token": csrf_of(page), "section": "review", "text": "{}"}
    )
    assert response.status_code == 403
    form = {"csrf_token": csrf_of(page), "weight.default.machine_volume": "1"}
    assert c.post("/settings/scoring", data=form).status_code == 403


def test_upload_of_several_files_imports_customers_first(as_user, web_store):
    c = as_user("admin")
    token = csrf_of(c.get("/imports").text)
    customers = b"customer_id;name\nK20;Neu AG\n"
    invoices = b"invoice_id;customer_id;date;amount\nR900;K20;2026-05-02;100\n"
    response = c.post(
        "/imports",
        data={"csrf_token": token},
        files=[
            ("file", ("invoices.csv", invoices, "text/csv")),
            ("file", ("customers.csv", customers, "text/csv")),
        ],
    )
    assert response.status_code == 200
    stored = web_store.con.execute(
        "SELECT count(*) FROM invoices WHERE customer_id = 'K20'"
    ).fetchone()[0]
    assert stored == 1


def test_a_review_started_on_the_web_records_the_settings_version(as_user, app, web_store):
    from kundenwert.review import list_reviews
    from kundenwert.web.settings_store import save_section

    kw = app.state.kw
    review = json.loads(kw.settings.model_dump_json(by_alias=True))["review"]
    review["window_months"] = 9
    save_section(web_store, kw.settings, "review", json.dumps(review), by="chef")
    kw.changed(settings=True)
    c = as_user("chef")
    token = csrf_of(c.get("/reviews").text)
    c.post("/reviews", data={"csrf_token": token, "as_of": "2026-06-30", "window": 6})
    job = next(iter(kw.jobs.values()))
    for _ in range(200):
        if job.status != "running":
            break
        time.sleep(0.05)
    assert job.status == "done", job.error
    rows = {r["review_id"]: r for r in list_reviews(web_store)}
    assert rows[1]["settings_version"] is None  # built before any version was saved
    assert rows[job.review_id]["settings_version"] == 1
