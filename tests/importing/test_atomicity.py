"""An import is all or nothing: interrupted or killed, it leaves the database as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from import_helpers import write_text

from kundenwert.importing import pipeline
from kundenwert.store import open_store

HEADER = "invoice_id;line_no;customer_id;date;amount\n"


def snapshot(store):
    con = store.con
    return {
        table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("customers", "invoices", "import_batches", "rejected_rows")
    }


def big_invoices(path, n):
    lines = [f"R{i};1;K{i % 3 + 1};31.12.2025;{i},50" for i in range(n)]
    lines.append("BAD;1;K1;31.12.2025;abc")  # so that rejected rows are written too
    return write_text(path, HEADER + "\n".join(lines) + "\n")


def test_ctrl_c_before_commit_leaves_nothing_behind(
    with_customers, folder, run_import, monkeypatch
):
    store = with_customers
    path = big_invoices(folder / "invoices.csv", 1000)
    before = snapshot(store)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "_record_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_import(path)
    assert snapshot(store) == before
    temp = store.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE 'kw_%'"
    ).fetchone()[0]
    assert temp == 0
    monkeypatch.undo()
    run = run_import(path)
    assert run.files[0].inserted == 1000 and run.files[0].rejected == 1


def test_killed_import_leaves_the_database_file_as_before(tmp_path):
    db = tmp_path / "k.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    write_text(folder / "customers.csv", "customer_id;name\nK1;A\nK2;B\nK3;C\n")
    with open_store(db, create=True) as store:
        from kundenwert.importing import import_path
        from kundenwert.settings import Settings

        import_path(store, folder / "customers.csv", Settings(), report_dir=tmp_path / "r")
        before = snapshot(store)
    path = big_invoices(folder / "invoices.csv", 300_000)
    marker = tmp_path / "inside-transaction"
    script = textwrap.dedent(
        f"""
        import pathlib, time
        from kundenwert.importing import import_path, pipeline
        from kundenwert.settings import Settings
        from kundenwert.store import open_store

        def stall(*args, **kwargs):
            pathlib.Path({str(marker)!r}).touch()
            time.sleep(120)

        pipeline._record_batch = stall
        store = open_store({str(db)!r})
        reports = pathlib.Path({str(tmp_path / "r2")!r})
        import_path(store, {str(path)!r}, Settings(), report_dir=reports)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never reached its last step"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    with open_store(db) as store:
        assert snapshot(store) == before
