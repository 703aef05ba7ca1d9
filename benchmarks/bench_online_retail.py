"""Benchmark: the Online Retail II export end to end, kundenwert next to `lifetimes`.

    .venv/bin/python benchmarks/bench_online_retail.py     # writes docs/benchmarks.md
    .venv/bin/python benchmarks/bench_online_retail.py --tiny   # kundenwert on a sample, no docs

Each step runs in a fresh process, so its wall time and peak memory (ru_maxrss) are its own:

kundenwert (examples/online-retail/kundenwert.toml, a new database under bench-data/):
  import    — the Parquet export into the database (computed amount, credit notes, lines
              without a customer kept, customers created),
  review    — the review as of 2011-12-09, with the forecast and its 162-day holdout validation,
  forecast  — summary and BG/NBD + Gamma-Gamma fit on the calibration period (to 2011-06-30),
  holdout   — the same fit, then predicted against actual purchases 2011-07-01..2011-12-09,
  dynamics  — trajectories, phases, alerts and actions as of 2011-12-09.

lifetimes 0.11.3 (its own venv, .venv-bench, as in bench_forecast.py), on the same lines:
  read      — the Parquet file into pandas, amount = Quantity × Price, lines with a customer,
  forecast  — the purchase days (lines of a customer and day summed; days totalling zero or
              less dropped, kundenwert's rule) and calibration_and_holdout_data, BG/NBD and
              Gamma-Gamma fits,
  holdout   — the same, then conditional_expected_number_of_purchases_up_to_time per customer.
lifetimes has no import, review or trajectory analysis: those rows show "—".

Both sides count time in days, so their parameters are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from report import lifetimes_python, machine, write_section  # shared by all benchmarks

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(
    os.environ.get(
        "KUNDENWERT_BENCH_RETAIL",
        ROOT / "tests" / "data" / "online_retail_ii" / "online_retail_II_combined_dedup.parquet",
    )
)
CONFIG = ROOT / "examples" / "online-retail" / "kundenwert.toml"
BENCH_DATA = Path(os.environ.get("KUNDENWERT_BENCH_DATA", ROOT / "bench-data"))
WORK = BENCH_DATA / "online-retail"
AS_OF, CALIBRATION_END, HOLDOUT_DAYS = "2011-12-09", "2011-06-30", 162

# --- steps, each run in its own process (python bench_online_retail.py --step NAME) --------


def _ours_settings():
    from kundenwert.settings import load_settings

    settings = load_settings(CONFIG)
    return settings.model_copy(
        update={"forecast": settings.forecast.model_copy(update={"unit": "day"})}
    )


def step_import() -> dict:
    from kundenwert.importing import import_path
    from kundenwert.store import open_store

    with open_store(WORK / "kundenwert.duckdb", create=True) as store:
        run = import_path(store, DATA, _ours_settings(), report_dir=WORK / "reports")
    (f,) = run.files
    return {
        "lines": f.rows_read,
        "stored": f.inserted,
        "unassigned": f.unassigned,
        "unassigned_amount": f.unassigned_amount,
        "rejected": f.rejected,
        "customers": f.customers_created,
        "credit_note_lines": f.credit_notes,
        "credit_note_lines_linked": f.credit_notes_linked,
    }


def step_review() -> dict:
    from datetime import date

    from kundenwert.review import run_review
    from kundenwert.store import open_store

    with open_store(WORK / "kundenwert.duckdb") as store:
        result = run_review(store, _ours_settings(), date.fromisoformat(AS_OF))
        classes = store.con.execute(
            "SELECT abc_class, count(*), sum(revenue) FROM review_customers "
            "WHERE review_id = ? GROUP BY 1 ORDER BY 1",
            [result.review_id],
        ).fetchall()
    return {
        "totals": result.totals,
        "customers": result.customer_count,
        "classes": [[c, n, str(r)] for c, n, r in classes],
        "quadrants": result.quadrants,
    }


def step_forecast() -> dict:
    from datetime import date

    from kundenwert.forecast.fitting import fit_forecast
    from kundenwert.store import open_store

    with open_store(WORK / "kundenwert.duckdb") as store:
        fit = fit_forecast(store, date.fromisoformat(CALIBRATION_END), _ours_settings().forecast)
    return {
        "customers": fit.customers.num_rows,
        "converged": bool(fit.purchases.converged_ and fit.spend and fit.spend.converged_),
        "params": {**fit.purchases.params_, **(fit.spend.params_ if fit.spend else {})},
    }


def step_holdout() -> dict:
    from datetime import date

    from kundenwert.forecast.config import parse_duration
    from kundenwert.forecast.evaluate import evaluate_holdout
    from kundenwert.store import open_store

    with open_store(WORK / "kundenwert.duckdb") as store:
        result = evaluate_holdout(
            store,
            parse_duration(f"{HOLDOUT_DAYS}d"),
            _ours_settings().forecast,
            calibration_end=date.fromisoformat(CALIBRATION_END),
        )
    out = result.to_dict()
    return {k: out[k] for k in ("customers", "total_actual", "total_predicted", "mae", "groups")}


def step_dynamics() -> dict:
    from collections import Counter
    from datetime import date

    import numpy as np

    from kundenwert.dynamics import analyse
    from kundenwert.store import open_store

    with open_store(WORK / "kundenwert.duckdb") as store:
        result = analyse(store, _ours_settings(), date.fromisoformat(AS_OF))
    types = result.trajectories.type
    typed = ~np.isin(types, ("insufficient", "unclear"))
    revenue = np.maximum(result.series.revenue[:, -24:].sum(1), 0)  # the last two years
    total = max(float(revenue.sum()), 1e-9)
    months = result.trajectories.purchase_months
    minimum = _ours_settings().dynamics.trajectory.min_purchase_months
    return {
        "typed_customers": float(typed.mean()),
        "typed_revenue": float(revenue[typed].sum() / total),
        # What any rule that needs `minimum` purchase months can type at most, and the revenue
        # of the customers with fewer than 6 (where even the demo's Bayes ceiling is right
        # on fewer than half).
        "min_purchase_months": minimum,
        "revenue_enough_months": float(revenue[months >= minimum].sum() / total),
        "revenue_below_6_months": float(revenue[months < 6].sum() / total),
        "trajectories": dict(Counter(types.tolist())),
        "phases": dict(Counter(result.phases.phase.tolist())),
        "alerts": result.alerts.num_rows,
        "actions": result.actions.num_rows,
    }


def _lifetimes_lines():
    import pandas as pd

    lines = pd.read_parquet(DATA, columns=["Customer ID", "InvoiceDate", "Quantity", "Price"])
    lines = lines[lines["Customer ID"].notna()]
    return pd.DataFrame(
        {
            "customer_id": lines["Customer ID"].astype("int64"),
            "date": lines["InvoiceDate"].dt.normalize(),
            "amount": lines["Quantity"] * lines["Price"],
        }
    )


def _lifetimes_fit(lines):
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import calibration_and_holdout_data

    days = lines.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    days = days[days["amount"] > 0.005]  # kundenwert's purchase rule, exact to the cent
    rfm = calibration_and_holdout_data(
        days,
        "customer_id",
        "date",
        calibration_period_end=pd.Timestamp(CALIBRATION_END),
        observation_period_end=pd.Timestamp(AS_OF),
        freq="D",
        monetary_value_col="amount",
    )
    bg = BetaGeoFitter().fit(rfm["frequency_cal"], rfm["recency_cal"], rfm["T_cal"])
    repeat = rfm[rfm["frequency_cal"] > 0]
    gg = GammaGammaFitter().fit(repeat["frequency_cal"], repeat["monetary_value_cal"])
    return rfm, bg, gg


def step_lifetimes_read() -> dict:
    return {"lines": len(_lifetimes_lines())}


def step_lifetimes_forecast() -> dict:
    import warnings

    warnings.simplefilter("ignore")
    lines = _lifetimes_lines()
    start = time.perf_counter()
    rfm, bg, gg = _lifetimes_fit(lines)
    params = {**bg.params_.to_dict(), **gg.params_.to_dict()}
    params["gamma"] = params.pop("v")
    return {"customers": len(rfm), "params": params, "own_seconds": time.perf_counter() - start}


def step_lifetimes_holdout() -> dict:
    import warnings

    import numpy as np

    warnings.simplefilter("ignore")
    lines = _lifetimes_lines()
    start = time.perf_counter()
    rfm, bg, _gg = _lifetimes_fit(lines)
    predicted = bg.conditional_expected_number_of_purchases_up_to_time(
        HOLDOUT_DAYS, rfm["frequency_cal"], rfm["recency_cal"], rfm["T_cal"]
    ).to_numpy()
    actual = rfm["frequency_holdout"].to_numpy()
    group = np.minimum(rfm["frequency_cal"].to_numpy(), 7).astype(int)
    groups = [
        {
            "label": f"{g}+" if g == 7 else str(g),
            "customers": int((group == g).sum()),
            "actual_mean": float(actual[group == g].mean()),
            "predicted_mean": float(predicted[group == g].mean()),
        }
        for g in range(8)
        if (group == g).any()
    ]
    return {
        "customers": len(rfm),
        "total_actual": float(actual.sum()),
        "total_predicted": float(predicted.sum()),
        "groups": groups,
        "own_seconds": time.perf_counter() - start,
    }


STEPS = {
    "import": step_import,
    "review": step_review,
    "forecast": step_forecast,
    "holdout": step_holdout,
    "dynamics": step_dynamics,
    "lifetimes_read": step_lifetimes_read,
    "lifetimes_forecast": step_lifetimes_forecast,
    "lifetimes_holdout": step_lifetimes_holdout,
}


def run_step(name: str, python: str) -> dict:
    """Run one step in a fresh process; its result with wall seconds and peak memory."""
    code = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import bench_online_retail as b\n"
        "t = time.perf_counter()\n"
        f"out = b.STEPS[{name!r}]()\n"
        "out['seconds'] = time.perf_counter() - t\n"
        "out['peak_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(out, default=str))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------------------


def _money(text: str | float) -> str:
    return f"{float(text):,.2f}"


def render(ours: dict, theirs: dict, load: tuple[float, float, float]) -> str:
    imp, review, fc, ho, dyn = (
        ours[k] for k in ("import", "review", "forecast", "holdout", "dynamics")
    )
    lt_read, lt_fc, lt_ho = (
        theirs[k] for k in ("lifetimes_read", "lifetimes_forecast", "lifetimes_holdout")
    )

    def cell(step: dict | None) -> str:
        return "—" if step is None else f"{step['seconds']:.1f} s, {step['peak_mib']:.0f} MiB"

    lines = [
        f"Machine: {machine()}; load before the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}.",
        "",
        "The real export of examples/online-retail (tests/data/online_retail_ii, "
        f"{imp['lines']:,} lines), read with examples/online-retail/kundenwert.toml; time in "
        "days on both sides. Every step is a fresh process: wall time and peak memory.",
        "",
        "| step | kundenwert | lifetimes 0.11.3 |",
        "|---|---|---|",
        f"| import (lifetimes: read into pandas) | {cell(imp)} | {cell(lt_read)} |",
        f"| review as of {AS_OF}, with forecast and holdout validation | {cell(review)} | — |",
        f"| forecast: summary, BG/NBD and Gamma-Gamma to {CALIBRATION_END} | {cell(fc)} | "
        f"{cell(lt_fc)} |",
        f"| holdout: the same, predicted vs actual to {AS_OF} | {cell(ho)} | {cell(lt_ho)} |",
        f"| trajectories, phases, alerts, actions | {cell(dyn)} | — |",
        "",
        "lifetimes' times include reading the file (about "
        f"{lt_read['seconds']:.1f} s of each); its fitting steps alone took "
        f"{lt_fc['own_seconds']:.1f} s (forecast) and {lt_ho['own_seconds']:.1f} s (holdout).",
        "",
        f"Import: {imp['stored']:,} lines stored with their customer, {imp['unassigned']:,} "
        f"without one (GBP {_money(imp['unassigned_amount'])} unassigned revenue), "
        f"{imp['rejected']:,} rejected; {imp['customers']:,} customers created; "
        f"{imp['credit_note_lines']:,} credit-note lines, {imp['credit_note_lines_linked']:,} "
        "linked to the invoice they cancel.",
        "",
        "### Holdout: purchases 2011-07-01 to 2011-12-09 per calibration frequency",
        "",
        f"BG/NBD fitted to {CALIBRATION_END}. kundenwert: {ho['customers']:,} customers, "
        f"actual {ho['total_actual']:,.0f}, predicted {ho['total_predicted']:,.0f}, "
        f"mean absolute error per customer {ho['mae']:.2f}. lifetimes: "
        f"{lt_ho['customers']:,} customers, actual {lt_ho['total_actual']:,.0f}, predicted "
        f"{lt_ho['total_predicted']:,.0f}.",
        "",
        "| repeat purchases in calibration | customers | actual (mean) | kundenwert (mean) | "
        "lifetimes (mean) |",
        "|---|---:|---:|---:|---:|",
    ]
    theirs_by = {g["label"]: g for g in lt_ho["groups"]}
    for g in ho["groups"]:
        t = theirs_by.get(g["label"])
        lines.append(
            f"| {g['label']} | {g['customers']:,} | {g['actual_mean']:.3f} | "
            f"{g['predicted_mean']:.3f} | {t['predicted_mean']:.3f} |"
            if t
            else f"| {g['label']} | {g['customers']:,} | {g['actual_mean']:.3f} | "
            f"{g['predicted_mean']:.3f} | — |"
        )
    lines += [
        "",
        "| parameter | kundenwert | lifetimes |",
        "|---|---:|---:|",
    ]
    for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        lines.append(f"| {name} | {fc['params'][name]:.4g} | {lt_fc['params'][name]:.4g} |")
    n_customers = review["customers"]
    revenue = sum(float(r) for _, _, r in review["classes"])
    lines += [
        "",
        f"### Review as of {AS_OF} (12 months)",
        "",
        f"Customer revenue GBP {_money(review['totals']['revenue'])}, unassigned revenue GBP "
        f"{_money(review['totals']['unassigned_revenue'])}, together GBP "
        f"{_money(review['totals']['revenue_total'])} (the export's net revenue in the window). "
        "No cost columns: margins equal revenue.",
        "",
        "| ABC class | customers | share of customers | share of revenue |",
        "|---|---:|---:|---:|",
    ]
    for c, n, r in review["classes"]:
        share = float(r) / revenue if revenue else 0.0
        lines.append(f"| {c} | {n:,} | {n / n_customers:.1%} | {share:.1%} |")
    lines += ["", "| quadrant | customers |", "|---|---:|"]
    for q, n in sorted(review["quadrants"].items()):
        lines.append(f"| {q} | {n:,} |")
    traj = ", ".join(f"{k} {v:,}" for k, v in sorted(dyn["trajectories"].items()))
    phases = ", ".join(f"{k} {v:,}" for k, v in sorted(dyn["phases"].items()))
    lines += [
        "",
        f"Trajectories: {traj}. Phases: {phases}. Alerts {dyn['alerts']:,}, actions "
        f"{dyn['actions']:,}. Customers with a type (not insufficient or unclear): "
        f"{dyn['typed_customers']:.0%}, holding {dyn['typed_revenue']:.0%} of the last two "
        "years' revenue.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_online_retail.py`.",
    ]
    return "\n".join(lines)


def tiny() -> None:
    """Every kundenwert step on a 20th of the customers (and of the lines without one), in a
    temporary folder; lifetimes and docs/benchmarks.md are left alone."""
    import tempfile

    import duckdb

    with tempfile.TemporaryDirectory() as scratch:
        sample = Path(scratch) / DATA.name  # the configuration knows the file by its name
        duckdb.execute(
            f"COPY (SELECT * FROM read_parquet('{DATA}') WHERE CAST(coalesce(\"Customer ID\", "
            f"hash(Invoice) % 100000) AS BIGINT) % 20 = 0) TO '{sample}' (FORMAT parquet)"
        )
        os.environ["KUNDENWERT_BENCH_RETAIL"] = str(sample)
        os.environ["KUNDENWERT_BENCH_DATA"] = scratch
        (Path(scratch) / "online-retail").mkdir()
        # (the holdout step fits the forecast as the forecast step does)
        for name in ("import", "review", "holdout", "dynamics"):
            print(name, json.dumps(run_step(name, sys.executable))[:300], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tiny", action="store_true", help="a 20th of the customers, kundenwert only; no docs"
    )
    if parser.parse_args().tiny:
        tiny()
        return
    import shutil

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    load = os.getloadavg()
    ours = {}
    for name in ("import", "review", "forecast", "holdout", "dynamics"):
        ours[name] = run_step(name, sys.executable)
        print(name, json.dumps(ours[name])[:300], flush=True)
    bench_python = lifetimes_python()
    theirs = {}
    for name in ("lifetimes_read", "lifetimes_forecast", "lifetimes_holdout"):
        theirs[name] = run_step(name, bench_python)
        print(name, json.dumps(theirs[name])[:300], flush=True)
    write_section("Online Retail II", render(ours, theirs, load))
    print("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
