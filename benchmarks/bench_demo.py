"""Benchmark: generate the demo company and write it (CSV or Parquet), block by block.

    .venv/bin/python benchmarks/bench_demo.py [CUSTOMERS] [OUT_DIR] [--format csv|parquet]
        [--years 3] [--seed 42]
    .venv/bin/python benchmarks/bench_demo.py --tiny   # 200 customers, temporary folder

Prints the wall time, the rows per table, the file sizes and the peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from kundenwert.demo import generate_to


def _rows(path: Path) -> int:
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("customers", nargs="?", type=int, default=1_000_000)
    parser.add_argument("out_dir", nargs="?", type=Path, default=Path("bench-data/demo"))
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tiny", action="store_true", help="200 customers, temporary folder")
    args = parser.parse_args()
    if args.tiny:
        with tempfile.TemporaryDirectory() as scratch:
            args.customers, args.out_dir = 200, Path(scratch)
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:

    started = time.perf_counter()
    cpu_started = time.process_time()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"  {done:>10,} / {total:,} customers  {elapsed:7.1f} s", file=sys.stderr)

    paths = generate_to(
        args.out_dir,
        customers=args.customers,
        years=args.years,
        seed=args.seed,
        format=args.format,
        progress=progress,
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"demo company: {args.customers:,} customers, {args.years} years, {args.format}")
    print(f"wall time {wall:.1f} s, CPU time {cpu:.1f} s, peak memory {peak_mib:,.0f} MiB")
    for name, path in paths.items():
        size_mib = path.stat().st_size / 2**20
        print(f"  {name:<15} {_rows(path):>12,} rows  {size_mib:>9,.1f} MiB  {path}")


if __name__ == "__main__":
    main()
