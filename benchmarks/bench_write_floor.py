"""How fast this machine can write an invoice file into DuckDB at all (the import's floor).

    .venv/bin/python benchmarks/bench_write_floor.py [--data bench-data/demo-1m-parquet]
    .venv/bin/python benchmarks/bench_write_floor.py --tiny   # a 300-customer file, seconds

Each copy runs in its own process into a fresh database file, with no validation:

* the import's floor (issue 16.2): the file copied into the invoices table of a fresh
  kundenwert store (its schema: types, NOT NULL, the key) with the importer's own storage
  settings (its memory limit, FSST off, DuckDB's default threads) and the insertion order
  kept, as the importer must keep the file's order; this is the floor
  benchmarks/bench_import.py divides the validating import by (Parquet and German CSV);
* bare ``CREATE TABLE AS SELECT * FROM read_parquet(...)`` without insertion order: with the
  compression setting the importer uses (FSST off), without dictionary compression either, and
  uncompressed.

The script prints its figures and writes nothing else.
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
#: The invoice columns of the store, as the importer fills them from a file.
COLUMNS = (
    "invoice_id, line_no, customer_id, date, amount, cost, deductions, category, product, "
    "business_unit, credit_note, credit_for"
)

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

#: The import's floor: the store's table, the importer's settings, the file's order kept.
STORE_CHILD = r"""
import json, os, resource, sys, time
from kundenwert.settings import Settings
from kundenwert.store import open_store
db, select = sys.argv[1:3]
with open_store(db, create=True) as store:
    con = store.con
    con.execute(f"SET memory_limit = '{Settings().import_.memory_limit}'")
    con.execute("SET disabled_compression_methods = 'fsst'")  # as kundenwert.importing
    con.execute("SET preserve_insertion_order = true")  # the file's order is kept
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # user + system
    t, c = time.perf_counter(), cpu()
    con.execute(f"INSERT INTO invoices ({COLUMNS}, batch_id) {select}")
    con.execute("CHECKPOINT")
    seconds, cpu_seconds = time.perf_counter() - t, cpu() - c
    rows = con.execute("SELECT count(*) FROM invoices").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows,
                  "bytes": os.path.getsize(db), "peak_mib": peak}))
""".replace("{COLUMNS}", COLUMNS)


def copy_select(path: Path) -> str:
    """The SELECT of a bare copy of an invoice file (Parquet, or the German CSV dialect)."""
    if path.suffix == ".parquet":
        return f"SELECT {COLUMNS}, 1 FROM read_parquet('{path}')"
    csv = (
        f"read_csv('{path}', delim=';', decimal_separator=',', dateformat='%d.%m.%Y', "
        "header=true, all_varchar=false)"
    )
    # The CSV says ja/nein for the flag and leaves an empty field for no credit_for.
    return (
        "SELECT invoice_id, line_no, customer_id, date, amount, cost, deductions, category, "
        "product, business_unit, credit_note = 'ja', nullif(credit_for, ''), 1 "
        f"FROM {csv}"
    )


def store_floor(path: Path) -> dict:
    """The import's floor for ``path`` in a fresh process and database (next to the file)."""
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        db = str(Path(work) / "floor.duckdb")
        done = subprocess.run(
            [sys.executable, "-c", STORE_CHILD, db, copy_select(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


def bare_copy(source: Path, setting: str) -> dict:
    with tempfile.TemporaryDirectory(dir=source.parent) as work:
        db = str(Path(work) / "floor.duckdb")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, db, str(source), setting],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])


def report(data: Path, variants: int = len(VARIANTS)) -> None:
    source = data / "invoices.parquet"
    print("| copy of the Parquet file | time | rows/s | file |")
    print("|---|---:|---:|---:|")
    results = {"store table, importer's settings, insertion order kept": store_floor(source)}
    for label, setting in list(VARIANTS.items())[:variants]:
        results[f"bare, no insertion order, {label}"] = bare_copy(source, setting)
    for label, r in results.items():
        print(
            f"| {label} | {r['seconds']:.2f} s | {r['rows'] / r['seconds']:,.0f} | "
            f"{r['bytes'] / 2**20:,.0f} MiB |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data" / "demo-1m-parquet")
    parser.add_argument("--tiny", action="store_true", help="a 300-customer file, seconds")
    args = parser.parse_args()
    if not args.tiny:
        report(args.data)
        return
    from kundenwert.demo import generate_to

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "demo"
        generate_to(folder, customers=300, format="parquet")
        report(folder, variants=1)
        csv = Path(scratch) / "csv"
        generate_to(csv, customers=300, format="csv")
        print(f"German CSV into the store table: {store_floor(csv / 'invoices.csv')}")


if __name__ == "__main__":
    main()
