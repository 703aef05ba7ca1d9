"""Issue 14.8 and 14.9: the strategic flag as a documented override, and a service level the
customer buys, with its cost-sharing note."""

from datetime import date, datetime

import pytest
from review_helpers import AS_OF, add_customers, add_invoice, add_rating, make_settings, review_rows

from kundenwert.errors import InputError
from kundenwert.review import end_override, run_review, set_override
from kundenwert.review.overrides import audit_trail

DAY = date(2026, 3, 1)
NOW = datetime(2026, 7, 1, 9, 0)
TODAY = date(2026, 7, 2)
BY_CLASS = make_settings({"service": {"by": "class"}})


@pytest.fixture
def reviewed(store):
    """K1 class A (premium), K2 class C (standard), K3 class C but strategic (plus)."""
    add_customers(store, "K1", "K2", "K3")
    for cid, amount in (("K1", 800), ("K2", 20), ("K3", 10)):
        add_invoice(store, cid, DAY, amount)
    add_rating(store, "K3", "strategic_importance", 9)
    run_review(store, BY_CLASS, AS_OF)
    return store


def effective(store):
    return review_rows(store, BY_CLASS, today=TODAY)


def test_strategic_set_by_override_lifts_to_the_floor_until_it_ends(reviewed):
    ov = set_override(
        reviewed,
        BY_CLASS,
        "K2",
        "strategic",
        "ja",
        reason="Referenzkunde Messe 2027",
        by="M. Muster",
        until=date(2027, 6, 30),
        now=NOW,
    )
    assert ov["value"] == "true"
    row = effective(reviewed)["K2"]
    assert (row["strategic"], row["strategic_effective"]) == (False, True)
    assert (row["service_level"], row["service_level_effective"]) == ("standard", "plus")
    assert "strategic=true (Referenzkunde Messe 2027; M. Muster; bis 2027-06-30)" in row["override"]
    end_override(reviewed, ov["override_id"], by="M. Muster", reason="Messe abgesagt", now=NOW)
    row = effective(reviewed)["K2"]
    assert (row["strategic_effective"], row["service_level_effective"]) == (False, "standard")
    trail = [(a["action"], a["old_value"], a["new_value"]) for a in audit_trail(reviewed)]
    assert trail == [("set", "false", "true"), ("end", "true", "false")]


def test_strategic_ended_by_override_drops_the_floor_and_expires(reviewed):
    set_override(
        reviewed,
        BY_CLASS,
        "K3",
        "strategic",
        "nein",
        reason="Kein Referenzprojekt mehr",
        by="M. Muster",
        until=date(2026, 7, 1),
        now=NOW,
    )
    # Active on 2026-07-01: not strategic, the class's level standard applies.
    row = review_rows(reviewed, BY_CLASS, today=date(2026, 7, 1))["K3"]
    assert (row["strategic_effective"], row["service_level_effective"]) == (False, "standard")
    # Expired the day after: the computed flag and level apply again, and it says so.
    row = effective(reviewed)["K3"]
    assert (row["strategic_effective"], row["service_level_effective"]) == (True, "plus")
    assert row["override_status"] == "expired"


def test_a_purchased_level_needs_a_cost_sharing_note_and_shows_it(reviewed):
    with pytest.raises(InputError, match="Kostenteilung"):
        set_override(
            reviewed, BY_CLASS, "K2", "service_level", "premium", reason="Paket", by="M. M.",
            kind="purchased",
        )  # fmt: skip
    with pytest.raises(InputError, match="Nur ein Servicelevel"):
        set_override(
            reviewed, BY_CLASS, "K2", "quadrant", "top", reason="Paket", by="M. M.",
            kind="purchased", note="x",
        )  # fmt: skip
    set_override(
        reviewed,
        BY_CLASS,
        "K2",
        "service_level",
        "premium",
        reason="Premium-Paket gebucht",
        by="M. Muster",
        now=NOW,
        kind="purchased",
        note="Kunde zahlt 2.400 EUR pro Jahr, wir tragen den Rest",
    )
    # A customer who does not want the level of its class buys a lower one.
    set_override(
        reviewed,
        BY_CLASS,
        "K1",
        "service_level",
        "standard",
        reason="Will keinen festen Ansprechpartner",
        by="M. Muster",
        now=NOW,
        kind="purchased",
        note="Preisnachlass 1 % statt Premium-Leistungen",
    )
    rows = effective(reviewed)
    assert rows["K2"]["service_level_effective"] == "premium"
    assert rows["K2"]["purchase_note"] == "Kunde zahlt 2.400 EUR pro Jahr, wir tragen den Rest"
    assert "gekauft: Kunde zahlt 2.400 EUR" in rows["K2"]["override"]
    assert rows["K1"]["service_level_effective"] == "standard"
    assert rows["K3"]["purchase_note"] is None
    assert "gekauft; Kosten: Kunde zahlt" in audit_trail(reviewed, customer_id="K2")[0]["reason"]


def test_strategic_values_are_checked(reviewed):
    with pytest.raises(InputError, match="ja oder nein"):
        set_override(reviewed, BY_CLASS, "K2", "strategic", "vielleicht", reason="x", by="y")


def test_cli_sets_strategic_and_a_purchased_level(tmp_path, capsys):
    from kundenwert.cli import main
    from kundenwert.store import open_store

    db = str(tmp_path / "k.duckdb")
    with open_store(db, create=True) as store:
        add_customers(store, "K1")
        add_invoice(store, "K1", DAY, 800)

    def run(*args):
        try:
            main(list(args))
        except SystemExit as exc:
            assert not exc.code, capsys.readouterr()
        return capsys.readouterr().out

    run("review", "--as-of", "2026-06-30", "--db", db)
    run(
        "override",
        "set",
        "K1",
        "--strategic",
        "ja",
        "--reason",
        "Referenz",
        "--by",
        "A",
        "--db",
        db,
    )
    out = run(
        "override", "set", "K1", "--service-level", "plus", "--purchased",
        "--note", "Kunde zahlt die Hälfte", "--reason", "Paket", "--by", "A", "--db", db,
    )  # fmt: skip
    assert "service_level = plus" in out
    listed = run("override", "list", "--json", "--db", db)
    kinds = {(r["field"], r["kind"], r["note"]) for r in __import__("json").loads(listed)}
    assert kinds == {
        ("strategic", "exception", None),
        ("service_level", "purchased", "Kunde zahlt die Hälfte"),
    }
