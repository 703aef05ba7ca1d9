"""The data commands: exit codes, JSON output, messages."""

from __future__ import annotations

import json

import pytest

from kundenwert.cli import main


def run(capsys, *args):
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


@pytest.fixture
def export(tmp_path):
    d = tmp_path / "export"
    d.mkdir()
    (d / "customers.csv").write_text("customer_id;name\nK1;Müller\nK2;Schulz\n", encoding="cp1252")
    (d / "invoices.csv").write_text(
        "invoice_id;customer_id;date;amount\nR1;K1;31.12.2025;10,00\nR2;K3;31.12.2025;5,00\n",
        encoding="utf-8-sig",
    )
    return d


def test_import_json_reports_every_file_and_exits_3_on_rejected_rows(capsys, tmp_path, export):
    db = tmp_path / "k.duckdb"
    code, out, _ = run(
        capsys,
        "import",
        str(export),
        "--db",
        str(db),
        "--json",
        "--report-dir",
        str(tmp_path / "rep"),
    )
    assert code == 3
    data = json.loads(out)
    assert data["exit_code"] == 3
    files = {f["table"]: f for f in data["files"]}
    assert files["customers"]["rows_stored"] == 2
    assert files["invoices"]["rows_rejected"] == 1
    assert files["invoices"]["rejected_file"].endswith("invoices.rejected.csv")


def test_import_table_output_names_where_rejected_rows_went(capsys, tmp_path, export):
    code, out, _ = run(
        capsys,
        "import",
        str(export),
        "--db",
        str(tmp_path / "k.duckdb"),
        "--report-dir",
        str(tmp_path / "rep"),
    )
    assert code == 3
    assert "invoices.rejected.csv" in out.replace("\n", "")
    # R1 has no cost of goods: the import says what that does to the margins.
    text = " ".join(out.split())
    assert "invoices.csv: 1 Zeilen ohne Wareneinsatz (10,00 € Umsatz)" in text


def test_clean_import_exits_0_and_status_lists_it(capsys, tmp_path, export):
    (export / "invoices.csv").unlink()
    db = str(tmp_path / "k.duckdb")
    code, _, _ = run(capsys, "import", str(export), "--db", db, "--report-dir", str(tmp_path / "r"))
    assert code == 0
    code, out, _ = run(capsys, "status", "--db", db, "--json")
    assert code == 0
    info = json.loads(out)
    assert info["tables"]["customers"] == 2
    assert info["batches"][0]["file_name"] == "customers.csv"


def test_unreadable_file_exits_2_with_a_message_saying_what_to_do(capsys, tmp_path):
    bad = tmp_path / "invoices.parquet"
    bad.write_bytes(b"definitely not parquet")
    code, out, _ = run(
        capsys,
        "import",
        str(bad),
        "--db",
        str(tmp_path / "k.duckdb"),
        "--json",
        "--report-dir",
        str(tmp_path / "r"),
    )
    assert code == 2
    result = json.loads(out)["files"][0]
    assert result["status"] == "failed"
    assert "invoices.parquet" in result["error"] and result["hint"]


def test_missing_path_is_an_error_in_one_json_shape(capsys, tmp_path):
    code, out, _ = run(
        capsys, "import", str(tmp_path / "nope"), "--db", str(tmp_path / "k.duckdb"), "--json"
    )
    assert code == 2
    assert json.loads(out)["error"] == "import_file_error"


def test_bad_configuration_names_the_key(capsys, tmp_path, export):
    cfg = tmp_path / "kundenwert.toml"
    cfg.write_text('[import.tables.invoices.columns]\nkunde = "Kundennummer"\n')
    code, _, err = run(
        capsys, "import", str(export), "--db", str(tmp_path / "k.duckdb"), "--config", str(cfg)
    )
    assert code == 2
    assert "import.tables" in err and "kunde" in err


def test_init_creates_database_and_config_template(capsys, tmp_path):
    db, cfg = tmp_path / "k.duckdb", tmp_path / "kundenwert.toml"
    code, _, _ = run(capsys, "init", "--db", str(db), "--config", str(cfg))
    assert code == 0
    assert db.exists() and "[import.tables.invoices.columns]" in cfg.read_text()
    # The cost per hour is a visible decision in the template.
    assert "[review.margins]\n# cost_per_hour = " in cfg.read_text()
    from kundenwert.settings import load_settings

    load_settings(cfg)  # the template itself is valid


def _db_commands() -> list[list[str]]:
    """Every command that takes --db, as its path of names (``override set`` is two)."""
    import typer

    from kundenwert.cli import app

    def walk(command, path: list[str]) -> list[list[str]]:
        if hasattr(command, "commands"):  # a group (typer brings its own click classes)
            return [p for name, sub in command.commands.items() for p in walk(sub, [*path, name])]
        return [path] if any(p.name == "db" for p in command.params) else []

    return walk(typer.main.get_command(app), [])


CREATING = {("init",), ("import",)}
# What a command needs besides --db to get as far as opening the database.
REQUIRED = {
    ("commitment",): ["K1"],
    ("review",): ["--as-of", "2025-12-31"],
    ("export",): ["--out", "review.xlsx"],
    ("surveys",): ["--customer", "K1"],
    ("forecast", "fit"): ["--as-of", "2025-12-31"],
    ("forecast", "evaluate"): ["--holdout", "39w"],
    ("override", "set"): ["K1", "--reason", "x", "--by", "x", "--class", "A"],
    ("override", "end"): ["1", "--by", "x"],
    ("contacts", "erase"): ["P1", "--by", "x", "--reason", "x"],
    ("contacts", "list"): ["K1"],
    ("chain", "create"): ["kette.json", "--by", "x", "--reason", "x"],
    ("chain", "edit"): ["1", "kette.json", "--by", "x", "--reason", "x"],
    ("chain", "delete"): ["1", "--by", "x", "--reason", "x"],
    ("chain", "show"): ["1"],
    ("chain", "history"): ["1"],
    ("user", "add"): ["anna", "--password", "geheim"],
    ("user", "token"): ["anna"],
    ("user", "disable"): ["anna"],
    ("user", "enable"): ["anna"],
    ("user", "revoke"): ["0123456789ab"],
    ("alert-status", "set"): [
        "--customer",
        "K1",
        "--alert",
        "klette",
        "--status",
        "done",
        "--by",
        "x",
    ],
}


def test_every_reading_command_is_covered_by_the_missing_database_test():
    commands = {tuple(p) for p in _db_commands()}
    assert commands >= CREATING
    assert ("alerts",) in commands and ("serve",) in commands and ("status",) in commands


@pytest.mark.parametrize(
    "command", [p for p in _db_commands() if tuple(p) not in CREATING], ids=" ".join
)
def test_a_missing_database_is_an_error_and_nothing_is_created(capsys, tmp_path, command):
    db = tmp_path / "tippfehler.duckdb"
    code, out, err = run(capsys, *command, *REQUIRED.get(tuple(command), []), "--db", str(db))
    assert code == 2, out + err
    text = " ".join(err.split())
    assert str(db) in text.replace(" ", "") or db.name in text
    assert "gibt es nicht" in text and "kundenwert init" in text
    assert list(tmp_path.iterdir()) == []


def test_missing_database_with_json_is_one_json_error(capsys, tmp_path):
    code, out, _ = run(capsys, "status", "--db", str(tmp_path / "nein.duckdb"), "--json")
    assert code == 2
    assert json.loads(out)["error"] == "database_not_found"
    assert list(tmp_path.iterdir()) == []


def test_import_creates_a_missing_database(capsys, tmp_path, export):
    (export / "invoices.csv").unlink()
    db = tmp_path / "neu" / "k.duckdb"
    code, _, _ = run(capsys, "import", str(export), "--db", str(db), "--report-dir", str(tmp_path))
    assert code == 0 and db.exists()


def test_reimporting_a_file_does_not_count_its_rejected_rows_twice(capsys, tmp_path, export):
    db = str(tmp_path / "k.duckdb")

    def rejected() -> tuple[int, dict]:
        _, out, _ = run(capsys, "status", "--db", db, "--json")
        info = json.loads(out)
        return info["rejected_rows"], info["rejected_rows_by_table"]

    run(capsys, "import", str(export), "--db", db, "--report-dir", str(tmp_path / "r1"))
    assert rejected() == (1, {"invoices": 1})
    run(capsys, "import", str(export), "--db", db, "--report-dir", str(tmp_path / "r2"))
    assert rejected() == (1, {"invoices": 1})
    # Another file of the same table adds its own rejected rows; a corrected file clears its own.
    (export / "invoices_2.csv").write_text(
        "invoice_id;customer_id;date;amount\nR7;K9;31.12.2025;1,00\n", encoding="utf-8"
    )
    second = str(export / "invoices_2.csv")
    run(capsys, "import", second, "--table", "invoices", "--db", db, "--report-dir", str(tmp_path))
    assert rejected() == (2, {"invoices": 2})
    (export / "invoices.csv").write_text(
        "invoice_id;customer_id;date;amount\nR1;K1;31.12.2025;10,00\n", encoding="utf-8"
    )
    run(capsys, "import", str(export / "invoices.csv"), "--db", db, "--report-dir", str(tmp_path))
    assert rejected() == (1, {"invoices": 1})
    _, out, _ = run(capsys, "status", "--db", db)
    assert "letzter Import je Datei" in " ".join(out.split())


def test_rows_of_no_recorded_import_are_reported_and_repair_removes_them(capsys, tmp_path, export):
    from kundenwert.store import open_store

    db = str(tmp_path / "k.duckdb")
    run(capsys, "import", str(export), "--db", db, "--report-dir", str(tmp_path / "r"))
    with open_store(db) as store:  # as a kill during an older version's commit left them
        store.con.execute("UPDATE invoices SET batch_id = 99")
    code, out, err = run(capsys, "status", "--db", db, "--json")
    assert code == 0
    assert json.loads(out)["orphan_rows"][0] | {"message": ""} == {
        "table": "invoices",
        "batch_id": 99,
        "rows": 1,
        "message": "",
    }
    text = " ".join(err.split())
    assert "Tabelle invoices: 1 Zeilen gehören zu Import Nr. 99" in text
    assert "kundenwert repair" in text
    code, out, _ = run(capsys, "repair", "--db", db)
    assert code == 0 and "Nr. 99" in out
    _, out, err = run(capsys, "status", "--db", db, "--json")
    assert json.loads(out)["orphan_rows"] == [] and "Warnung" not in err
