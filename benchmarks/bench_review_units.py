"""What the review per business unit costs: `run_review` with `review.units.enabled` off and on.

Builds (once, unless --rebuild) a synthetic company with plain DuckDB SQL: customers in three
units, 20 invoice lines per customer over two years (service and parts lines booked by the
unit "Service", the others without a unit, so the customer's own), 5 activities and 3 ratings
per customer, an installed base. Then runs the review (default configuration, 12 months) in
fresh subprocesses, alternately off and on, and prints wall time, CPU time (user + system, all
threads) per step and peak memory. Prints only (no docs).

With ``--engine spark`` the store's input tables are also written as Parquet files (``lake/``
beside the database, once) and the review reads them on a local Spark session
(``local[--cores]``; ``run_review(..., inputs=open_inputs("spark", ...))``): the window
aggregates, the forecast's summary and, with the units on, the invoice figures per customer
and unit run on Spark, the rest in the store. Each child first runs one untimed review (the
JVM compiles on first use); the session's start-up is reported apart, and the CPU times count
only the Python process (Spark's JVM is a child process), so compare the wall times.

    .venv/bin/python benchmarks/bench_review_units.py [--customers 200000] [--db PATH]
        [--rebuild] [--repeat 2] [--engine duckdb|spark] [--cores 2] [--tiny]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2025-12-31"


def build(db: Path, customers: int) -> None:
    from kundenwert.store import open_store

    db.unlink(missing_ok=True)
    with open_store(db, create=True) as store:
        con = store.con
        t0 = time.perf_counter()
        con.execute("CREATE OR REPLACE TEMP MACRO h(i, s, n) AS (hash(i, s) % n)::BIGINT")
        con.execute(
            f"""
            INSERT INTO customers (customer_id, name, business_unit, account_manager, country,
                                   batch_id)
            SELECT 'K' || lpad(i::VARCHAR, 7, '0'), 'Firma ' || i,
                   ['Werkzeugmaschinen', 'Messtechnik', 'Service'][1 + h(i, 1, 3)],
                   'AM' || h(i, 2, 400), ['DE', 'DE', 'AT', 'CH', 'FR'][1 + h(i, 4, 5)], 0
            FROM range({customers}) r(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost,
                                  category, business_unit, batch_id)
            SELECT 'R' || (i // 4), (i % 4)::INTEGER + 1,
                   'K' || lpad((floor({customers} * pow(h(i, 10, 1000003) / 1000003.0, 3)))
                                ::BIGINT::VARCHAR, 7, '0'),
                   DATE '2024-01-01' + h(i, 11, 731)::INTEGER, amt,
                   round(amt * (0.55 + h(i, 13, 30) / 100.0), 2)::DECIMAL(18,4), category,
                   CASE WHEN category IN ('service', 'parts') THEN 'Service' END, 0
            FROM (SELECT i, round(50 + h(i, 12, 500000) / 100.0, 2)::DECIMAL(18,4) AS amt,
                         ['machine', 'service', 'parts', 'consumables'][1 + h(i, 15, 4)]
                             AS category
                  FROM range({customers * 20}) r(i))
            """
        )
        con.execute(
            f"""
            INSERT INTO activities (activity_id, customer_id, date, kind, hours, cost, batch_id)
            SELECT 'A' || i, 'K' || lpad(h(i, 20, {customers})::VARCHAR, 7, '0'),
                   DATE '2024-01-01' + h(i, 21, 731)::INTEGER,
                   ['visit', 'call', 'ticket', 'service', 'goodwill'][1 + h(i, 22, 5)],
                   h(i, 23, 80) / 10.0, (h(i, 24, 80000) / 100.0)::DECIMAL(18,4), 0
            FROM range({customers * 5}) r(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO ratings (customer_id, indicator, value, date, batch_id)
            SELECT DISTINCT ON (1, 2) 'K' || lpad((i // 3)::VARCHAR, 7, '0'),
                   ['relationship_quality', 'new_business_potential', 'service_potential',
                    'reference_value'][1 + h(i, 30, 4)],
                   h(i, 31, 11)::DOUBLE, DATE '2025-01-01', 0
            FROM range({customers * 3}) r(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO installed_base (customer_id, machine_id, value, installed_on, batch_id)
            SELECT 'K' || lpad(h(i, 40, {customers})::VARCHAR, 7, '0'), 'M' || i,
                   (20000 + h(i, 42, 500000))::DECIMAL(18,4),
                   DATE '2000-01-01' + h(i, 43, 9000)::INTEGER, 0
            FROM range({customers // 2}) r(i)
            """
        )
        con.execute("CHECKPOINT")
        print(f"built {db} in {time.perf_counter() - t0:.1f} s", flush=True)


CHILD = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store

def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

db, mode, as_of, engine, lake, cores = sys.argv[1:7]
on = mode == "on"
cfg = settings_from_dict({"review": {"units": {"enabled": on}}})
out = {"units": mode, "engine": engine}
inputs = None
if engine == "spark":
    from kundenwert.engine import SparkSettings, open_inputs, spark_session

    t0 = time.perf_counter()
    session = spark_session(SparkSettings(master=f"local[{cores}]",
                                          shuffle_partitions=2 * int(cores),
                                          conf={"spark.driver.memory": "6g"}))
    out["session_s"] = round(time.perf_counter() - t0, 2)
    tables = ("invoices", "customers", "activities", "installed_base", "ratings")
    inputs = open_inputs("spark", source=Path(lake), session=session, tables=tables)
marks = []
with open_store(db) as store:
    if inputs is not None:
        run_review(store, cfg, date.fromisoformat(as_of), 12, inputs=inputs)  # warm-up
    t0, c0 = time.perf_counter(), cpu()
    r = run_review(store, cfg, date.fromisoformat(as_of), 12, inputs=inputs,
                   progress=lambda step: marks.append((step, cpu(), time.perf_counter())))
    wall, total = time.perf_counter() - t0, cpu() - c0
    rows = store.con.execute(
        "SELECT count(*) FROM review_units WHERE review_id = ?", [r.review_id]).fetchone()[0]
marks.append(("end", c0 + total, t0 + wall))
steps = {a[0]: round(b[1] - a[1], 2) for a, b in zip(marks, marks[1:])}
walls = {a[0]: round(b[2] - a[2], 2) for a, b in zip(marks, marks[1:])}
print(json.dumps({**out, "customers": r.customer_count, "unit_rows": rows,
                  "wall_s": round(wall, 2), "wall_by_step": walls, "cpu_s": round(total, 2),
                  "cpu_by_step": steps,
                  "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def measure(db: Path, mode: str, engine: str = "duckdb", cores: int = 2) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), mode, AS_OF, engine, str(_lake(db)), str(cores)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _lake(db: Path) -> Path:
    return db.parent / "lake"


def export_lake(db: Path) -> None:
    """The store's input tables as Parquet files (``lake/NAME.parquet``) for Spark."""
    from kundenwert.schema import TABLES
    from kundenwert.store import open_store

    lake = _lake(db)
    lake.mkdir(parents=True, exist_ok=True)
    with open_store(db, read_only=True) as store:
        for name in ("invoices", "customers", "activities", "installed_base", "ratings"):
            cols = ", ".join(TABLES[name].column_names)
            path = str(lake / f"{name}.parquet")
            store.con.execute(f"COPY (SELECT {cols} FROM {name}) TO '{path}' (FORMAT parquet)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/kw-units-bench/units.duckdb"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="Runs of each mode.")
    parser.add_argument("--tiny", action="store_true", help="2,000 customers, a temp folder.")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--cores", type=int, default=2, help="Spark: local[cores].")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.tiny:
            args.customers, args.db, args.repeat = 2000, Path(tmp) / "units.duckdb", 1
        args.db.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild or not args.db.exists():
            build(args.db, args.customers)
            shutil.rmtree(_lake(args.db), ignore_errors=True)
        if args.engine == "spark" and not _lake(args.db).exists():
            export_lake(args.db)
        for _ in range(args.repeat):
            for mode in ("off", "on"):
                result = measure(args.db, mode, args.engine, args.cores)
                print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
