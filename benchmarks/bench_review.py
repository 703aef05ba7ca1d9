"""Benchmark of `kundenwert review` on a synthetic company of 1,000,000 customers.

Builds (once, unless --rebuild) a database with 1M customers, 20M invoice lines, 5M
activities, ratings and an installed base directly with DuckDB SQL (range() plus hash-based
values: self-contained, no importer), then measures in fresh subprocesses:

* the review (``run_review`` with the default configuration, 12 months): wall time and peak
  resident memory (ru_maxrss);
* optionally the same on the demo generator's Parquet files (``--parquet``);
* the floor: a bare ``SELECT customer_id, sum(amount) FROM invoices GROUP BY 1`` into a
  temporary table on the same database;

and writes the figures under the heading "Review" of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_review.py [--customers 1000000] [--db PATH] [--rebuild]
        [--parquet bench-data/demo-1m-parquet] [--repeat 3] [--no-docs]
    .venv/bin/python benchmarks/bench_review.py --tiny   # 2,000 customers, seconds, no docs
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import write_section  # benchmarks/report.py, shared by all benchmarks

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-12-31"  # benchmarks/review_floor.sql is written for this date and 12 months
FLOOR_SQL = Path(__file__).resolve().parent / "review_floor.sql"
#: The snapshot columns the floor computes, checked equal to the review's: exact (decimals,
#: counts, classes, flags) or, for the floats, to 1e-9 relative.
EXACT = (
    "revenue", "cogs", "deductions", "margin_1", "margin_2", "cost_to_serve", "goodwill_cost",
    "margin_3", "care_exceeds_margin", "activity_count", "margins_complete", "abc_class",
    "score_class", "quadrant", "strategic", "service_level_mapped", "service_level",
)  # fmt: skip
FLOATS = ("value_score", "score_coverage", "potential")


def build(db: Path, customers: int) -> None:
    from kundenwert.store import open_store

    invoices, activities = customers * 20, customers * 5
    db.unlink(missing_ok=True)
    with open_store(db, create=True) as store:
        con = store.con
        t0 = time.perf_counter()
        con.execute("CREATE OR REPLACE TEMP MACRO h(i, s, n) AS (hash(i, s) % n)::BIGINT")
        con.execute(
            f"""
            INSERT INTO customers (customer_id, name, business_unit, account_manager, industry,
                                   country, postal_code, city, customer_since, batch_id)
            SELECT 'K' || lpad(i::VARCHAR, 7, '0'), 'Firma ' || i,
                   ['Vertrieb', 'Service', 'Projekte'][1 + h(i, 1, 3)],
                   'AM' || h(i, 2, 400),
                   ['Maschinenbau', 'Automotive', 'Food'][1 + h(i, 3, 3)],
                   ['DE', 'DE', 'DE', 'AT', 'CH', 'FR', 'PL'][1 + h(i, 4, 7)],
                   lpad((h(i, 5, 99999))::VARCHAR, 5, '0'), 'Stadt',
                   DATE '2005-01-01' + (h(i, 6, 7000))::INTEGER, 0
            FROM range({customers}) r(i)
            """
        )
        # Skewed purchases: customer index = n * u^3 puts most revenue on few customers.
        con.execute(
            f"""
            INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost,
                                  deductions, category, product, business_unit, batch_id)
            SELECT 'R' || (i // 4), (i % 4)::INTEGER + 1,
                   'K' || lpad((floor({customers} * pow((h(i, 10, 1000003)) / 1000003.0, 3)))
                                ::BIGINT::VARCHAR, 7, '0'),
                   DATE '2024-01-01' + (h(i, 11, 731))::INTEGER,
                   amt, round(amt * (0.55 + (h(i, 13, 30)) / 100.0), 2)::DECIMAL(18,4),
                   round(amt * (h(i, 14, 5)) / 100.0, 2)::DECIMAL(18,4),
                   ['machine', 'service', 'parts', 'consumables', 'service'][1 + h(i, 15, 5)],
                   'P' || (h(i, 16, 5000)), NULL, 0
            FROM (SELECT i, round(50 + (h(i, 12, 500000)) / 100.0, 2)::DECIMAL(18,4) AS amt
                  FROM range({invoices}) r(i))
            """
        )
        con.execute(
            f"""
            INSERT INTO activities (activity_id, customer_id, date, kind, hours, cost,
                                    free_of_charge, batch_id)
            SELECT 'A' || i,
                   'K' || lpad((h(i, 20, {customers}))::VARCHAR, 7, '0'),
                   DATE '2024-01-01' + (h(i, 21, 731))::INTEGER,
                   ['visit', 'call', 'ticket', 'service', 'goodwill', 'event'][1 + h(i, 22, 6)],
                   (h(i, 23, 80)) / 10.0,
                   ((h(i, 24, 80000)) / 100.0)::DECIMAL(18,4),
                   h(i, 25, 10) = 0, 0
            FROM range({activities}) r(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO ratings (customer_id, indicator, value, date, rated_by, comment, batch_id)
            SELECT 'K' || lpad((i // 3)::VARCHAR, 7, '0'),
                   ['relationship_quality', 'new_business_potential', 'service_potential',
                    'reference_value', 'strategic_importance'][1 + h(i, 30, 5)],
                   (h(i, 31, 11))::DOUBLE,
                   DATE '2023-01-01' + (h(i, 32, 1000))::INTEGER, 'Bench', NULL, 0
            FROM range({customers * 3}) r(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO installed_base (customer_id, machine_id, model, value, installed_on,
                                        batch_id)
            SELECT 'K' || lpad((h(i, 40, {customers}))::VARCHAR, 7, '0'), 'M' || i,
                   'Typ ' || (h(i, 41, 30)),
                   (20000 + h(i, 42, 500000))::DECIMAL(18,4),
                   DATE '2000-01-01' + (h(i, 43, 9500))::INTEGER, 0
            FROM range({customers * 3 // 2}) r(i)
            """
        )
        # Duplicate keys from hashing are harmless here: the review never joins on them.
        con.execute("CHECKPOINT")
        print(f"built {db} in {time.perf_counter() - t0:.1f} s", flush=True)


def load_parquet(db: Path, folder: Path) -> None:
    """The demo generator's Parquet files, loaded with plain SQL (no importer)."""
    from kundenwert.schema import TABLES
    from kundenwert.store import open_store

    db.unlink(missing_ok=True)
    with open_store(db, create=True) as store:
        t0 = time.perf_counter()
        for name, table in TABLES.items():
            path = folder / f"{name}.parquet"
            if path.exists():
                cols = ", ".join(table.column_names)
                store.con.execute(
                    f"INSERT INTO {name} ({cols}, batch_id) SELECT {cols}, 0 "
                    f"FROM read_parquet('{path}')"
                )
        store.con.execute("CHECKPOINT")
        print(f"loaded {folder} into {db} in {time.perf_counter() - t0:.1f} s", flush=True)


CHILD = r"""
import json, resource, sys, time
from datetime import date
from kundenwert.store import open_store

def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

db, what = sys.argv[1], sys.argv[2]
with open_store(db) as store:
    t0, c0 = time.perf_counter(), cpu()
    if what == "floor":
        # benchmarks/review_floor.sql: the review's rules by hand, into the table review_floor
        # (written for 2025-12-31 and 12 months; other dates are put in)
        from kundenwert.review.period import window_start
        day = date.fromisoformat(sys.argv[3])
        sql = open(sys.argv[4], encoding="utf-8").read().replace("2025-12-31", str(day))
        store.con.execute(sql.replace("2025-01-01", str(window_start(day, 12))))
        extra = {}
    else:
        from kundenwert.review import run_review
        from kundenwert.settings import Settings, settings_from_dict
        # Against the floor: the company view the floor computes (the per-unit view's extra
        # cost is benchmarks/bench_review_units.py's figure).
        plain = {"review": {"potential": {"source": "ratings", "forecast_columns": False},
                            "units": {"enabled": False}}}
        cfg = settings_from_dict(plain) if what == "review-plain" else Settings()
        r = run_review(store, cfg, date.fromisoformat(sys.argv[3]), 12)
        extra = {"review_id": r.review_id, "customers": r.customer_count}
    seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB -> GiB
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "peak_gib": peak, **extra}))
"""


def measure(db: Path, what: str, as_of: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), what, as_of, str(FLOOR_SQL)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def check_floor(db: Path, review_id: int) -> dict[str, int]:
    """Rows where the floor's table differs from the review's snapshot, per column (all 0 when
    the floor computes what the review does); "rows" counts customers in only one of them."""
    import duckdb

    differs = {c: f"r.{c} IS DISTINCT FROM f.{c}" for c in EXACT}
    for c in FLOATS:
        differs[c] = (
            f"(r.{c} IS NULL) <> (f.{c} IS NULL) OR "
            f"abs(r.{c} - f.{c}) > 1e-9 * greatest(1.0, abs(f.{c}))"
        )
    counts = ", ".join(f"count(*) FILTER (WHERE {sql}) AS {c}" for c, sql in differs.items())
    con = duckdb.connect(str(db), read_only=True)
    sql = (
        "SELECT count(*) FILTER (WHERE r.customer_id IS NULL OR f.customer_id IS NULL) AS rows, "
        f"{counts} FROM (SELECT * FROM review_customers WHERE review_id = ?) AS r "
        "FULL JOIN review_floor AS f ON r.customer_id = f.customer_id"
    )
    cursor = con.execute(sql, [review_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    con.close()
    return dict(zip(names, row, strict=True))


def run_dataset(db: Path, as_of: str, repeat: int, forecast: bool = True) -> dict:
    """Floor and review alternate ``repeat`` times (the machine is shared): best of each.
    The floor (benchmarks/review_floor.sql) is checked equal to the review without forecast."""
    floors, reviews, plains = [], [], []
    for _ in range(repeat):
        floors.append(measure(db, "floor", as_of))
        if forecast:
            reviews.append(measure(db, "review", as_of))
        plains.append(measure(db, "review-plain", as_of))
    differences = check_floor(db, plains[-1]["review_id"])
    if any(differences.values()):
        print(f"the floor differs from the review: {differences}", flush=True)
    reviews = reviews or plains
    floor = min(r["seconds"] for r in floors)
    review = min(r["seconds"] for r in reviews)
    floor_cpu = min(r["cpu"] for r in floors)
    review_cpu = min(r["cpu"] for r in reviews)
    return {
        "counts": counts(db),
        "as_of": as_of,
        "floor": floor,
        "review": review,
        "floor_cpu": floor_cpu,
        "review_cpu": review_cpu,
        "runs": [r["seconds"] for r in reviews],
        "peak_gib": max(r["peak_gib"] for r in reviews),
        "ratio": review / floor,
        "ratio_cpu": review_cpu / floor_cpu,
        "plain": min(r["seconds"] for r in plains),
        "plain_cpu": min(r["cpu"] for r in plains),
        "plain_peak_gib": max(r["peak_gib"] for r in plains),
        "plain_runs": [r["seconds"] for r in plains],
        "floor_runs": [r["seconds"] for r in floors],
        "differences": differences,
    }


def optimized_copy(db: Path, rebuild: bool) -> tuple[Path, float]:
    """A copy of ``db`` after `kundenwert optimize`, made once (the time it took is kept next to
    it); returns the copy and that time."""
    import shutil

    target = db.with_name(db.stem + "-optimized.duckdb")
    timing = target.with_suffix(".json")
    if target.exists() and timing.exists() and not rebuild:
        return target, json.loads(timing.read_text())["optimize_seconds"]
    shutil.copyfile(db, target)
    code = (
        "import json, sys; from kundenwert.store import open_store; "
        "from kundenwert.store.maintenance import optimize\n"
        "with open_store(sys.argv[1]) as s: print(json.dumps(optimize(s).seconds))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)], check=True, capture_output=True, text=True
    )
    seconds = float(out.stdout.strip().splitlines()[-1])
    timing.write_text(json.dumps({"optimize_seconds": seconds}))
    return target, seconds


def counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    tables = ("customers", "invoices", "activities", "ratings", "installed_base")
    result = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    con.close()
    return result


def section(results: dict[str, dict], repeat: int, load: str) -> str:
    rows = []
    for label, r in results.items():
        n = r["counts"]
        plain_runs = ", ".join(f"{x:.2f}" for x in r["plain_runs"])
        rows.append(
            f"| {label} | {n['customers']:,} | {n['invoices']:,} | {n['activities']:,} | "
            f"{r['as_of']} | **{r['plain']:.2f} s** ({plain_runs}) "
            f"| {r['plain_cpu']:.1f} s | {r['plain_peak_gib']:.2f} GiB | **{r['floor']:.2f} s** "
            f"({', '.join(f'{x:.2f}' for x in r['floor_runs'])}) | {r['floor_cpu']:.1f} s "
            f"| **{r['plain'] / r['floor']:.2f}** | {r['plain_cpu'] / r['floor_cpu']:.2f} "
            f"| {'yes' if not any(r['differences'].values()) else 'NO: ' + str(r['differences'])} |"
        )  # fmt: skip
    forecast_rows = [
        f"| {label} | {r['review']:.1f} s ({', '.join(f'{x:.1f}' for x in r['runs'])}) "
        f"| {r['review_cpu']:.1f} s | {r['peak_gib']:.2f} GiB | {r['ratio']:.2f} |"
        for label, r in results.items()
    ]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (
        "## Review\n\n"
        "`kundenwert review` with a 12-month window: compute every rule and store the snapshot "
        "(1 row per customer, with the score contributions). Floor (issue 16): "
        "`benchmarks/review_floor.sql`, a hand-written DuckDB SQL script computing the same "
        "window aggregates, margins I–III, value score with its coverage, score class, "
        "potential, ABC class, quadrant and service level and writing them as a table; its "
        "output is checked equal to the review's snapshot in those columns (floats to 1e-9). "
        "The script follows the default settings without the forecast, so it is compared with "
        'the review without the forecast (`review.potential.source = "ratings"`, '
        "`forecast_columns = false`). Each run is a fresh process (peak memory = its ru_maxrss, "
        "CPU = user + system time of all its threads, times from the open store to the stored "
        f"snapshot); floor and reviews alternate {repeat} times and the best time of each counts "
        "(all runs in brackets) because the 2 cores are shared with other work. "
        f"Load average before the run: {load}. Run {stamp} with "
        "`.venv/bin/python benchmarks/bench_review.py"
        + (f" --repeat {repeat}`" if repeat != 3 else "`")
        + ".\n\n"
        "| data | customers | invoice lines | activities | as of | review without forecast, "
        "wall | CPU | peak memory | floor, wall | floor, CPU | ratio, wall | ratio, CPU "
        "| equal |\n"
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
        + "\n".join(rows)
        + "\n\nTarget (issue 16): the review without forecast at most 1.5 times the floor. "
        "The default configuration also fits the forecast in every review (BG/NBD and "
        "Gamma-Gamma for the potential and the forecast columns, and once more on a 26-week "
        "holdout to validate it):\n\n"
        "| data | review with forecast, wall | CPU | peak memory | ratio to the floor, wall |\n"
        "|---|---:|---:|---:|---:|\n"
        + "\n".join(forecast_rows)
        + "\n\nEarlier targets: review ≤ 60 s, peak memory < 4 GiB.\n\n"
        "*synthetic*: built by the script with DuckDB SQL (`range()` and hash-based values: "
        "skewed revenue, 2 years of invoices, ratings and installed base; 3 ratings and 1.5 "
        "machines per customer). *demo*: the demo generator's Parquet files "
        "(`--parquet bench-data/demo-1m-parquet`), loaded with plain SQL.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/kw-review-bench/bench.duckdb"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--parquet",
        type=Path,
        help="Also measure the demo generator's Parquet folder (as of 2026-06-30).",
    )
    parser.add_argument(
        "--optimized",
        action="store_true",
        help="Also measure a copy of the database after `kundenwert optimize`.",
    )
    parser.add_argument("--no-docs", action="store_true", help="Print only.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best counts.")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="2,000 customers in a temporary folder, one run, no forecast; no docs.",
    )
    args = parser.parse_args()
    if args.tiny:
        with tempfile.TemporaryDirectory() as scratch:
            db = Path(scratch) / "bench.duckdb"
            build(db, 2_000)
            result = run_dataset(db, AS_OF, 1, forecast=False)
            print(section({"synthetic": result}, 1, "-"))
            if any(result["differences"].values()):
                raise SystemExit(f"the floor differs from the review: {result['differences']}")
        return
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or not args.db.exists():
        build(args.db, args.customers)
    results = {"synthetic": run_dataset(args.db, AS_OF, args.repeat)}
    if args.parquet:
        demo_db = args.db.with_name("demo.duckdb")
        if args.rebuild or not demo_db.exists():
            load_parquet(demo_db, args.parquet)
        results["demo"] = run_dataset(demo_db, "2026-06-30", args.repeat)
    optimize_seconds = None
    if args.optimized:
        copy, optimize_seconds = optimized_copy(args.db, args.rebuild)
        results["synthetic, optimized"] = run_dataset(copy, AS_OF, args.repeat)
    text = section(results, args.repeat, load)
    if optimize_seconds is not None:
        text += (
            f"\n*synthetic, optimized*: a copy of the synthetic database after `kundenwert "
            f"optimize` (invoices and activities sorted by customer and date; "
            f"{optimize_seconds:.0f} s).\n"
        )
    print(text)
    if not args.no_docs:
        write_section("Review", text.removeprefix("## Review\n"))


if __name__ == "__main__":
    main()
