"""The review per business unit on the customer page and in the API."""

from __future__ import annotations

from datetime import date

import pytest
from web_helpers import AS_OF, FrozenClock

from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.web import create_app


@pytest.fixture
def app(web_store):
    """The test company with a service line for K1 booked by the unit "Service": K1 (own
    unit Maschinen, 90,000) is then served by two units. A second review sees it."""
    web_store.con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, category, "
        "business_unit, batch_id) VALUES ('RS1', 1, 'K1', ?, 5000, 2000, 'service', "
        "'Service', 0)",
        [date(2026, 4, 1)],
    )
    run_review(web_store, settings_from_dict({}), AS_OF, 12)
    app = create_app(web_store, settings_from_dict({}))
    app.state.kw.limiter.clock = FrozenClock()
    yield app
    app.state.kw.shutdown()


def test_api_customer_per_unit_beside_the_company_view(api):
    body = api("anna").get("/api/v1/customers/K1/units").json()
    assert body["available"] is True
    rows = {r["business_unit"]: r for r in body["items"]}
    assert set(rows) == {"Maschinen", "Service"}
    assert rows["Maschinen"]["home"] is True and rows["Service"]["home"] is False
    assert float(rows["Maschinen"]["revenue"]) == 90000
    assert float(rows["Service"]["revenue"]) == 5000
    assert float(rows["Service"]["margin_1"]) == 3000
    # Alone in its unit, K1 is the Service unit's A customer; the company view is beside it.
    assert rows["Service"]["abc_class"] == "A"
    assert {float(r["company_revenue"]) for r in rows.values()} == {95000}
    assert {r["units"] for r in rows.values()} == {2}
    # Bert does not see Anna's customer.
    assert api("bert").get("/api/v1/customers/K1/units").status_code == 404


def test_api_units_summary_and_rows_in_the_users_scope(api):
    summary = {r["business_unit"]: r for r in api("chef").get("/api/v1/units").json()["items"]}
    assert (summary["Maschinen"]["customers"], summary["Maschinen"]["shared_customers"]) == (6, 1)
    assert (summary["Service"]["customers"], summary["Service"]["shared_customers"]) == (1, 1)
    berts = api("bert").get("/api/v1/units").json()["items"]
    assert [(r["business_unit"], r["customers"]) for r in berts] == [("Maschinen", 2)]
    shared = api("chef").get("/api/v1/units", params={"shared": True}).json()["items"]
    assert sorted((r["customer_id"], r["business_unit"]) for r in shared) == [
        ("K1", "Maschinen"),
        ("K1", "Service"),
    ]


def test_customer_page_shows_a_table_per_unit(as_user):
    html = as_user("chef").get("/customers/K1").text
    assert 'id="business-units"' in html
    section = html.split('id="business-units"')[1].split("</section>")[0]
    assert "Unternehmen" in section and "eigener Bereich" in section
    assert "Service" in section and "Maschinen" in section
    assert "95.000,00" in section and "5.000,00" in section
