"""An import is all or nothing: interrupted or killed, it leaves the database as before."""

from __future__ import annotations

import os
import shutil
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


def invoices_parquet(path, n):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.table(
            {
                "invoice_id": [f"R{i}" for i in range(n)],
                "line_no": [1] * n,
                "customer_id": [f"K{i % 3 + 1}" for i in range(n)],
                "date": ["2025-12-31"] * n,
                "amount": [i % 1000 + 0.5 for i in range(n)],
            }
        ),
        path,
    )
    return path


def raw_state(db):
    """Invoice rows per batch and the batches recorded, read without kundenwert's start-up."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        rows = dict(con.execute("SELECT batch_id, count(*) FROM invoices GROUP BY 1").fetchall())
        batches = set(r[0] for r in con.execute("SELECT batch_id FROM import_batches").fetchall())
    finally:
        con.close()
    return rows, batches


KILL_AFTER = (0.0, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05)


@pytest.mark.slow
def test_an_import_killed_near_its_end_never_leaves_rows_without_their_batch(tmp_path):
    """SIGKILL at points around the commit: DuckDB's replay may keep a cut-short commit's
    large insert but drop its small ones. The batch is recorded first, on its own, so rows
    never exist without it; opening for writing removes a killed import's rows."""
    n = 300_000
    parquet = invoices_parquet(tmp_path / "invoices.parquet", n)
    template = tmp_path / "template.duckdb"
    write_text(tmp_path / "customers.csv", "customer_id;name\nK1;A\nK2;B\nK3;C\n")
    with open_store(template, create=True) as store:
        from kundenwert.importing import import_path
        from kundenwert.settings import Settings

        import_path(store, tmp_path / "customers.csv", Settings(), report_dir=tmp_path / "r")
    outcomes = []
    for k, delay in enumerate(KILL_AFTER):
        db = tmp_path / f"k{k}.duckdb"
        shutil.copy(template, db)
        marker = tmp_path / f"commit-{k}"
        script = textwrap.dedent(
            f"""
            import pathlib
            from kundenwert.importing import import_path, pipeline
            from kundenwert.settings import Settings
            from kundenwert.store import open_store

            record = pipeline._record_batch

            def announce(*args, **kwargs):  # the import's last statements: record, commit
                pathlib.Path({str(marker)!r}).touch()
                return record(*args, **kwargs)

            pipeline._record_batch = announce
            store = open_store({str(db)!r})
            reports = pathlib.Path({str(tmp_path / "r2")!r})
            import_path(store, {str(parquet)!r}, Settings(), report_dir=reports)
            """
        )
        child = subprocess.Popen([sys.executable, "-c", script])
        try:
            while not marker.exists():
                assert child.poll() is None, "the import ended before its last step"
            time.sleep(delay)
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait()
        rows, batches = raw_state(db)
        assert set(rows) <= batches, f"killed {delay}s after: rows {rows}, batches {batches}"
        with open_store(db) as store:
            assert store.orphans == []
            stored = store.con.execute("SELECT count(*) FROM invoices").fetchone()[0]
            done = store.con.execute(
                "SELECT count(*) FROM import_batches WHERE table_name = 'invoices'"
            ).fetchone()[0]
            assert (stored, done) in ((0, 0), (n, 1)), (delay, stored, done)
            outcomes.append((stored, bool(store.repaired)))
    # The kills fell both before and after the commit (else the test proves little).
    assert {stored for stored, _ in outcomes} == {0, n}, outcomes
