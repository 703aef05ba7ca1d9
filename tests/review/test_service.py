from datetime import date

from review_helpers import add_customers, add_invoice, add_rating, make_settings, review_rows

from kundenwert.review.service import commitment
from kundenwert.settings import Settings

DAY = date(2026, 3, 1)


def test_class_maps_to_level_and_strategic_customers_get_the_minimum(store):
    settings = make_settings({"service": {"by": "class"}})
    add_customers(store, "K1", "K2", "K3", "K4")
    for cid, amount in (("K1", 800), ("K2", 150), ("K3", 40), ("K4", 10)):
        add_invoice(store, cid, DAY, amount)
    add_rating(store, "K3", "strategic_importance", 7)  # exactly the threshold: strategic
    add_rating(store, "K4", "reference_value", 6.9)  # below: not strategic
    rows = review_rows(store, settings)
    got = {
        k: (r["abc_class"], r["strategic"], r["service_level_mapped"], r["service_level"])
        for k, r in rows.items()
    }
    assert got == {
        "K1": ("A", False, "premium", "premium"),
        "K2": ("B", False, "plus", "plus"),
        "K3": ("C", True, "standard", "plus"),
        "K4": ("C", False, "standard", "standard"),
    }


def test_strategic_floor_does_not_lower_a_higher_level(store):
    settings = make_settings({"service": {"by": "class"}})
    add_customers(store, "K1")
    add_invoice(store, "K1", DAY, 100)
    add_rating(store, "K1", "reference_value", 10)
    row = review_rows(store, settings)["K1"]
    assert (row["abc_class"], row["strategic"], row["service_level"]) == ("A", True, "premium")


def test_mapping_by_quadrant(store):
    settings = make_settings({"service": {"by": "quadrant", "strategic": []}})
    add_customers(store, "K1", "K2")
    add_invoice(store, "K1", DAY, 100)
    add_rating(store, "K1", "new_business_potential", 10)
    rows = review_rows(store, settings)
    assert rows["K1"]["quadrant"] == "top" and rows["K1"]["service_level"] == "premium"
    assert rows["K2"]["quadrant"] == "small" and rows["K2"]["service_level"] == "standard"


def test_commitment_names_every_dimension_in_both_languages():
    svc = Settings().review.service
    de = commitment(svc, "premium", customer_id="K1", name="Muster GmbH", lang="de")
    en = commitment(svc, "standard", customer_id="K1", name="Muster GmbH", lang="en")
    assert de.startswith("Servicezusage für Muster GmbH (K1) — Servicelevel Premium")
    for part in (
        "vor Ort",
        "selben Tag",
        "regelmäßig",
        "Garantierter",
        "Veranstaltungen",
        "gedruckt",
        "Erreichbarkeit",
        "4 Stunden",
        "Fester",
        "10.000 EUR",
    ):
        assert part in de
    for part in (
        "our office",
        "next working day",
        "on your request",
        "on request",
        "24 hours",
        "Service team",
        "EUR 500",
    ):
        assert part in en
