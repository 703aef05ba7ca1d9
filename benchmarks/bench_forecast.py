"""Benchmark: summary + BG/NBD + Gamma-Gamma, kundenwert against the `lifetimes` package.

    python benchmarks/bench_forecast.py            # everything; writes docs/benchmarks.md
    python benchmarks/bench_forecast.py --small    # 20,000 customers, a quick smoke run

Each side runs in its own subprocess so that its peak memory (ru_maxrss) is its own:

* floor     — a bare DuckDB group-by of the invoices per customer (what any summary costs),
* ours      — kundenwert.forecast: summary (Ibis on DuckDB, reading the Parquet file), BG/NBD
              on the distinct (frequency, recency, T) triples, Gamma-Gamma on the repeat buyers,
* lifetimes — lifetimes 0.11.3: summary_data_from_transaction_data + BetaGeoFitter +
              GammaGammaFitter on the same invoices read into pandas (reading not timed).

lifetimes is not a dependency of kundenwert: it lives in its own venv (.venv-bench, created on
first use with ``pip install lifetimes pandas pyarrow``). Its fitters run unchanged on pandas 3
and NumPy 2.

Data: /work/bench-data/demo-1m-parquet/invoices.parquet when the demo generator has written it,
else a synthetic set generated here from a BG/NBD process with Gamma-Gamma spend (1,000,000
customers, ~20,000,000 invoice lines, several lines per purchase day), written once to
/work/bench-data/forecast-synth.parquet.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATA = Path(os.environ.get("KUNDENWERT_BENCH_DATA", "/work/bench-data"))
DEMO_DATA = BENCH_DATA / "demo-1m-parquet" / "invoices.parquet"
SYNTH_DATA = BENCH_DATA / "forecast-synth.parquet"
BENCH_VENV = ROOT / ".venv-bench"
DOC = ROOT / "docs" / "benchmarks.md"
AS_OF = date(2025, 12, 31)
UNIT = "day"
TRUE = {"r": 0.9, "alpha": 45.0, "a": 0.5, "b": 4.0, "p": 4.0, "q": 3.0, "gamma": 300.0}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


# --- data -------------------------------------------------------------------------------------


def generate(path: Path, customers: int, target_lines: int, seed: int = 2026) -> None:
    """Invoice lines of a BG/NBD population with Gamma-Gamma spend, ages up to two years."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    lam = rng.gamma(TRUE["r"], 1.0 / TRUE["alpha"], customers)
    drop = rng.beta(TRUE["a"], TRUE["b"], customers)
    nu = rng.gamma(TRUE["q"], 1.0 / TRUE["gamma"], customers)
    age = rng.integers(0, 730, customers)  # days from first purchase to AS_OF
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
    value = rng.gamma(TRUE["p"], 1.0 / nu[owner])
    lines_per_event = max(target_lines / len(owner) - 1.0, 0.0)
    lines = 1 + rng.poisson(lines_per_event, len(owner))
    line_owner = np.repeat(owner, lines)
    line_value = np.repeat(value / lines, lines)  # a purchase's value split evenly over lines
    first = np.datetime64(AS_OF) - age.astype("timedelta64[D]")
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


def side_floor(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    result = con.execute(
        "SELECT customer_id, count(*) AS n, min(date) AS first, max(date) AS last, "
        f"sum(amount) AS total FROM read_parquet('{path}') GROUP BY customer_id"
    ).fetch_arrow_table()
    return {"seconds": time.perf_counter() - start, "customers": result.num_rows}


def side_ours(path: Path) -> dict:
    import ibis

    from kundenwert.forecast import ForecastSettings, fit_summary
    from kundenwert.forecast.summary import summary

    settings = ForecastSettings(unit=UNIT)
    con = ibis.duckdb.connect()
    invoices = con.read_parquet(path)
    start = time.perf_counter()
    customers = summary(invoices, AS_OF, UNIT).to_pyarrow()
    summarised = time.perf_counter()
    purchases, spend = fit_summary(customers, settings, "bgnbd")
    done = time.perf_counter()
    return {
        "seconds": done - start,
        "summary_seconds": summarised - start,
        "fit_seconds": done - summarised,
        "customers": customers.num_rows,
        "triples": purchases.n_distinct_,
        "converged": purchases.converged_ and spend.converged_,
        "params": {**purchases.params_, **spend.params_},
        "log_likelihood": purchases.log_likelihood_,
    }


def side_lifetimes(path: Path) -> dict:
    import warnings

    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    warnings.simplefilter("ignore")
    start_read = time.perf_counter()
    invoices = pd.read_parquet(path)
    invoices["date"] = pd.to_datetime(invoices["date"])
    start = time.perf_counter()
    rfm = summary_data_from_transaction_data(
        invoices,
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end=pd.Timestamp(AS_OF),
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
        "read_seconds": start - start_read,
        "summary_seconds": summarised - start,
        "fit_seconds": done - summarised,
        "customers": len(rfm),
        "params": params,
    }


SIDES = {"floor": side_floor, "ours": side_ours, "lifetimes": side_lifetimes}


def run_side(name: str, path: Path, python: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [python, __file__, "--side", name, "--data", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_venv() -> str:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "lifetimes", "pandas", "pyarrow"],
            check=True,
        )
    return str(python)


def ensure_data(small: bool) -> Path:
    if small:
        path = BENCH_DATA / "forecast-synth-small.parquet"
        if not path.exists():
            generate(path, 20_000, 400_000)
        return path
    if DEMO_DATA.exists():
        return DEMO_DATA
    if not SYNTH_DATA.exists():
        generate(SYNTH_DATA, 1_000_000, 20_000_000)
    return SYNTH_DATA


def describe(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    row = con.execute(
        f"SELECT count(*), count(DISTINCT customer_id), min(date), max(date) "
        f"FROM read_parquet('{path}')"
    ).fetchone()
    return {"lines": row[0], "customers": row[1], "first": str(row[2]), "last": str(row[3])}


def render(path: Path, data: dict, floor: dict, ours: dict, theirs: dict) -> str:
    speedup = theirs["seconds"] / ours["seconds"]
    memory = ours["peak_rss_mib"] / theirs["peak_rss_mib"]
    rows = []
    for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        a, b = ours["params"][name], theirs["params"][name]
        rows.append(f"| {name} | {a:.6g} | {b:.6g} | {100 * abs(a / b - 1):.4f} % |")
    return "\n".join(
        [
            "## Forecast",
            "",
            "Summary (frequency, recency, T, mean repeat spend per customer) plus BG/NBD plus "
            "Gamma-Gamma fit, kundenwert against lifetimes 0.11.3 "
            "(`summary_data_from_transaction_data` + `BetaGeoFitter` + `GammaGammaFitter`), "
            "each in its own process, time unit day, as of " + AS_OF.isoformat() + ".",
            "",
            f"Data: `{path}` — {data['lines']:,} invoice lines, {data['customers']:,} customers, "
            f"{data['first']} to {data['last']}. Machine: {os.cpu_count()} cores. "
            f"Run: {time.strftime('%Y-%m-%d %H:%M')} with "
            "`.venv/bin/python benchmarks/bench_forecast.py`.",
            "",
            "| step | kundenwert | lifetimes |",
            "|---|---:|---:|",
            f"| summary | {ours['summary_seconds']:.2f} s | {theirs['summary_seconds']:.2f} s |",
            f"| fits (BG/NBD + Gamma-Gamma) | {ours['fit_seconds']:.2f} s | "
            f"{theirs['fit_seconds']:.2f} s |",
            f"| **total** | **{ours['seconds']:.2f} s** | **{theirs['seconds']:.2f} s** |",
            f"| reading the file into pandas (not in the total) | — | "
            f"{theirs['read_seconds']:.2f} s |",
            f"| peak memory (ru_maxrss of the process) | {ours['peak_rss_mib']:,.0f} MiB | "
            f"{theirs['peak_rss_mib']:,.0f} MiB |",
            "",
            f"Speed-up {speedup:.1f}x; memory {100 * memory:.0f} % of lifetimes'. "
            f"Floor: a bare DuckDB group-by of the same invoices per customer (count, min/max "
            f"date, sum) takes {floor['seconds']:.2f} s ({floor['peak_rss_mib']:,.0f} MiB). "
            f"kundenwert fitted BG/NBD on {ours['triples']:,} distinct (frequency, recency, T) "
            f"triples instead of {ours['customers']:,} customers; converged: "
            f"{'yes' if ours['converged'] else 'NO'}.",
            "",
            "| parameter | kundenwert | lifetimes | difference |",
            "|---|---:|---:|---:|",
            *rows,
            "",
        ]
    )


def write_section(text: str) -> None:
    """Replace (or append) the '## Forecast' section; other sections stay as they are."""
    old = DOC.read_text("utf-8") if DOC.exists() else "# Benchmarks\n"
    lines = old.splitlines()
    if "## Forecast" in lines:
        start = lines.index("## Forecast")
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines[start:end] = text.rstrip("\n").splitlines() + ([""] if end < len(lines) else [])
        new = "\n".join(lines) + "\n"
    else:
        new = old.rstrip("\n") + "\n\n" + text
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(new, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=sorted(SIDES))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--small", action="store_true", help="20,000 customers; no doc update")
    args = parser.parse_args()
    if args.side:
        result = SIDES[args.side](args.data)
        result["peak_rss_mib"] = peak_rss_mib()
        print(json.dumps(result))
        return
    path = ensure_data(args.small)
    bench_python = ensure_venv()
    floor = run_side("floor", path, sys.executable)
    ours = run_side("ours", path, sys.executable)
    print("ours", json.dumps(ours), flush=True)
    theirs = run_side("lifetimes", path, bench_python)
    print("lifetimes", json.dumps(theirs), flush=True)
    text = render(path, describe(path), floor, ours, theirs)
    print(text)
    if not args.small:
        write_section(text)


if __name__ == "__main__":
    main()
