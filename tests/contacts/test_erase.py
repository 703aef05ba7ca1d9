"""Erasing a person: no personal field is left in any table, file or export; sums stay."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from contacts_helpers import PERSON, import_company, settings, write_company

from kundenwert.contacts.erase import erase_contact
from kundenwert.errors import InputError, NotFoundError
from kundenwert.importing import import_path
from kundenwert.store import open_store
from kundenwert.store.rewrite import rewrite_file


def _all_text(store) -> str:
    """Every value of every table of the database, as text, but the register of erased ids
    (which keeps the id, and only the id, by design)."""
    parts = []
    tables = store.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
        "AND table_name <> 'erased_contacts'"
    ).fetchall()
    for (name,) in tables:
        for row in store.con.execute(f'SELECT * FROM "{name}"').fetchall():
            parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts).lower()


def _leaks(text: str, values: tuple[str, ...] = PERSON) -> list[str]:
    """The person's values found in ``text`` as whole words (so "P10" is not "P1")."""
    return [s for s in values if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text, re.I)]


#: What the file may not hold at all: the id stays in the register of erased persons.
PERSONAL = PERSON[1:]


def _prepare(store, tmp_path: Path) -> None:
    import_company(store, tmp_path)
    # A second import with P1's row broken: rejected, with the person's data as read.
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        "Kontaktnummer;Kunde;Name;Rolle;Abteilung;aktiv;Telefon;E-Mail\n"
        "P1;K1;Ottilie Quastenberg;Chefin;GL;ja;+49 711 4711;o.quastenberg@k1.example\n",
        encoding="utf-8",
    )
    import_path(store, folder, settings(tmp_path))
    store.con.execute(
        "INSERT INTO ratings VALUES ('K1', 'relationship_quality', 4, DATE '2026-03-01', "
        "'Anna Berger', 'gutes Gespräch mit ottilie quastenberg', 1)"
    )
    # A note on an alert naming the person; a text with a longer id that must stay.
    store.con.execute(
        "INSERT INTO list_status VALUES (1, 'alert', 'K1', 'klette', 'dismissed', "
        "'mit Ottilie Quastenberg besprochen', 'Anna', now(), 'x', 100.0)"
    )
    store.con.execute(
        "UPDATE activities SET description = 'Los P10 geliefert' WHERE activity_id = 'A3'"
    )


def test_erase_leaves_no_personal_field_and_keeps_the_sums(store, tmp_path):
    _prepare(store, tmp_path)
    reports = tmp_path / "reports"
    assert any(_leaks(p.read_text("utf-8-sig")) for p in reports.rglob("*.rejected.csv"))
    cost_before = store.con.execute("SELECT sum(cost), count(*) FROM activities").fetchone()
    assert _leaks(_all_text(store))

    result = erase_contact(
        store, "P1", by="Datenschutz", reason="Antrag Art. 17", report_dirs=[reports]
    )

    assert result.contacts_deleted == 1 and result.activities_unlinked == 1
    assert result.rejected_rows_deleted == 1  # the broken row of the second import
    assert result.texts_cleaned["activities.description"] == 1
    assert result.texts_cleaned["ratings.comment"] == 1
    assert result.texts_cleaned["list_status.note"] == 1
    kept = store.con.execute("SELECT description FROM activities WHERE activity_id = 'A3'")
    assert kept.fetchone()[0] == "Los P10 geliefert"
    assert store.con.execute("SELECT sum(cost), count(*) FROM activities").fetchone() == (
        cost_before
    )
    assert _leaks(_all_text(store)) == []
    for path in reports.rglob("*"):
        if path.is_file():
            assert _leaks(path.read_text("utf-8-sig")) == [], path
    register = store.con.execute("SELECT * FROM erased_contacts").fetchall()
    assert [r[:2] for r in register] == [("P1", "K1")] and register[0][3:] == (
        "Datenschutz",
        "Antrag Art. 17",
    )
    # The others are untouched.
    assert store.con.execute("SELECT count(*) FROM contacts").fetchone()[0] == 3
    assert "Hans Wendelin" in _all_text(store).title()


def test_the_file_keeps_no_erased_value_in_its_free_space(tmp_path):
    path = tmp_path / "kw.duckdb"
    store = open_store(path, create=True)
    _prepare(store, tmp_path)
    store.con.execute("CHECKPOINT")
    erase_contact(store, "P1", by="DS", reason="Art. 17")
    store.con.execute("CHECKPOINT")
    # Without the rewrite DuckDB leaves the deleted values in free blocks: the check can fail.
    leaked_before = _leaks(path.read_bytes().decode("utf-8", "ignore"), PERSONAL)
    rewrite_file(store)
    raw = path.read_bytes()
    assert _leaks(raw.decode("utf-8", "ignore"), PERSONAL) == []
    assert leaked_before, "the test would not notice values left in free space"
    # The database still works, sequences continue.
    batches = store.con.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
    assert store.con.execute("SELECT nextval('import_batch_seq')").fetchone()[0] == batches + 1
    store.close()
    reopened = open_store(path)
    assert reopened.con.execute("SELECT count(*) FROM contacts").fetchone()[0] == 3
    reopened.close()


def test_the_next_import_does_not_bring_the_person_back(store, tmp_path):
    import_company(store, tmp_path)
    erase_contact(store, "P1", by="DS", reason="Art. 17")
    again = tmp_path / "again"
    write_company(again)
    (again / "activities.csv").write_text(
        (again / "activities.csv").read_text("utf-8").replace("200;", "210;"), "utf-8"
    )
    import_path(store, again, settings(tmp_path))
    assert _leaks(_all_text(store)) == []
    assert (
        store.con.execute("SELECT cost FROM activities WHERE activity_id = 'A1'").fetchone()[0]
        == 210
    )


def test_erase_needs_a_known_person_and_a_reason(store, tmp_path):
    import_company(store, tmp_path)
    with pytest.raises(NotFoundError):
        erase_contact(store, "P99", by="DS", reason="Art. 17")
    with pytest.raises(InputError):
        erase_contact(store, "P1", by="DS", reason=" ")
    erase_contact(store, "P1", by="DS", reason="Art. 17")
    with pytest.raises(InputError):
        erase_contact(store, "P1", by="DS", reason="Art. 17")


def test_cli_erase_reports_in_json(tmp_path, monkeypatch, capsys):
    from kundenwert.cli import main

    db = tmp_path / "kw.duckdb"
    store = open_store(db, create=True)
    import_company(store, tmp_path)
    store.close()
    (tmp_path / "kundenwert.toml").write_text(
        f'[import]\nreport_dir = "{tmp_path / "reports"}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "contacts",
                "erase",
                "P1",
                "--by",
                "DS",
                "--reason",
                "Art. 17",
                "--db",
                str(db),
                "--json",
            ]
        )
    assert exit_.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["contacts_deleted"] == 1 and out["file_bytes"] > 0
    assert _leaks(db.read_bytes().decode("utf-8", "ignore"), PERSONAL) == []


def test_a_namesake_at_another_customer_keeps_their_name(store, tmp_path):
    import_company(store, tmp_path)
    store.con.execute(
        "UPDATE activities SET description = 'Rückruf Ottilie Quastenberg (Einkauf K2)' "
        "WHERE activity_id = 'A3'"
    )
    result = erase_contact(store, "P1", by="DS", reason="Art. 17")
    assert result.texts_cleaned == {"activities.description": 1}  # A1 of K1 only
    rows = dict(store.con.execute("SELECT activity_id, description FROM activities").fetchall())
    assert rows["A3"] == "Rückruf Ottilie Quastenberg (Einkauf K2)"
    assert rows["A1"] == "Besuch bei [gelöscht] wegen Angebot"
