"""How the Spark steps scale with the number of customers (issue 16, item 5: 1 to 4 million).

    .venv/bin/python benchmarks/bench_spark_scaling.py [--factors 1,2,4] [--base DIR] [--cores 2]
    .venv/bin/python benchmarks/bench_spark_scaling.py --tiny   # 200 customers, seconds

The base lake is the demo company as Parquet (by default bench-data/demo-1m-parquet, which
benchmarks/bench_import.py writes: 1,000,000 customers, 20.2 million invoice lines, three
years). A lake ``f`` times as large holds ``f`` copies of it, each copy's keys (customer,
invoice, activity, machine) suffixed with its number, so that every copy is a population of
its own with the same distribution: time should grow linearly with ``f``.

For each size a fresh process starts a local Spark session (``local[cores]``) and runs, once
each and in this order, the three aggregations kundenwert hands to Spark, collecting each
result into Arrow as the product does: the forecast's per-customer summary in days, the
dynamics' invoice figures per customer and month, and the review's window figures per
customer (``review.inputs.base_table``: invoices, activities, installed base, ratings). The
first step carries the JVM's warm-up. Prints JSON and a Markdown table; writes no docs.
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

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("customers", "invoices", "activities", "installed_base", "ratings")
#: Key columns that get the copy's suffix (customer_id in every table).
KEYS = {
    "invoices": ("invoice_id",),
    "activities": ("activity_id",),
    "installed_base": ("machine_id",),
}

RUN = r"""
import json, sys, time
from datetime import date
from pathlib import Path
from kundenwert.dynamics.series import invoice_months, month_start, month_index
from kundenwert.engine import SparkSettings, open_inputs, spark_session, to_arrow
from kundenwert.forecast.summary import summary
from kundenwert.review.inputs import base_table
from kundenwert.review.period import window_start
from kundenwert.settings import Settings

folder, cores, as_of = Path(sys.argv[1]), int(sys.argv[2]), date.fromisoformat(sys.argv[3])
settings = Settings()
out = {}
t0 = time.perf_counter()
session = spark_session(SparkSettings(
    master=f"local[{cores}]", shuffle_partitions=4 * cores,
    # The invoice months of 4 million customers (25 million rows) are 1.1 GiB serialised,
    # above Spark's default limit of 1 GiB on results collected to the driver.
    conf={"spark.driver.memory": sys.argv[4], "spark.driver.maxResultSize": "4g",
          "spark.sql.execution.arrow.maxRecordsPerBatch": "100000"},
))
out["session_s"] = round(time.perf_counter() - t0, 2)
inputs = open_inputs("spark", source=folder, session=session,
                     tables=("customers", "invoices", "activities", "installed_base", "ratings"))
start = month_start(month_index(as_of) - 35)
steps = (
    ("summary", lambda: summary(inputs.table("invoices"), as_of, "day")),
    ("invoice_months", lambda: invoice_months(inputs, start, as_of)),
    ("review_base", lambda: base_table(inputs, settings.review,
                                       window_start(as_of, settings.review.window_months), as_of)),
)
for name, expr in steps:
    t0 = time.perf_counter()
    rows = to_arrow(expr()).num_rows
    out[f"{name}_s"] = round(time.perf_counter() - t0, 2)
    out[f"{name}_rows"] = rows
print(json.dumps(out))
"""


def scaled_lake(base: Path, factor: int, folder: Path) -> None:
    """``factor`` copies of the base lake, keys suffixed per copy (written once)."""
    import duckdb

    if (folder / "done").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for table in TABLES:
        source = base / f"{table}.parquet"
        copies = []
        for k in range(factor):
            keys = ("customer_id", *KEYS.get(table, ()))
            suffix = ", ".join(f"{c} || '-{k}' AS {c}" for c in keys)
            copies.append(f"SELECT * REPLACE ({suffix}) FROM read_parquet('{source}')")
        query = " UNION ALL ".join(copies)
        con.execute(f"COPY ({query}) TO '{folder / f'{table}.parquet'}' (FORMAT parquet)")
    (folder / "done").touch()


def run(folder: Path, cores: int, as_of: str, memory: str) -> dict:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(folder), str(cores), as_of, memory],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        causes = [
            line
            for line in done.stderr.splitlines()
            if ("Error" in line or "Exception" in line) and not line.lstrip().startswith("at ")
        ]
        raise SystemExit(f"the Spark run on {folder} failed:\n" + "\n".join(causes[:20]))
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = round(time.perf_counter() - t0, 2)
    return out


def table(results: list[dict]) -> str:
    lines = [
        "| customers | invoice lines | session start | summary (days) | invoice months "
        "| review figures | whole process | per million customers |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        work = r["summary_s"] + r["invoice_months_s"] + r["review_base_s"]
        lines.append(
            f"| {r['customers']:,} | {r['lines']:,} | {r['session_s']:.1f} s "
            f"| {r['summary_s']:.1f} s | {r['invoice_months_s']:.1f} s "
            f"| {r['review_base_s']:.1f} s | {r['process_s']:.1f} s "
            f"| {work / (r['customers'] / 1e6):.1f} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=ROOT / "bench-data" / "demo-1m-parquet")
    parser.add_argument("--factors", default="1,2,4")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--driver-memory", default="12g", help="Spark driver (local: all)")
    parser.add_argument("--tiny", action="store_true", help="200 customers, factors 1 and 2")
    args = parser.parse_args()
    scratch = None
    if args.tiny:
        from kundenwert.demo import generate_to

        scratch = Path(tempfile.mkdtemp(prefix="bench-spark-scaling-"))
        args.base, args.factors = scratch / "base", "1,2"
        generate_to(args.base, 200, 3, 42, format="parquet")
    elif not (args.base / "invoices.parquet").exists():
        raise SystemExit(f"{args.base} has no invoices.parquet: run benchmarks/bench_import.py")
    import duckdb

    base_customers = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{args.base / 'customers.parquet'}')"
    ).fetchone()[0]
    base_lines = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{args.base / 'invoices.parquet'}')"
    ).fetchone()[0]
    results = []
    for factor in (int(f) for f in args.factors.split(",")):
        folder = (scratch or args.base.parent) / f"{args.base.name}-x{factor}"
        scaled_lake(args.base, factor, folder)
        out = run(folder, args.cores, args.as_of, args.driver_memory)
        out |= {"factor": factor, "customers": base_customers * factor}
        out["lines"] = base_lines * factor
        results.append(out)
        print(json.dumps(out), flush=True)
    print(table(results))
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
