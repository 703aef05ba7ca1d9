"""`kundenwert optimize`: the tables sorted by customer, nothing else changed, atomically."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from kundenwert.cli import main
from kundenwert.demo import generate
from kundenwert.demo.writer import write
from kundenwert.importing import import_path, status
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import maintenance, open_store

KEYS = maintenance.CLUSTER_KEYS


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    write(generate(250, 2, 5), out, "parquet")
    return out


@pytest.fixture
def imported(tmp_path, export_dir):
    store = open_store(tmp_path / "k.duckdb", create=True)
    import_path(store, export_dir, Settings(), report_dir=tmp_path / "reports")
    yield store
    store.close()


def _in_storage_order(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT {', '.join(KEYS[table])} FROM {table} ORDER BY rowid").fetchall()


def _contents(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_optimize_stores_rows_by_customer_and_date_and_changes_nothing_else(imported):
    con = imported.con
    before = {t: _contents(con, t) for t in KEYS}
    assert _in_storage_order(con, "invoices") != sorted(_in_storage_order(con, "invoices"))

    result = maintenance.optimize(imported)

    for table in KEYS:
        stored = _in_storage_order(con, table)
        assert stored == sorted(stored, key=lambda r: tuple((v is None, v) for v in r))
        assert _contents(con, table) == before[table]
        assert result.rows[table] == len(before[table])
    # The table definition survives the rewrite: required columns stay required.
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO invoices (invoice_id, customer_id, date, amount, batch_id) "
            "VALUES ('X1', NULL, DATE '2026-01-01', 1, 1)"
        )
    leftovers = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'kw_optimize_%'"
    ).fetchone()[0]
    assert leftovers == 0


def test_a_review_after_optimize_has_the_same_numbers(imported):
    settings = Settings()
    first = run_review(imported, settings, date(2025, 12, 31))
    maintenance.optimize(imported)
    second = run_review(imported, settings, date(2025, 12, 31))
    rows = [
        imported.con.execute(
            "SELECT * EXCLUDE (review_id) FROM review_customers WHERE review_id = ? ORDER BY ALL",
            [r.review_id],
        ).fetchall()
        for r in (first, second)
    ]
    assert rows[0] == rows[1]
    assert first.totals == second.totals


def test_an_interrupted_optimize_leaves_the_tables_as_they_were(imported, monkeypatch):
    con = imported.con
    order_before = {t: _in_storage_order(con, t) for t in KEYS}
    rewrite = maintenance._rewrite_sorted

    def fail_on_activities(con, table, key):
        if table == "activities":
            raise KeyboardInterrupt
        return rewrite(con, table, key)

    monkeypatch.setattr(maintenance, "_rewrite_sorted", fail_on_activities)
    with pytest.raises(KeyboardInterrupt):
        maintenance.optimize(imported)
    # invoices had been rewritten inside the transaction: rolled back with the rest.
    assert {t: _in_storage_order(con, t) for t in KEYS} == order_before
    assert status(imported)["optimized"] is None


def test_status_counts_the_rows_imported_since_the_last_optimize(imported, tmp_path):
    maintenance.optimize(imported)
    assert status(imported)["optimized"]["rows_imported_since"] == 0
    more = tmp_path / "more"
    more.mkdir()
    customer = imported.con.execute("SELECT min(customer_id) FROM customers").fetchone()[0]
    (more / "invoices.csv").write_text(
        f"invoice_id;customer_id;date;amount\nNEU-1;{customer};02.01.2026;10,00\n",
        encoding="utf-8",
    )
    import_path(imported, more, Settings(), report_dir=tmp_path / "reports2")
    assert status(imported)["optimized"]["rows_imported_since"] == 1


def test_cli_optimize_reports_rows_as_json(capsys, imported):
    path = str(imported.path)
    counts = {t: imported.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in KEYS}
    imported.close()
    with pytest.raises(SystemExit) as info:
        main(["optimize", "--db", path, "--json"])
    assert info.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == counts
    assert data["seconds"] >= 0
