from datetime import date, datetime

import pytest
from review_helpers import AS_OF, add_customers, add_invoice, add_rating, review_rows

from kundenwert.errors import InputError, NotFoundError
from kundenwert.review import end_override, list_overrides, load_review, run_review, set_override
from kundenwert.review.overrides import audit_trail

DAY = date(2026, 3, 1)
NOW = datetime(2026, 7, 1, 9, 0)


@pytest.fixture
def reviewed(store, settings):
    add_customers(store, "K1", "K2", "K3")
    for cid, amount in (("K1", 800), ("K2", 150), ("K3", 50)):
        add_invoice(store, cid, DAY, amount)
    run_review(store, settings, AS_OF)
    return store


def test_override_shows_beside_the_computed_value_and_survives_new_reviews(reviewed, settings):
    set_override(
        reviewed,
        settings,
        "K3",
        "service_level",
        "Premium",
        reason="Messe-Referenz",
        by="M. Muster",
        until=date(2027, 6, 30),
        now=NOW,
    )
    row = review_rows(reviewed, settings, today=date(2026, 7, 2))["K3"]  # a new review
    assert (row["service_level"], row["service_level_effective"]) == ("standard", "premium")
    assert row["override_status"] == "active"
    assert "Messe-Referenz" in row["override"] and "M. Muster" in row["override"]
    assert row["override_until"] == date(2027, 6, 30)
    first = load_review(reviewed, 1, today=date(2026, 7, 2))  # set after review 1: shows too
    k3 = next(r for r in first.customers.to_pylist() if r["customer_id"] == "K3")
    assert k3["service_level_effective"] == "premium"


def test_expired_override_stops_applying_and_says_so(reviewed, settings):
    set_override(
        reviewed,
        settings,
        "K3",
        "service_level",
        "premium",
        reason="Aktion",
        by="A",
        until=date(2026, 7, 31),
        now=NOW,
    )
    rows = load_review(reviewed, today=date(2026, 8, 1)).customers.to_pylist()
    k3 = next(r for r in rows if r["customer_id"] == "K3")
    assert k3["service_level_effective"] == "standard"
    assert k3["override_status"] == "expired"
    assert "abgelaufen am 2026-07-31" in k3["override"]
    assert list_overrides(reviewed, today=date(2026, 8, 1))[0]["status"] == "expired"


def test_class_override_changes_the_effective_level_by_the_mapping(reviewed, settings):
    set_override(reviewed, settings, "K2", "abc_class", "a", reason="Wachstum", by="B", now=NOW)
    k2 = review_rows(reviewed, settings)["K2"]
    assert (k2["abc_class"], k2["abc_class_effective"]) == ("B", "A")
    assert k2["service_level_effective"] == "premium"


def test_override_may_put_a_strategic_customer_below_the_floor(reviewed, settings):
    add_rating(reviewed, "K1", "strategic_importance", 9)
    set_override(
        reviewed,
        settings,
        "K1",
        "service_level",
        "standard",
        reason="Kunde wünscht nur Standard",
        by="C",
        now=NOW,
    )
    k1 = review_rows(reviewed, settings)["K1"]
    assert k1["strategic"] is True
    assert (k1["service_level"], k1["service_level_effective"]) == ("premium", "standard")


def test_audit_trail_records_set_replace_and_end(reviewed, settings):
    first = set_override(
        reviewed, settings, "K2", "quadrant", "Topkunde", reason="r1", by="A", now=NOW
    )
    second = set_override(
        reviewed, settings, "K2", "quadrant", "small", reason="r2", by="B", now=datetime(2026, 7, 2)
    )
    end_override(
        reviewed, second["override_id"], by="C", reason="erledigt", now=datetime(2026, 7, 3)
    )
    trail = [
        (a["action"], a["old_value"], a["new_value"], a["changed_by"], a["reason"])
        for a in audit_trail(reviewed, customer_id="K2")
    ]
    computed = review_rows(reviewed, settings)["K2"]["quadrant"]
    assert trail[0][1] in ("top", "development", "small", "premium")  # computed before
    assert trail == [
        ("set", trail[0][1], "top", "A", "r1"),
        ("replace", "top", "small", "B", "r2"),
        ("end", "small", trail[2][2], "C", "erledigt"),
    ]
    assert trail[2][2] == computed
    assert list_overrides(reviewed) == []
    statuses = {o["override_id"]: o["status"] for o in list_overrides(reviewed, include_ended=True)}
    assert statuses == {first["override_id"]: "ended", second["override_id"]: "ended"}
    with pytest.raises(InputError):
        end_override(reviewed, second["override_id"], by="C")


def test_bad_overrides_are_refused(reviewed, settings):
    with pytest.raises(NotFoundError):
        set_override(reviewed, settings, "K9", "abc_class", "A", reason="x", by="y", now=NOW)
    with pytest.raises(InputError, match="gold"):
        set_override(reviewed, settings, "K1", "service_level", "gold", reason="x", by="y", now=NOW)
    with pytest.raises(InputError):
        set_override(reviewed, settings, "K1", "abc_class", "A", reason=" ", by="y", now=NOW)
    with pytest.raises(InputError):
        set_override(
            reviewed,
            settings,
            "K1",
            "abc_class",
            "A",
            reason="x",
            by="y",
            until=date(2026, 6, 30),
            now=NOW,
        )
    with pytest.raises(NotFoundError):
        end_override(reviewed, 99, by="y")
