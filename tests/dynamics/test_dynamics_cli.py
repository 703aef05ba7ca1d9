import json
from datetime import date

import pytest
from dynamics_helpers import add_customer, add_invoice, median_split_settings, three_customers

from kundenwert.cli import main
from kundenwert.review import run_review
from kundenwert.store import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "k.duckdb"
    with open_store(path, create=True) as store:
        three_customers(store)
    return str(path)


def run(capsys, *args):
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_actions_filtered_by_owner(db, capsys):
    code, out, _ = run(capsys, "actions", "--db", db, "--json")
    assert code == 0
    everyone = json.loads(out)
    assert everyone and {"owner", "action", "due", "label"} <= set(everyone[0])
    code, out, _ = run(capsys, "actions", "--db", db, "--owner", "Bernd", "--json")
    rows = json.loads(out)
    assert {r["owner"] for r in rows} <= {"Bernd"}
    assert len(rows) == sum(r["owner"] == "Bernd" for r in everyone)


def test_changes_matrix_and_json(db, capsys):
    code, out, _ = run(capsys, "changes", "--db", db, "--from", "1", "--to", "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["from"], data["to"]) == (1, 2)
    assert sum(r["customers"] for r in data["class_matrix"]) == 3
    code, out, _ = run(capsys, "changes", "--db", db)
    assert code == 0 and "ABC" in out and "Quadrant" in out


def test_trajectories_alerts_surveys_run(db, capsys):
    code, out, _ = run(capsys, "trajectories", "--db", db, "--json")
    assert code == 0
    rows = {r["customer_id"]: r for r in json.loads(out)}
    assert set(rows) == {"K1", "K2", "K3"}
    assert rows["K2"]["phase"] in ("declining", "dormant", "lost", "won_back")
    code, out, _ = run(capsys, "alerts", "--db", db, "--json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = run(capsys, "surveys", "--db", db, "--customer", "K1", "--json")
    assert code == 0 and json.loads(out) == []


def test_changes_without_reviews_is_an_error(tmp_path, capsys):
    path = tmp_path / "empty.duckdb"
    open_store(path, create=True).close()
    code, _, err = run(capsys, "changes", "--db", str(path))
    assert code != 0 and "Review" in err


def test_an_unknown_review_is_named_with_where_to_find_the_others(db, capsys):
    code, _, err = run(capsys, "alerts", "--db", db, "--review", "999")
    assert code == 4
    assert "Review 999 gibt es nicht" in err
    assert "kundenwert reviews" in err


def test_alerts_json_is_complete_unless_limited(db, capsys):
    # Issue 12: --limit was ignored with --json; without it scripts get the whole list.
    code, out, _ = run(capsys, "alerts", "--db", db, "--json")
    everything = json.loads(out)
    assert code == 0 and len(everything) >= 2
    code, out, _ = run(capsys, "alerts", "--db", db, "--json", "--limit", "1")
    assert json.loads(out) == everything[:1]
    stakes = [a["stake"] for a in everything]
    assert stakes == sorted(stakes, reverse=True)  # the most money at stake first


def test_alerts_table_is_in_words_and_cut_per_account_manager(tmp_path, db, capsys):
    config = tmp_path / "k.toml"
    config.write_text("[dynamics.alerts]\nper_owner = 1\n", "utf-8")
    code, out, _ = run(capsys, "alerts", "--db", db, "--config", str(config))
    assert code == 0
    assert "Betrag" in out and "Warnung" in out
    assert "top_silent" not in out and "customer_id" not in out
    _, everything, _ = run(capsys, "alerts", "--db", db, "--json")
    owners = {a["owner"] for a in json.loads(everything)}
    assert f"Warnungen ({len(owners)})" in out  # one per account manager
    code, out, _ = run(capsys, "alerts", "--db", db, "--config", str(config), "--all")
    assert f"Warnungen ({len(json.loads(everything))})" in out


def test_rules_without_their_inputs_do_not_run(db, capsys):
    # No activities and no surveys were imported: no "yearly check missing" for everybody,
    # and the list says which rules were not checked.
    _, out, _ = run(capsys, "alerts", "--db", db, "--json")
    assert not {a["alert"] for a in json.loads(out)} & {"yearly_check_missed"}
    _, out, _ = run(capsys, "alerts", "--db", db, "--all")
    assert "Nicht geprüft: Jahrescheck fehlt – es wurden nie Aktivitäten importiert." in out
    assert "Nicht geprüft: Zufriedenheit sinkt" in out


def test_alert_status_hides_the_alert_until_with_handled(tmp_path, capsys):
    path = str(tmp_path / "s.duckdb")
    with open_store(path, create=True) as store:
        add_customer(store, "K1", manager="Anna")
        add_customer(store, "K2", manager="Bernd")
        for m in range(1, 13):
            add_invoice(store, "K1", date(2025, m, 10), 1000 * m, cost=900 * m)
            add_invoice(store, "K2", date(2024, m, 10), 5000)
        run_review(store, median_split_settings(), date(2026, 6, 30))
    code, out, _ = run(capsys, "alerts", "--db", path, "--json")
    assert any(r["customer_id"] == "K1" and r["alert"] == "top_silent" for r in json.loads(out))
    code, out, err = run(
        capsys, "alert-status", "set", "--db", path, "--customer", "K1", "--alert",
        "top_silent", "--status", "dismissed", "--by", "Anna",
    )  # fmt: skip
    assert code == 2 and "Notiz" in err  # dismissing says why
    code, out, err = run(
        capsys, "alert-status", "set", "--db", path, "--customer", "K1", "--alert",
        "top_silent", "--status", "verworfen", "--note", "Betriebsferien", "--by", "Anna",
    )  # fmt: skip
    assert code == 0 and "Top-Kunde still – verworfen" in " ".join(out.split())
    code, out, _ = run(capsys, "alerts", "--db", path, "--json")
    assert not any(r["customer_id"] == "K1" for r in json.loads(out))
    code, out, _ = run(capsys, "alerts", "--db", path, "--json", "--with-handled")
    (k1,) = [r for r in json.loads(out) if r["customer_id"] == "K1"]
    assert (k1["status"], k1["status_by"], k1["status_note"]) == (
        "dismissed",
        "Anna",
        "Betriebsferien",
    )
    code, out, _ = run(capsys, "alerts", "--db", path, "--with-handled", "--all")
    assert "verworfen" in out and "top_silent" not in out and "dismissed" not in out
    code, out, _ = run(capsys, "alert-status", "history", "--db", path)
    # The table may wrap a cell over two lines at 80 columns: look for the words.
    words = out.split()
    assert code == 0 and {"Top-Kunde", "still", "Betriebsferien"} <= set(words)


def test_action_status_needs_one_of_alert_or_action(db, capsys):
    code, _, err = run(
        capsys, "alert-status", "set", "--db", db, "--customer", "K1", "--status", "done",
        "--by", "Anna",
    )  # fmt: skip
    assert code == 2 and "--alert" in err
