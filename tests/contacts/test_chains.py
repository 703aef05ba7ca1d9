"""Problem-solving chains: validated, stored in versions (who, when, why), scoped by customer."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from contacts_helpers import example_chain, import_company

from kundenwert.contacts.chains import (
    DEFAULT_ACTORS,
    Chain,
    chain_history,
    create_chain,
    delete_chain,
    get_chain,
    list_chains,
    template,
    update_chain,
)
from kundenwert.contacts.erase import erase_contact
from kundenwert.errors import InputError, NotFoundError


def test_a_chain_is_stored_in_versions(store, tmp_path):
    import_company(store, tmp_path)
    t1, t2 = datetime(2026, 7, 1, 9), datetime(2026, 7, 2, 9)
    made = create_chain(store, example_chain(), by="Chefin", reason="Start", now=t1)
    assert (made["version"], made["action"], made["changed_by"]) == (1, "create", "Chefin")
    changed = example_chain()
    changed["actors"].insert(4, {"kind": "user", "name": "Messtechniker"})
    changed["activities"][0]["actor"] = 3
    again = update_chain(store, made["chain_id"], changed, by="Chefin", reason="Nutzer", now=t2)
    assert again["version"] == 2 and len(again["chain"]["actors"]) == 6
    old = get_chain(store, made["chain_id"], version=1)
    assert len(old["chain"]["actors"]) == 5 and old["changed_at"] == t1
    history = chain_history(store, made["chain_id"])
    assert [(h["version"], h["action"], h["reason"]) for h in history] == [
        (1, "create", "Start"),
        (2, "edit", "Nutzer"),
    ]
    assert Chain.model_validate(again["chain"]).activities[0].due == date(2026, 9, 30)


def test_bad_chains_are_refused_naming_the_field(store, tmp_path):
    import_company(store, tmp_path)
    bad = example_chain()
    bad["actors"][0]["kind"] = "Bäcker"
    with pytest.raises(InputError, match=r"actors\.0\.kind"):
        create_chain(store, bad, by="A", reason="B")
    bad = example_chain()
    bad["activities"][0]["actor"] = 9
    with pytest.raises(InputError, match="actor 9"):
        create_chain(store, bad, by="A", reason="B")
    with pytest.raises(InputError, match="K7"):
        create_chain(store, example_chain(["K7"]), by="A", reason="B")
    bad = example_chain()
    bad["actors"][3]["persons"][0]["contact_id"] = "P77"
    with pytest.raises(InputError, match="P77"):
        create_chain(store, bad, by="A", reason="B")
    with pytest.raises(InputError):
        create_chain(store, example_chain(), by="A", reason=" ")


def test_chains_concerning_a_customer_and_deletion(store, tmp_path):
    import_company(store, tmp_path)
    a = create_chain(store, example_chain(["K1"]), by="A", reason="B")
    b = create_chain(store, example_chain(["K2", "K3"]), by="A", reason="B")
    assert [c["chain_id"] for c in list_chains(store)] == [b["chain_id"], a["chain_id"]]
    assert [c["chain_id"] for c in list_chains(store, customer_ids=["K3"])] == [b["chain_id"]]
    delete_chain(store, b["chain_id"], by="A", reason="erledigt")
    assert [c["chain_id"] for c in list_chains(store)] == [a["chain_id"]]
    with pytest.raises(NotFoundError):
        get_chain(store, b["chain_id"])
    assert chain_history(store, b["chain_id"])[-1]["action"] == "delete"


def test_erasing_a_person_removes_them_from_every_version(store, tmp_path):
    import_company(store, tmp_path)
    made = create_chain(store, example_chain(), by="A", reason="B")
    update_chain(store, made["chain_id"], example_chain(), by="A", reason="C")
    result = erase_contact(store, "P2", by="DS", reason="Art. 17")
    assert result.chain_versions_cleaned == 2
    for version in (1, 2):
        doc = get_chain(store, made["chain_id"], version=version)["chain"]
        assert "Wendelin" not in json.dumps(doc) and "P2" not in json.dumps(doc)
        assert doc["actors"][3]["persons"] == []


def test_template_has_the_seed_actors():
    chain = template("de")
    assert [a.kind for a in chain.actors] == list(DEFAULT_ACTORS)
    assert chain.actors[1].name == "Hersteller (wir)"


def test_cli_create_show_history(store, tmp_path, capsys, monkeypatch):
    from kundenwert.cli import main
    from kundenwert.cli.app import console

    monkeypatch.setattr(console, "width", 250)
    import_company(store, tmp_path)
    db = str(store.path)
    store.close()
    path = tmp_path / "kette.json"
    path.write_text(json.dumps(example_chain()), encoding="utf-8")

    def run(*args):
        with pytest.raises(SystemExit) as exit_:
            main([*args, "--db", db])
        return exit_.value.code or 0, capsys.readouterr().out

    code, out = run("chain", "create", str(path), "--by", "Chefin", "--reason", "Start", "--json")
    assert code == 0 and json.loads(out)["version"] == 1
    code, out = run("chain", "show", "1")
    assert "Fachhandel Süd" in out and "Hans Wendelin" in out and "Kunde des Kunden" in out
    code, out = run("chain", "edit", "1", str(path), "--by", "Chefin", "--reason", "Zwei")
    code, out = run("chain", "history", "1")
    assert "angelegt" in out and "geändert" in out and "Zwei" in out
    code, out = run("chain", "list", "--customer", "K2")
    assert "Messgeräte" in out
    path.write_text("{kaputt", encoding="utf-8")
    code, _ = run("chain", "create", str(path), "--by", "Chefin", "--reason", "Start")
    assert code != 0
