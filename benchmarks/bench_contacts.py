"""Benchmark of the contact network on the demo company: import, coverage, erasure.

Generates the demo company (``--customers``, Parquet), imports it, runs one review, then
measures: the import of contacts and activities (again into a fresh database with 100 erased
ids in the register, to see the cost of the refusal check), the contact coverage of all
customers, the coverage of one customer (the customer page; median of 20), and the erasure of
one person including the rewrite of the database file. Writes the section "Contacts" of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_contacts.py [--customers 100000] [--no-docs]
    .venv/bin/python benchmarks/bench_contacts.py --tiny   # 200 customers, seconds, no docs
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _import(db: Path, data: Path, erased: int) -> dict[str, float]:
    from kundenwert.importing import import_path
    from kundenwert.settings import Settings
    from kundenwert.store import open_store

    timings = {}
    with open_store(db, create=True) as store:
        store.con.execute(
            "INSERT INTO erased_contacts SELECT 'AP' || lpad((i * 97)::VARCHAR, 7, '0'), NULL, "
            "now(), 'bench', 'bench' FROM range(1, ?) AS r(i)",
            [erased + 1],
        )
        for name in ("customers", "contacts", "invoices", "activities"):
            t0 = time.perf_counter()
            run = import_path(store, data / f"{name}.parquet", Settings(), report_dir=db.parent)
            timings[name] = time.perf_counter() - t0
            timings[f"{name}_rows"] = run.files[0].rows_read
            timings[f"{name}_rejected"] = run.files[0].rejected
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="200 customers, seconds; no docs")
    args = parser.parse_args()
    if args.tiny:
        args.customers, args.no_docs = 200, True

    import pyarrow as pa

    from kundenwert.contacts.coverage import REVIEWED, contact_coverage, coverage_of
    from kundenwert.contacts.erase import erase_contact
    from kundenwert.demo import DEFAULT_END, generate_to
    from kundenwert.review import run_review
    from kundenwert.review.snapshots import load_review
    from kundenwert.settings import Settings
    from kundenwert.store import open_store
    from kundenwert.store.rewrite import rewrite_file

    work = Path(tempfile.mkdtemp(prefix="bench-contacts-"))
    data = work / "data"
    generate_to(data, customers=args.customers, format="parquet")
    plain = _import(work / "plain.duckdb", data, erased=0)
    refused = _import(work / "erased.duckdb", data, erased=100)
    db = work / "plain.duckdb"
    with open_store(db) as store:
        run_review(store, Settings(), as_of=DEFAULT_END, created_by="bench")
        t0 = time.perf_counter()
        cov = contact_coverage(store, months=12)
        full = time.perf_counter() - t0
        rows = load_review(store).customers.select(list(REVIEWED)).slice(0, 20)
        one = []
        for i in range(rows.num_rows):
            t0 = time.perf_counter()
            coverage_of(store, rows.slice(i, 1), review_id=cov.review_id, as_of=date(2026, 6, 30))
            one.append(time.perf_counter() - t0)
        victim = store.con.execute("SELECT contact_id FROM contacts LIMIT 1").fetchone()[0]
        store.con.execute("CHECKPOINT")
        size_before = db.stat().st_size
        t0 = time.perf_counter()
        erase_contact(store, victim, by="bench", reason="bench")
        erased = time.perf_counter() - t0
        t0 = time.perf_counter()
        size_after = rewrite_file(store)
        rewrite = time.perf_counter() - t0
    assert isinstance(cov.customers, pa.Table)
    from report import machine, peak_rss_mib, write_section

    lines = [
        f"Demo company of {args.customers:,} customers: {plain['contacts_rows']:,} contacts, "
        f"{plain['activities_rows']:,} activities, {plain['invoices_rows']:,} invoice lines "
        f"(Parquet). {machine()}.",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| import contacts (register empty / 100 erased ids) | {plain['contacts']:.2f} / "
        f"{refused['contacts']:.2f} |",
        f"| import activities (register empty / 100 erased ids) | {plain['activities']:.2f} / "
        f"{refused['activities']:.2f} |",
        f"| contact coverage of all customers ({len(cov.alerts):,} alerts) | {full:.2f} |",
        f"| coverage of one customer (customer page), median of {len(one)} | "
        f"{statistics.median(one):.3f} |",
        f"| erase one person (every text column, rejected rows, chains) | {erased:.2f} |",
        f"| rewrite the database file ({size_before / 2**20:.0f} → {size_after / 2**20:.0f} MiB) "
        f"| {rewrite:.2f} |",
        "",
        f"Rows refused with 100 erased ids: contacts {refused['contacts_rejected']}, "
        f"activities {refused['activities_rejected']} (activities are kept without the person). "
        f"Peak memory {peak_rss_mib():.0f} MiB.",
        "",
        f"`.venv/bin/python benchmarks/bench_contacts.py --customers {args.customers}`",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_docs:
        write_section("Contacts", body)
    if args.tiny:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
