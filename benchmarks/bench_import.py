"""Benchmark of `kundenwert import`: 20 million invoice lines from Parquet and German CSV.

    .venv/bin/python benchmarks/bench_import.py [--data DIR] [--customers 1000000]

Data: the demo company of 1,000,000 customers (about 20 million invoice lines over three
years), generated once into DIR/demo-1m-csv and DIR/demo-1m-parquet (default DIR:
./bench-data) with `kundenwert.demo.generate_to`. Each measurement runs in a fresh process on a
fresh database that already holds the customers (imported first, timed separately), so the peak
memory (ru_maxrss) is the import's own. Writes the section "Import" of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
from pathlib import Path
from kundenwert.importing import import_path
from kundenwert.settings import Settings
from kundenwert.store import open_store
sys.path.insert(0, {bench!r})
from report import peak_rss_mib

folder, db, work = Path({folder!r}), Path({db!r}), Path({work!r})
settings = Settings()
with open_store(db, create=True) as store:
    t = time.perf_counter()
    customers = import_path(store, folder / ("customers" + {suffix!r}), settings,
                            report_dir=work / "r1").files[0]
    t_customers = time.perf_counter() - t
    t = time.perf_counter()
    invoices = import_path(store, folder / ("invoices" + {suffix!r}), settings,
                           report_dir=work / "r2").files[0]
    t_invoices = time.perf_counter() - t
print(json.dumps({{
    "customers": customers.rows_read, "customers_s": t_customers,
    "rows": invoices.rows_read, "stored": invoices.stored, "rejected": invoices.rejected,
    "seconds": t_invoices, "peak_mib": peak_rss_mib(), "status": invoices.status,
}}))
"""


FLOOR = r"""
import json, sys, time
import duckdb
sys.path.insert(0, {bench!r})
from report import peak_rss_mib

con = duckdb.connect({db!r})
con.execute("SET preserve_insertion_order = false")
con.execute("SET disabled_compression_methods = 'fsst'")
source = {source!r}
t = time.perf_counter()
con.execute(f"CREATE TABLE invoices AS SELECT * FROM {{source}}")
print(json.dumps({{"seconds": time.perf_counter() - t, "peak_mib": peak_rss_mib()}}))
"""


def floor(folder: Path, fmt: str) -> dict:
    """A bare copy of the file into a DuckDB table: no validation, no row numbers, no checks."""
    path = str(folder / f"invoices.{fmt}")
    source = (
        f"read_parquet('{path}')"
        if fmt == "parquet"
        else f"read_csv('{path}', delim=';', decimal_separator=',', dateformat='%d.%m.%Y', "
        "header=true)"
    )
    with tempfile.TemporaryDirectory(dir=folder.parent) as work:
        code = FLOOR.format(
            db=str(Path(work) / "floor.duckdb"), source=source, bench=str(Path(__file__).parent)
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_data(base: Path, customers: int) -> dict[str, Path]:
    from kundenwert.demo import generate_to

    out = {}
    for fmt in ("parquet", "csv"):
        folder = base / f"demo-{customers // 1000}k-{fmt}"
        if customers == 1_000_000:
            folder = base / f"demo-1m-{fmt}"
        if not (folder / f"invoices.{fmt}").exists():
            print(f"generating {folder} ...", file=sys.stderr)
            generate_to(folder, customers=customers, format=fmt)  # type: ignore[arg-type]
        out[fmt] = folder
    return out


def measure(folder: Path, suffix: str) -> dict:
    with tempfile.TemporaryDirectory(dir=folder.parent) as work:
        code = CHILD.format(
            folder=str(folder),
            db=str(Path(work) / "k.duckdb"),
            work=work,
            suffix=suffix,
            bench=str(Path(__file__).parent),
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    folders = ensure_data(args.data, args.customers)
    results = {}
    for fmt, suffix in (("parquet", ".parquet"), ("csv", ".csv")):
        r = measure(folders[fmt], suffix)
        r["rate"] = r["rows"] / r["seconds"]
        r["floor"] = floor(folders[fmt], fmt)
        results[fmt] = r
        print(fmt, json.dumps(r), file=sys.stderr)
    size = (folders["csv"] / "invoices.csv").stat().st_size / 2**30
    lines = [
        f"Import of the demo company's invoice lines into a fresh database that already holds "
        f"its {results['csv']['customers']:,} customers. Machine: {machine()}. "
        f"Run {time.strftime('%Y-%m-%d %H:%M')} with `make bench` "
        f"(`.venv/bin/python benchmarks/bench_import.py`).",
        "",
        "| source | lines | stored | rejected | time | rows/s | target | peak memory | floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    targets = {"parquet": 2_000_000, "csv": 500_000}
    names = {
        "parquet": "Parquet",
        "csv": f"German CSV (`;`, decimal comma, UTF-8 BOM, {size:.1f} GiB)",
    }
    for fmt, r in results.items():
        lines.append(
            f"| {names[fmt]} | {r['rows']:,} | {r['stored']:,} | {r['rejected']:,} | "
            f"{r['seconds']:.1f} s | {r['rate']:,.0f} | ≥ {targets[fmt]:,} | "
            f"{r['peak_mib']:,.0f} MiB | {r['floor']['seconds']:.1f} s |"
        )
    lines += [
        "",
        "Each line is parsed, validated (types, ranges, choices, dates, the customer exists, the "
        "key is unique in the file) and stored in one transaction; the customers import took "
        f"{results['csv']['customers_s']:.1f} s (CSV) and "
        f"{results['parquet']['customers_s']:.1f} s (Parquet). Peak memory is the ru_maxrss "
        "of the importing process (target < 3 GiB). The floor is a bare copy of the same file "
        "into a DuckDB table in a fresh process (`CREATE TABLE AS SELECT * FROM read_parquet` / "
        "`read_csv` with the German dialect): no validation, row numbers, reference or key "
        "checks — what storing the lines costs at all on this machine.",
    ]
    write_section("Import", "\n".join(lines))


if __name__ == "__main__":
    main()
