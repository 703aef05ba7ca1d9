"""The dynamics' monthly series and the forecast's summary on local Spark beside DuckDB.

    .venv/bin/python benchmarks/bench_spark.py [--customers 100000] [--dir DIR] [--cores 2]

Writes the demo company (seed 42, 3 years) as Parquet into DIR (once), loads invoices,
customers and activities into a DuckDB store there with plain SQL, and times, each in its own
process so that neither engine warms the other: ``monthly_series`` (all four aggregations
plus the spreading into matrices) and the forecast's per-customer summary (days) on the store,
and the same on a local Spark session (``local[cores]``) reading the Parquet files, after one
untimed warm-up run of each query (the JVM compiles on first use). The session's start-up is
reported apart. Checks both engines' results equal (money to 1e-6). Prints JSON; writes no
docs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

RUN = r"""
import json, sys, time
from datetime import date
from pathlib import Path
import numpy as np
from kundenwert.dynamics.series import monthly_series
from kundenwert.engine import SparkSettings, open_inputs, spark_session, to_arrow
from kundenwert.forecast.summary import summary
from kundenwert.settings import Settings
from kundenwert.store import open_store

engine, folder, cores = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
as_of = date(2026, 6, 30)
out = {}
if engine == "duckdb":
    store = open_store(folder / "bench.duckdb", read_only=True)
    source = store
    invoices = store.ibis().table("invoices")
else:
    t0 = time.perf_counter()
    conf = {"spark.driver.memory": "6g"}
    session = spark_session(SparkSettings(master=f"local[{cores}]", shuffle_partitions=2 * cores,
                                          conf=conf))
    out["session_s"] = round(time.perf_counter() - t0, 2)
    source = open_inputs("spark", source=folder, session=session)
    invoices = source.table("invoices")
for name, work in (
    ("series", lambda: monthly_series(source, Settings(), as_of)),
    ("summary", lambda: to_arrow(summary(invoices, as_of, "day"))),
):
    work()  # warm-up
    t0 = time.perf_counter()
    result = work()
    out[f"{name}_s"] = round(time.perf_counter() - t0, 2)
    if name == "series":
        ids = result.customer_id.to_numpy(zero_copy_only=False).astype(str)
        np.savez(folder / f"series_{engine}.npz", ids=ids,
                 revenue=result.revenue, margin_3=result.margin_3, lines=result.lines,
                 activities=result.activities, invoices=result.invoices,
                 silent=result.silent_days, tenure=result.tenure_months)
        out["customers"] = result.n
    else:
        out["summary_rows"] = result.num_rows
print(json.dumps(out))
"""


def prepare(folder: Path, customers: int) -> None:
    from kundenwert.demo import generate_to
    from kundenwert.schema import TABLES
    from kundenwert.store import open_store

    if not (folder / "invoices.parquet").exists():
        generate_to(folder, customers, 3, 42, format="parquet")
    db = folder / "bench.duckdb"
    if db.exists():
        return
    with open_store(db, create=True) as store:
        for name in ("customers", "invoices", "activities"):
            cols = ", ".join(TABLES[name].column_names)
            path = str(folder / f"{name}.parquet")
            store.con.execute(
                f"INSERT INTO {name} ({cols}, batch_id) SELECT {cols}, 0 FROM read_parquet(?)",
                [path],
            )
        store.con.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument(
        "--tiny", action="store_true", help="200 customers in a temporary folder (the test)"
    )
    args = parser.parse_args()
    if args.tiny:
        import tempfile

        args.customers = 200
        args.dir = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    folder = args.dir or Path(f"bench-spark-{args.customers}")
    folder.mkdir(parents=True, exist_ok=True)
    prepare(folder, args.customers)
    import numpy as np

    results = {"customers": args.customers, "cores": args.cores}
    for engine in ("duckdb", "spark"):
        t0 = time.perf_counter()
        run = [sys.executable, "-c", RUN, engine, str(folder), str(args.cores)]
        done = subprocess.run(run, capture_output=True, text=True, check=True)
        results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
        results[engine]["process_s"] = round(time.perf_counter() - t0, 2)
    a, b = (np.load(folder / f"series_{e}.npz") for e in ("duckdb", "spark"))
    for key in a.files:
        if key == "ids":
            assert (a[key] == b[key]).all(), key
        else:
            np.testing.assert_allclose(a[key], b[key], rtol=0, atol=1e-6, err_msg=key)
    results["equal"] = True
    print(json.dumps(results, indent=2))
    if args.tiny:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
