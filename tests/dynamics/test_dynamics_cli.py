import json
from datetime import date

import pytest
from dynamics_helpers import add_customer, add_invoice

from kundenwert.cli import main
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "k.duckdb"
    with open_store(path, create=True) as store:
        add_customer(store, "K1", manager="Anna")
        add_customer(store, "K2", manager="Bernd")
        add_customer(store, "K3", manager="Anna")
        for m in range(1, 13):
            add_invoice(store, "K1", date(2025, m, 10), 1000 * m, cost=900 * m)
            add_invoice(store, "K2", date(2024, m, 10), 5000)
            add_invoice(store, "K3", date(2025, m, 12), 50)
        add_invoice(store, "K2", date(2026, 5, 10), 100)
        run_review(store, Settings(), date(2025, 6, 30))
        run_review(store, Settings(), date(2026, 6, 30))
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
