"""Benchmark: summary + BG/NBD + Gamma-Gamma, kundenwert against the `lifetimes` package.

    python benchmarks/bench_forecast.py            # daily population; writes docs/benchmarks.md
    python benchmarks/bench_forecast.py --population synth   # the earlier two-year population
    python benchmarks/bench_forecast.py --customers 100000 --no-docs   # a smaller size
    python benchmarks/bench_forecast.py --small    # 20,000 customers, a quick smoke run
    python benchmarks/bench_forecast.py --tiny     # 2,000 customers, seconds (in `make test`)

Against the floor (issue 16.1): `kundenwert forecast fit --unit day` as a whole fresh process on
the store after `optimize`, against a fresh process that runs only the bare per-customer-and-
day group-by on the same store, alternating (--repeat, best of each); target ratio <= 1.5.

Each side runs in its own subprocess so that its peak memory (ru_maxrss) is its own:

* floor     — a bare DuckDB group-by of the invoices per customer (what any summary costs),
* ours      — kundenwert.forecast.fit_forecast as `kundenwert forecast fit` runs it: summary
              (the SQL Ibis compiles it to, run on the store's DuckDB) from a kundenwert store
              holding the invoices after `kundenwert optimize`, BG/NBD on the distinct
              (frequency, recency, T) triples beside Gamma-Gamma on the repeat buyers; also
              the same straight from the Parquet file (the summary through Ibis),
* lifetimes — lifetimes 0.11.3: summary_data_from_transaction_data + BetaGeoFitter +
              GammaGammaFitter on the same invoices read into pandas (reading not timed).

lifetimes is not a dependency of kundenwert: it lives in its own venv (.venv-bench, created on
first use with ``pip install lifetimes pandas pyarrow``). Its fitters run unchanged on pandas 3
and NumPy 2.

Data for the comparison, generated here from a BG/NBD process with Gamma-Gamma spend, no credit
notes (so that both tools count the same purchases), written once under bench-data/:
``daily`` (default, issue 16) — 1,000,000 customers over three years with daily times, about 20
million purchases, one line each, about 0.8 distinct (frequency, recency, T) triples per
customer (forecast-daily.parquet); ``synth`` — ages up to two years, ~20,000,000 invoice lines,
several lines per purchase day (forecast-synth.parquet). When the demo generator's
bench-data/demo-1m-parquet/invoices.parquet exists, kundenwert is also timed on it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from report import BENCH_VENV, lifetimes_python, peak_rss_mib  # benchmarks/report.py, shared by all

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATA = Path(os.environ.get("KUNDENWERT_BENCH_DATA", ROOT / "bench-data"))
DEMO_DATA = BENCH_DATA / "demo-1m-parquet" / "invoices.parquet"
SYNTH_DATA = BENCH_DATA / "forecast-synth.parquet"
UNIT = "day"
SYNTH_END = date(2025, 12, 31)  # last day of the synthetic invoices
TRUE = {"r": 0.9, "alpha": 45.0, "a": 0.5, "b": 4.0, "p": 4.0, "q": 3.0, "gamma": 300.0}
#: The population of issue 16: daily times over three years, about 20 purchases per customer
#: (20 million at 1,000,000 customers) and about 0.9 distinct (frequency, recency, T) triples
#: per customer, one invoice line per purchase event.
DAILY = {"r": 2.0, "alpha": 40.0, "a": 0.3, "b": 10.0, "p": 4.0, "q": 3.0, "gamma": 300.0}


@dataclass(frozen=True)
class Population:
    params: dict[str, float]
    days: int  # customers' ages are drawn from 0 to days - 1
    lines_per_customer: int  # 0: one line per purchase event
    file: str  # under bench-data, at 1,000,000 customers
    heading: str  # the section of docs/benchmarks.md


POPULATIONS = {
    "daily": Population(DAILY, 1096, 0, "forecast-daily.parquet", "Forecast on daily times"),
    "synth": Population(TRUE, 730, 20, "forecast-synth.parquet", "Forecast"),
}


# --- data -------------------------------------------------------------------------------------


def generate(
    path: Path,
    customers: int,
    target_lines: int,
    seed: int = 2026,
    params: dict[str, float] = TRUE,
    days: int = 730,
) -> None:
    """Invoice lines of a BG/NBD population with Gamma-Gamma spend, ages below ``days``.

    With ``target_lines`` at most the number of purchase events, each event is one line.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], customers)
    drop = rng.beta(params["a"], params["b"], customers)
    nu = rng.gamma(params["q"], 1.0 / params["gamma"], customers)
    age = rng.integers(0, days, customers)  # days from first purchase to SYNTH_END
    owners, times = [np.arange(customers)], [np.zeros(customers)]
    t = np.zeros(customers)
    active = np.arange(customers)
    while len(active):
        t[active] += rng.exponential(1.0, len(active)) / lam[active]
        active = active[t[active] <= age[active]]
        owners.append(active)
        times.append(t[active].copy())
        active = active[rng.random(len(active)) >= drop[active]]
    owner = np.concatenate(owners)
    day = np.floor(np.concatenate(times)).astype(np.int64)
    value = rng.gamma(params["p"], 1.0 / nu[owner])
    lines_per_event = max(target_lines / len(owner) - 1.0, 0.0)
    lines = 1 + rng.poisson(lines_per_event, len(owner))
    line_owner = np.repeat(owner, lines)
    line_value = np.repeat(value / lines, lines)  # a purchase's value split evenly over lines
    first = np.datetime64(SYNTH_END) - age.astype("timedelta64[D]")
    line_date = first[line_owner] + np.repeat(day, lines).astype("timedelta64[D]")
    order = rng.permutation(len(line_owner))  # invoices arrive unsorted
    names = pa.array(np.char.add("K", np.char.zfill(np.arange(customers).astype(str), 7)))
    ids = names.take(pa.array(line_owner[order]))
    table = pa.table(
        {
            "customer_id": ids,
            "date": pa.array(line_date[order], pa.date32()),
            "amount": pa.array(np.round(line_value[order], 2), pa.float64()),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=1_000_000)


# --- the three sides, each run in a subprocess ------------------------------------------------


def side_floor(path: Path, as_of: date) -> dict:
    """Bare DuckDB group-bys of the invoices: per customer, and per customer and day."""
    import duckdb

    if path.suffix == ".duckdb":
        con, source = duckdb.connect(str(path), read_only=True), "invoices"
    else:
        con, source = duckdb.connect(), f"read_parquet('{path}')"
    con.execute("SET enable_progress_bar = false")
    queries = {
        "customer": "SELECT customer_id, count(*) AS n, min(date) AS first, max(date) AS last, "
        f"sum(amount) AS total FROM {source} GROUP BY customer_id",
        "customer_day": "SELECT customer_id, date, sum(amount) AS amount "
        f"FROM {source} GROUP BY customer_id, date",
    }
    out = {}
    for name, sql in queries.items():
        cpu, start = time.process_time(), time.perf_counter()
        rows = con.execute(sql).to_arrow_table().num_rows
        out[name] = {
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
            "rows": rows,
        }
    return out


def side_ours(path: Path, as_of: date) -> dict:
    """``fit_forecast`` on a kundenwert store (.duckdb) or straight on a Parquet file."""
    from kundenwert.forecast import ForecastSettings
    from kundenwert.forecast.fitting import customer_summary, fit_summary
    from kundenwert.store import open_store

    settings = ForecastSettings(unit=UNIT)
    if path.suffix == ".duckdb":
        source = open_store(path, read_only=True)  # the summary as SQL on the store
    else:
        import ibis

        source = ibis.duckdb.connect().read_parquet(path)  # the summary through Ibis
    # What fit_forecast does (`kundenwert forecast fit`), with the summary timed on its own.
    cpu, start = time.process_time(), time.perf_counter()
    customers = customer_summary(source, as_of, settings, UNIT, "bgnbd")
    summarised = time.perf_counter()
    purchases, spend = fit_summary(customers, settings, "bgnbd")
    done = time.perf_counter()
    return {
        "seconds": done - start,
        "cpu_seconds": time.process_time() - cpu,
        "summary_seconds": summarised - start,
        "fit_seconds": done - summarised,
        "customers": customers.num_rows,
        "triples": purchases.n_distinct_,
        "converged": purchases.converged_ and spend.converged_,
        "params": {**purchases.params_, **spend.params_},
        "log_likelihood": purchases.log_likelihood_,
    }


def side_store(path: Path, as_of: date) -> dict:
    """Load the Parquet file into a kundenwert store in file order, then `optimize` it."""
    from kundenwert.store import maintenance, open_store

    store_path = path.with_suffix(".duckdb")
    store_path.unlink(missing_ok=True)
    with open_store(store_path, create=True) as store:
        start = time.perf_counter()
        # The columns the importer would store; amounts as the store keeps them (decimal).
        store.con.execute(
            "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) "
            "SELECT 'R' || row_number() OVER (), 1, customer_id, date, "
            f"amount::DECIMAL(18,4), 1 FROM read_parquet('{path}')"
        )
        store.con.execute("CHECKPOINT")
        loaded = time.perf_counter()
        result = maintenance.optimize(store)
    return {"load_seconds": loaded - start, "optimize_seconds": result.seconds}


def side_lifetimes(path: Path, as_of: date) -> dict:
    import warnings

    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    warnings.simplefilter("ignore")
    start_read = time.perf_counter()
    invoices = pd.read_parquet(path, columns=["customer_id", "date", "amount"])
    invoices["date"] = pd.to_datetime(invoices["date"])
    invoices["amount"] = invoices["amount"].astype("float64")  # DECIMAL arrives as objects
    cpu, start = time.process_time(), time.perf_counter()
    rfm = summary_data_from_transaction_data(
        invoices,
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end=pd.Timestamp(as_of),
        freq="D",
    )
    summarised = time.perf_counter()
    bg = BetaGeoFitter().fit(rfm["frequency"], rfm["recency"], rfm["T"])
    repeat = rfm[rfm["frequency"] > 0]
    gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    done = time.perf_counter()
    params = {**bg.params_.to_dict(), **gg.params_.to_dict()}
    params["gamma"] = params.pop("v")
    return {
        "seconds": done - start,
        "cpu_seconds": time.process_time() - cpu,
        "read_seconds": start - start_read,
        "summary_seconds": summarised - start,
        "fit_seconds": done - summarised,
        "customers": len(rfm),
        "params": params,
    }


SIDES = {
    "floor": side_floor,
    "ours": side_ours,
    "lifetimes": side_lifetimes,
    "store": side_store,
}


def run_side(name: str, path: Path, as_of: date, python: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [python, __file__, "--side", name, "--data", str(path), "--as-of", as_of.isoformat()],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_data(folder: Path, population: str, customers: int) -> Path:
    """The population's invoices (positive lines only, so both tools apply the same purchase
    rule), generated once per size."""
    pop = POPULATIONS[population]
    name = pop.file if customers == 1_000_000 else pop.file.replace(".", f"-{customers}.", 1)
    path = folder / name
    if not path.exists():
        generate(path, customers, customers * pop.lines_per_customer, params=pop.params,
                 days=pop.days)  # fmt: skip
    return path


# --- whole processes: `kundenwert forecast fit` against the bare group-by ---------------------

FLOOR_PROCESS = """
import sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET enable_progress_bar = false")
sql = "SELECT customer_id, date, sum(amount) AS amount FROM invoices GROUP BY customer_id, date"
print(con.execute(sql).to_arrow_table().num_rows)
"""


def process_seconds(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system, all threads) of a whole process, interpreter start
    and imports included, and its output."""
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed:\n{done.stderr}")
    return seconds, cpu, done.stdout


def whole_processes(store: Path, as_of: date, repeat: int) -> dict:
    """`kundenwert forecast fit --unit day` and the floor's group-by, each a fresh process,
    alternating ``repeat`` times (the machine is shared): the best of each counts."""
    fit = [sys.executable, "-m", "kundenwert", "forecast", "fit", "--as-of", as_of.isoformat()]
    fit += ["--unit", UNIT, "--db", str(store), "--json"]
    floor = [sys.executable, "-c", FLOOR_PROCESS, str(store)]
    fits, floors, fit_cpu, floor_cpu, result = [], [], [], [], {}
    for _ in range(repeat):
        seconds, cpu, _out = process_seconds(floor, store.parent)
        floors.append(seconds)
        floor_cpu.append(cpu)
        seconds, cpu, out = process_seconds(fit, store.parent)
        fits.append(seconds)
        fit_cpu.append(cpu)
        result = json.loads(out)
    spend = result.get("spend") or {}
    params = {k: result[k] for k in ("r", "alpha", "a", "b") if k in result}
    params.update({k: spend[k] for k in ("p", "q", "gamma") if k in spend})
    return {
        "fit_seconds": min(fits),
        "floor_seconds": min(floors),
        "fit_runs": fits,
        "floor_runs": floors,
        "ratio": min(fits) / min(floors),
        "fit_cpu": min(fit_cpu),
        "floor_cpu": min(floor_cpu),
        "ratio_cpu": min(fit_cpu) / min(floor_cpu),
        "model": result.get("model"),
        "triples": result.get("n_distinct"),
        "converged": bool(result.get("converged")) and bool(spend.get("converged")),
        "params": params,
    }


def describe(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    row = con.execute(
        f"SELECT count(*), count(DISTINCT customer_id), min(date), max(date) "
        f"FROM read_parquet('{path}')"
    ).fetchone()
    return {"lines": row[0], "customers": row[1], "first": str(row[2]), "last": str(row[3])}


def render_demo(path: Path, data: dict, floor: dict, ours: dict) -> list[str]:
    """kundenwert alone on the demo generator's data (with credit notes)."""
    return [
        "",
        f"The same for kundenwert alone on the demo generator's invoices `{path}` "
        f"({data['lines']:,} lines, {data['customers']:,} customers, {data['first']} to "
        f"{data['last']}, with credit notes, so lifetimes' summary — which has no purchase "
        f"rule for them — would answer a different question): summary "
        f"{ours['summary_seconds']:.2f} s + fits {ours['fit_seconds']:.2f} s = "
        f"**{ours['seconds']:.2f} s** wall ({ours['cpu_seconds']:.2f} s CPU), "
        f"{ours['peak_rss_mib']:,.0f} MiB peak, {ours['triples']:,} triples, converged: "
        f"{'yes' if ours['converged'] else 'NO'}; floor per customer "
        f"{floor['customer']['seconds']:.2f} s, per customer and day "
        f"{floor['customer_day']['seconds']:.2f} s.",
    ]


def render(
    path: Path,
    data: dict,
    store: dict,
    floors: dict[str, dict],
    ours: dict[str, dict],
    theirs: dict | None,
    processes: dict,
    load: str,
    heading: str,
    command: str,
) -> str:
    """``floors`` and ``ours`` are keyed by source: "store" (after optimize) and "parquet"."""
    st = ours["store"]
    pq = ours.get("parquet", st)  # the tiny size measures the store only
    pr = processes
    lt = theirs or {}

    def their(key: str) -> str:
        return f"{lt[key]:.2f} s" if theirs else "—"

    def floor_text(label: str, floor: dict) -> str:
        by_customer, by_day = floor["customer"], floor["customer_day"]
        return (
            f"{label}: per customer (count, min/max date, sum) "
            f"{by_customer['seconds']:.2f} s wall / {by_customer['cpu_seconds']:.2f} s CPU; "
            f"per customer and day (the purchase rule needs the day totals) "
            f"{by_day['seconds']:.2f} s wall / {by_day['cpu_seconds']:.2f} s CPU"
        )

    lines = [
        f"## {heading}",
        "",
        "Summary (frequency, recency, T, mean repeat spend per customer) plus BG/NBD plus "
        "Gamma-Gamma fit, time unit day, as of the last invoice date. kundenwert on its store "
        "(the invoices loaded in file order, then `kundenwert optimize`, which sorts them by "
        "customer and date) and once more straight on the Parquet file; lifetimes 0.11.3 "
        "(`summary_data_from_transaction_data` + `BetaGeoFitter` + `GammaGammaFitter`, its own "
        "venv, only when installed) on the invoices read into pandas.",
        "",
        f"Data: `{path.name}` — {data['lines']:,} invoice lines, {data['customers']:,} customers, "
        f"{data['first']} to {data['last']}. Machine: {os.cpu_count()} cores, load average "
        f"before the run {load}. Run: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC with "
        f"`{command}`.",
        "",
        "**Whole processes against the floor** (each a fresh process, interpreter start and "
        f"imports included, alternating {len(pr['fit_runs'])} times, best of each): "
        f"`kundenwert forecast fit --unit day` on the store **{pr['fit_seconds']:.2f} s** "
        f"({', '.join(f'{x:.2f}' for x in pr['fit_runs'])}); the floor, a process that runs "
        "only the bare per-customer-and-day group-by (`SELECT customer_id, date, sum(amount) "
        "... GROUP BY customer_id, date` into Arrow) on the same store, "
        f"**{pr['floor_seconds']:.2f} s** ({', '.join(f'{x:.2f}' for x in pr['floor_runs'])}): "
        f"ratio **{pr['ratio']:.2f}** (target ≤ 1.5); CPU time (user + system, all threads) "
        f"{pr['fit_cpu']:.2f} s against {pr['floor_cpu']:.2f} s, ratio {pr['ratio_cpu']:.2f}"
        + (
            f"; lifetimes (summary + fits, reading not timed) {lt['seconds']:.2f} s, "
            f"{lt['seconds'] / pr['fit_seconds']:.1f} times the whole `forecast fit` process."
            if theirs
            else "; lifetimes not installed (`.venv-bench`), not measured."
        ),
        "",
        "Inside one process (the library calls `forecast fit` makes, the summary timed on its "
        "own; the process start and imports are not in these):",
        "",
        "| step | kundenwert, store | kundenwert, Parquet file | lifetimes |",
        "|---|---:|---:|---:|",
        f"| summary | {st['summary_seconds']:.2f} s | {pq['summary_seconds']:.2f} s | "
        f"{their('summary_seconds')} |",
        f"| fits (BG/NBD + Gamma-Gamma) | {st['fit_seconds']:.2f} s | "
        f"{pq['fit_seconds']:.2f} s | {their('fit_seconds')} |",
        f"| **total, wall clock** | **{st['seconds']:.2f} s** | **{pq['seconds']:.2f} s** | "
        f"**{their('seconds')}** |",
        f"| total, CPU time of the process (all threads) | {st['cpu_seconds']:.2f} s | "
        f"{pq['cpu_seconds']:.2f} s | {their('cpu_seconds')} |",
        f"| peak memory (ru_maxrss of the process) | {st['peak_rss_mib']:,.0f} MiB | "
        f"{pq['peak_rss_mib']:,.0f} MiB | "
        + (f"{lt['peak_rss_mib']:,.0f} MiB |" if theirs else "— |"),
        f"| loading, not in the total | into the store {store['load_seconds']:.1f} s, "
        f"`optimize` {store['optimize_seconds']:.1f} s | — | "
        + (f"read into pandas {lt['read_seconds']:.2f} s |" if theirs else "— |"),
        "",
        f"kundenwert fitted BG/NBD on {pr['triples']:,} distinct (frequency, recency, T) triples "
        f"instead of {st['customers']:,} customers; converged: "
        f"{'yes' if pr['converged'] else 'NO'}.",
        "",
        "Floor inside one process, bare DuckDB group-bys of the same invoices. "
        + ". ".join(
            floor_text(label, floors[source])
            for source, label in (("store", "Store after optimize"), ("parquet", "Parquet file"))
            if source in floors
        )
        + ".",
        "",
    ]
    if theirs:
        lines += [
            f"Speed-up against lifetimes inside one process: {lt['seconds'] / st['seconds']:.1f}x "
            f"wall clock from the store, {lt['seconds'] / pq['seconds']:.1f}x from the Parquet "
            "file. Parameters of the whole `forecast fit` process against lifetimes':",
            "",
            "| parameter | kundenwert | lifetimes | difference |",
            "|---|---:|---:|---:|",
        ]
        for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
            a, b = pr["params"][name], lt["params"][name]
            lines.append(f"| {name} | {a:.6g} | {b:.6g} | {100 * abs(a / b - 1):.5f} % |")
        lines.append("")
    return "\n".join(lines)


def installed_lifetimes(create: bool) -> str | None:
    """The benchmark venv's Python when it has lifetimes (created first when ``create``)."""
    python = BENCH_VENV / "bin" / "python"
    if not python.exists() and create:
        try:
            lifetimes_python()
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"lifetimes not installed ({error}); measuring kundenwert alone", flush=True)
            return None
    if not python.exists():
        return None
    probe = subprocess.run([str(python), "-c", "import lifetimes"], capture_output=True)
    return str(python) if probe.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=sorted(SIDES))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat)
    parser.add_argument("--population", choices=sorted(POPULATIONS), default="daily")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="whole-process runs; best counts")
    parser.add_argument("--small", action="store_true", help="20,000 customers; no doc update")
    parser.add_argument(
        "--tiny", action="store_true", help="2,000 customers in a temporary folder; no docs"
    )
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()
    if args.side:
        result = SIDES[args.side](args.data, args.as_of)
        result["peak_rss_mib"] = peak_rss_mib()
        print(json.dumps(result))
        return
    if args.tiny or args.small:
        args.customers, args.no_docs = (2_000 if args.tiny else 20_000), True
        args.repeat = 1 if args.tiny else args.repeat
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) if args.tiny else BENCH_DATA
        run(args, folder)


def run(args: argparse.Namespace, folder: Path) -> None:
    pop = POPULATIONS[args.population]
    path = ensure_data(folder, args.population, args.customers)
    # The tiny size (inside `make test`) neither installs nor runs lifetimes.
    bench_python = None if args.tiny else installed_lifetimes(create=True)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    data = describe(path)
    as_of = date.fromisoformat(data["last"])
    store = run_side("store", path, as_of, sys.executable)
    print("store", json.dumps(store), flush=True)
    store_path = path.with_suffix(".duckdb")
    theirs = None
    if bench_python:
        # lifetimes (one core, about 45 s) runs while the kernel writes the new store out,
        # which otherwise slowed the next measurements by a second.
        os.sync()
        theirs = run_side("lifetimes", path, as_of, bench_python)
        print("lifetimes", json.dumps(theirs), flush=True)
    processes = whole_processes(store_path, as_of, args.repeat)
    print("processes", json.dumps(processes), flush=True)
    floors, ours = {}, {}
    sources = [("store", store_path), ("parquet", path)]
    for source, where in sources[:1] if args.tiny else sources:  # tiny: the store only
        floors[source] = run_side("floor", where, as_of, sys.executable)
        ours[source] = run_side("ours", where, as_of, sys.executable)
        print("ours", source, json.dumps(ours[source]), flush=True)
    command = f".venv/bin/python benchmarks/bench_forecast.py --population {args.population}"
    if args.customers != 1_000_000:
        command += f" --customers {args.customers}"
    if args.repeat != 3:
        command += f" --repeat {args.repeat}"
    text = render(path, data, store, floors, ours, theirs, processes, load, pop.heading, command)
    if DEMO_DATA.exists() and not args.no_docs and args.population == "synth":
        demo = describe(DEMO_DATA)
        demo_as_of = date.fromisoformat(demo["last"])
        demo_floor = run_side("floor", DEMO_DATA, demo_as_of, sys.executable)
        demo_ours = run_side("ours", DEMO_DATA, demo_as_of, sys.executable)
        text = (
            text.rstrip("\n")
            + "\n"
            + "\n".join(render_demo(DEMO_DATA, demo, demo_floor, demo_ours))
            + "\n"
        )
    print(text)
    if not args.no_docs:
        from report import write_section  # benchmarks/report.py, shared by all benchmarks

        write_section(pop.heading, text.removeprefix(f"## {pop.heading}\n"))


if __name__ == "__main__":
    main()
