import json
import re
from datetime import date

import openpyxl
import pytest
from review_helpers import add_customers, add_invoice

from kundenwert.cli import main
from kundenwert.store import open_store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "k.duckdb"
    with open_store(path, create=True) as store:
        add_customers(store, "K1", "K2")
        add_invoice(store, "K1", date(2026, 3, 1), 800)
        add_invoice(store, "K2", date(2026, 3, 1), 100)
    return str(path)


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_review_reviews_export_and_overrides(db, capsys, tmp_path):
    code, out, _ = run(capsys, "review", "--as-of", "30.06.2026", "--db", db, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["review_id"] == 1 and result["window_start"] == "2025-07-01"
    code, out, _ = run(capsys, "review", "--as-of", "2026-06-30", "--window", "24m", "--db", db)
    assert code == 0 and "Review 2" in out
    # Issue 18: the summary is German, in words and German numbers, no internal keys.
    assert "Deckungsbeitrag III" in out and "Umsatz der Kunden" in out
    assert "margin_3" not in out and "revenue" not in out
    assert re.search(r"\d,\d\d\s€", out)  # decimal comma
    assert "Prognose" in out
    code, out, _ = run(capsys, "reviews", "--db", db, "--json")
    assert [r["window_months"] for r in json.loads(out)] == [24, 12]

    code, out, _ = run(
        capsys,
        "override",
        "set",
        "K2",
        "--service-level",
        "premium",
        "--reason",
        "Referenz",
        "--by",
        "M. Muster",
        "--until",
        "2099-01-01",
        "--db",
        db,
        "--json",
    )
    assert code == 0 and json.loads(out)["value"] == "premium"
    code, out, _ = run(capsys, "override", "list", "--db", db, "--json")
    assert [o["customer_id"] for o in json.loads(out)] == ["K2"]

    xlsx = tmp_path / "out.xlsx"
    code, out, _ = run(capsys, "export", "--format", "xlsx", "--out", str(xlsx), "--db", db)
    assert code == 0 and xlsx.exists()
    sheet = openpyxl.load_workbook(xlsx)["Kunden"]
    header = [c.value for c in sheet[1]]
    k2 = [c.value for c in sheet[3]]
    assert k2[0] == "K2" and k2[header.index("Servicelevel")] == "Premium"

    code, out, _ = run(capsys, "commitment", "K2", "--db", db)
    assert code == 0 and "Servicelevel Premium" in out
    letter = tmp_path / "zusage-K2.txt"
    code, out, _ = run(capsys, "commitment", "K2", "--lang", "en", "--out", str(letter), "--db", db)
    assert code == 0 and "service level Premium" in letter.read_text("utf-8")
    code, out, _ = run(capsys, "override", "end", "1", "--by", "M. Muster", "--db", db)
    assert code == 0
    code, out, _ = run(capsys, "override", "list", "--db", db, "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "override", "audit", "--customer", "K2", "--db", db, "--json")
    assert [(a["action"], a["new_value"]) for a in json.loads(out)] == [
        ("set", "premium"),
        ("end", "plus"),
    ]


def test_errors_have_messages_and_exit_codes(db, capsys, tmp_path):
    code, _, err = run(capsys, "review", "--as-of", "2026-02-30", "--db", db)
    assert code == 2 and "Ungültiges Datum" in err
    code, _, err = run(
        capsys,
        "export",
        "--review",
        "9",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        "--db",
        db,
    )
    assert code == 4 and "Review 9" in err
    code, _, err = run(
        capsys,
        "override",
        "set",
        "K1",
        "--class",
        "A",
        "--quadrant",
        "top",
        "--reason",
        "r",
        "--by",
        "b",
        "--db",
        db,
    )
    assert code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[review.matrix.x]\nmeasure = "turnover"\n', "utf-8")
    code, _, err = run(capsys, "review", "--as-of", "2026-06-30", "--db", db, "--config", str(bad))
    assert code == 2 and "review.matrix.x.measure" in err


def test_review_summary_states_the_revenue_with_complete_margins_and_warns(db, capsys):
    # The fixture's lines have no cost of goods: no margin is complete.
    code, out, _ = run(capsys, "review", "--as-of", "2026-06-30", "--db", db)
    assert code == 0
    text = " ".join(out.split())
    assert "Umsatz mit vollständigen DB" in text and "0,0 %" in text  # split() takes the nbsp
    assert "Achtung: Deckungsbeiträge unvollständig bei 2 Kunden" in text
    assert "Kundenwert-Klasse" in text
    code, out, _ = run(capsys, "review", "--as-of", "2026-06-30", "--db", db, "--json")
    data = json.loads(out)
    assert data["complete_revenue_share"] == 0.0
    assert data["findings"][0]["key"] == "margins_incomplete"
