"""Benchmark of the service commitments measured (docs/commitments.md) on the demo company.

Generates the demo company (``--customers``, Parquet), imports it, runs one review, then
measures the read of every customer's commitments (``service_commitments``), its answer as
JSON-ready data without and with the per-customer rows, one customer (the customer page;
median of 20) and the workbook's sheets. Prints the figures.

    .venv/bin/python benchmarks/bench_commitments.py [--customers 20000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument(
        "--tiny", action="store_true", help="200 customers, for the test that benchmarks run"
    )
    args = parser.parse_args()
    if args.tiny:
        args.customers = 200

    from kundenwert.commitments.export import commitment_tables
    from kundenwert.demo import DEFAULT_END, generate_to
    from kundenwert.importing import import_path
    from kundenwert.reads import service_commitments
    from kundenwert.review import run_review
    from kundenwert.settings import Settings
    from kundenwert.store import open_store

    work = Path(tempfile.mkdtemp(prefix="bench-commitments-"))
    generate_to(work / "data", customers=args.customers, format="parquet")
    with open_store(work / "kw.duckdb", create=True) as store:
        import_path(store, work / "data", Settings(), report_dir=work / "report")
        run_review(store, Settings(), as_of=DEFAULT_END, created_by="bench")
        activities = store.con.execute("SELECT count(*) FROM activities").fetchone()[0]
        t0 = time.perf_counter()
        view = service_commitments(store)
        read = time.perf_counter() - t0
        t0 = time.perf_counter()
        view.to_dict("de", customers=False)
        segments = time.perf_counter() - t0
        t0 = time.perf_counter()
        view.to_dict("de", customers=True)
        everything = time.perf_counter() - t0
        ids = view.customers["customer_id"].unique().to_pylist()[:20]
        one = []
        for cid in ids:
            t0 = time.perf_counter()
            service_commitments(store, customer_id=cid).to_dict("de")
            one.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        commitment_tables(store, None, "de")
        sheets = time.perf_counter() - t0
    print(f"{args.customers:,} customers, {activities:,} activities")
    print(f"  service_commitments, all customers:     {read:6.2f} s")
    print(f"  per level and field (to_dict):          {segments:6.2f} s")
    print(f"  with every customer's rows (to_dict):   {everything:6.2f} s")
    print(f"  one customer (median of {len(one)}):           {statistics.median(one):6.3f} s")
    print(f"  workbook tables:                        {sheets:6.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
