"""How fast this machine can write an invoice file into DuckDB at all (the import's floor).

    .venv/bin/python benchmarks/bench_write_floor.py [--data bench-data/demo-1m-parquet]

A bare ``CREATE TABLE AS SELECT * FROM read_parquet(...)`` of the demo company's invoice lines
into a fresh database file, in its own process, with no validation: once with the compression
setting the importer uses (FSST off), once without dictionary compression either, and once
uncompressed. The import's Parquet target (2,000,000 rows/s) is compared with these in the
closing note of issue 2; the script prints its figures and writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = {
    "importer's setting (FSST off)": "SET disabled_compression_methods = 'fsst'",
    "FSST and dictionary off": "SET disabled_compression_methods = 'fsst,dictionary'",
    "uncompressed": "SET force_compression = 'uncompressed'",
}

CHILD = r"""
import json, os, sys, time
import duckdb
db, source, setting = sys.argv[1:4]
con = duckdb.connect(db)
con.execute("SET preserve_insertion_order = false")
con.execute(setting)
t = time.perf_counter()
con.execute(f"CREATE TABLE invoices AS SELECT * FROM read_parquet('{source}')")
con.execute("CHECKPOINT")
seconds = time.perf_counter() - t
rows = con.execute("SELECT count(*) FROM invoices").fetchone()[0]
con.close()
print(json.dumps({"seconds": seconds, "rows": rows, "bytes": os.path.getsize(db)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data" / "demo-1m-parquet")
    args = parser.parse_args()
    source = args.data / "invoices.parquet"
    print("| bare copy | time | rows/s | file |")
    print("|---|---:|---:|---:|")
    for label, setting in VARIANTS.items():
        with tempfile.TemporaryDirectory(dir=args.data.parent) as work:
            db = str(Path(work) / "floor.duckdb")
            out = subprocess.run(
                [sys.executable, "-c", CHILD, db, str(source), setting],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
        print(
            f"| {label} | {r['seconds']:.1f} s | {r['rows'] / r['seconds']:,.0f} | "
            f"{r['bytes'] / 2**20:,.0f} MiB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
