"""Benchmark: holdout accuracy of BG/NBD, Pareto/NBD and MBG/CNBD-k, and the MBG/CNBD-k's fit time.

    .venv/bin/python benchmarks/bench_forecast_models.py            # all; writes docs/benchmarks.md
    .venv/bin/python benchmarks/bench_forecast_models.py --no-1m    # accuracy only (a minute)
    .venv/bin/python benchmarks/bench_forecast_models.py --only-1m  # fit times only
    .venv/bin/python benchmarks/bench_forecast_models.py --tiny     # seconds, no docs

Accuracy: each model is fitted on the calibration period and predicts every customer's purchase
days in the holdout (conditional expectation), as `kundenwert forecast evaluate` does; shown are
the mean absolute error per customer (MAE), the aggregate error (predicted total / actual total
- 1), the model's fit time on the distinct triples and, for the MBG/CNBD-k, the k it chose. Fits
that do not converge are still evaluated (allow_unconverged) and marked. Also shown: which model
``model = "auto"`` picks from the calibration data alone (its own 26-week holdout before the
calibration end). Time unit: weeks everywhere.

* demo — the `kundenwert demo` generator, 20,000 customers, 3 years to 2026-06-30, seed 42;
  calibration to 2025-09-30, holdout 39 weeks. The generator draws Erlang-2 gaps in each
  customer's operational time; MBG/CNBD-k at k = 2 (forced) is shown beside the chosen k.
* Online Retail II — /work/shared/data (or tests/data), lines with a customer, amount =
  Quantity x Price (days totalling <= 0 are no purchase); calibration to 2011-06-30, holdout
  162 days to 2011-12-09, as in bench_online_retail.py.
* CDNOW — the master file (23,570 customers), calibration to 1997-09-30, holdout 39 weeks,
  zero-dollar days counted (as the literature does).

Fit time at 1,000,000 customers: the demo company's 1M-customer invoices
(bench-data/demo-1m-parquet/invoices.parquet, written by `benchmarks/bench_demo.py 1000000
bench-data/demo-1m-parquet --format parquet`), as of 2026-06-30: the model fits alone on the
distinct triples (MBG/CNBD-k with the regularity statistics, the sample of about 100,000
customers it searches k on, the search, and the chosen k fitted on all customers), best of
three, and `fit_forecast` end to end (summary query, for the MBG/CNBD-k with the gaps query,
purchase and spend model), once each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pyarrow as pa
from report import machine, write_section  # benchmarks/report.py, shared by all

from kundenwert.forecast import BetaGeoModel, ForecastSettings, MBGCNBDModel
from kundenwert.forecast.choice import choose_model
from kundenwert.forecast.config import Duration
from kundenwert.forecast.distinct import triples
from kundenwert.forecast.fitting import fit_forecast, fit_purchases
from kundenwert.forecast.gaps import with_gaps
from kundenwert.forecast.mbgcnbd import regularity_of, search_sample
from kundenwert.forecast.summary import calibration_holdout, summary

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data")
BENCH_DATA = Path(os.environ.get("KUNDENWERT_BENCH_DATA", ROOT / "bench-data"))
DEMO_1M = BENCH_DATA / "demo-1m-parquet" / "invoices.parquet"
UNIT = "week"
MODELS = ("bgnbd", "pnbd", "mbgcnbd")
LABELS = {
    "bgnbd": "BG/NBD",
    "pnbd": "Pareto/NBD",
    "mbgcnbd": "MBG/CNBD-k",
    "mbgcnbd_k2": "MBG/CNBD-2 (k forced)",
}


def _data_file(*parts: str) -> Path:
    """A file of /work/shared/data, or its copy under tests/data."""
    shared = SHARED.joinpath(*parts)
    return shared if shared.exists() else ROOT.joinpath("tests", "data", *parts)


# --- data ---------------------------------------------------------------------------------


def demo_invoices(customers: int = 20_000) -> ibis.Table:
    from kundenwert.demo import generate

    lines = generate(customers, 3, 42).tables["invoices"]
    return ibis.memtable(lines.select(["customer_id", "date", "amount"]))


def online_retail_invoices() -> ibis.Table:
    path = _data_file("online_retail_ii", "online_retail_II_combined_dedup.parquet")
    table = duckdb.sql(
        'SELECT CAST(CAST("Customer ID" AS BIGINT) AS VARCHAR) AS customer_id, '
        "CAST(InvoiceDate AS DATE) AS date, CAST(Quantity * Price AS DECIMAL(18, 4)) AS amount "
        f"FROM read_parquet('{path}') WHERE \"Customer ID\" IS NOT NULL"
    ).to_arrow_table()
    return ibis.memtable(table)


def cdnow_invoices() -> ibis.Table:
    """CDNOW_master.txt: a header line, then customer id, date, CDs, dollars (spaces)."""
    import pyarrow.compute as pc

    path = _data_file("cdnow", "CDNOW_master.txt")
    rows = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
    ids, days, _, amounts = zip(*rows, strict=True)
    dates = pc.strptime(pa.array(days), format="%Y%m%d", unit="s").cast(pa.date32())
    amount = pa.array([float(a) for a in amounts])
    return ibis.memtable(pa.table({"customer_id": ids, "date": dates, "amount": amount}))


DATASETS = {
    "demo": (demo_invoices, date(2025, 9, 30), 273, False),
    "Online Retail II": (online_retail_invoices, date(2011, 6, 30), 162, False),
    "CDNOW": (cdnow_invoices, date(1997, 9, 30), 273, True),
}


# --- accuracy -----------------------------------------------------------------------------


def holdout_row(table: pa.Table, holdout_days: int, name: str, k: int | None = None) -> dict:
    """Fit ``name`` on the calibration summary ``table`` and compare with its holdout."""
    data = triples(table)
    started = time.perf_counter()
    if k is not None:
        model = MBGCNBDModel(k=k, allow_unconverged=True).fit(data, regularity_of(table))
    else:
        regularity = regularity_of(table) if name == "mbgcnbd" else None
        model = fit_purchases(data, name, allow_unconverged=True, regularity=regularity)
    seconds = time.perf_counter() - started
    x, tx, T = (table[c].to_numpy().astype(np.float64) for c in ("frequency", "recency", "T"))
    actual = table["holdout_frequency"].to_numpy().astype(np.float64)
    predicted = model.expected_purchases(holdout_days / 7.0, x, tx, T)
    return {
        "model": model.name,
        "k": model.params_.get("k"),
        "converged": bool(model.converged_),
        "mae": float(np.abs(predicted - actual).mean()),
        "total_actual": float(actual.sum()),
        "total_predicted": float(predicted.sum()),
        "aggregate_error": float(predicted.sum() / actual.sum() - 1.0),
        "fit_seconds": seconds,
        "params": dict(model.params_),
    }


def accuracy(name: str) -> dict:
    load, calibration_end, holdout_days, zero_value = DATASETS[name]
    invoices = load()
    expr = calibration_holdout(
        invoices, calibration_end, Duration(holdout_days), UNIT, zero_value=zero_value
    )
    table = with_gaps(expr, invoices, calibration_end, UNIT, zero_value=zero_value).to_pyarrow()
    rows = {model: holdout_row(table, holdout_days, model) for model in MODELS}
    if name == "demo":
        rows["mbgcnbd_k2"] = holdout_row(table, holdout_days, "mbgcnbd", k=2)
    settings = ForecastSettings(zero_value_purchases=zero_value, unit=UNIT)
    auto = choose_model(invoices, calibration_end, settings, UNIT)
    reg = regularity_of(table)
    chosen = rows["mbgcnbd_k2"] if name == "demo" else rows["mbgcnbd"]
    return {
        "customers": table.num_rows,
        "calibration_end": calibration_end.isoformat(),
        "holdout_days": holdout_days,
        "wheat_morrison_k": reg.wheat_morrison_k,
        "rows": rows,
        "auto": {"chosen": auto["chosen"], "mae": auto["mae"]},
        "ceiling": ceiling(table, holdout_days, chosen["params"]),
    }


# --- ceiling ------------------------------------------------------------------------------


def ceiling(table: pa.Table, holdout_days: int, params: dict, seeds=(1, 2, 3)) -> dict:
    """What a purchase model that knows the regular reorders can gain over BG/NBD at all on
    data like these: customers drawn from the fitted MBG/CNBD-k itself (same k and parameters,
    the same calibration lengths), forecast with the TRUE parameters (the oracle) and with a
    BG/NBD fitted to the simulation. The oracle's MAE / BG/NBD's is the best ratio any model
    can reach where the data are exactly MBG/CNBD-k; real data are messier, so it is a bound
    for what regularity alone buys, not a promise."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "forecast"))
    from forecast_simulate import simulate_mbgcnbd  # the test suite's BTYDplus-style simulator

    k = int(params["k"])
    truth = MBGCNBDModel(k=k)
    truth.params_ = {name: float(params[name]) for name in ("k", "r", "alpha", "a", "b")}
    truth.converged_ = True
    calibration = table["T"].to_numpy().astype(np.float64)
    weeks = holdout_days / 7.0
    ratios = []
    for seed in seeds:
        sim = simulate_mbgcnbd(
            len(calibration), k, *(truth.params_[n] for n in ("r", "alpha", "a", "b")),
            seed=seed, calibration=calibration, holdout=weeks,
        )  # fmt: skip
        x, tx, T = sim["frequency"], sim["recency"], sim["T"]
        actual = sim["holdout_frequency"]
        bg = BetaGeoModel(allow_unconverged=True).fit(triples(sim))
        mae_bg = np.abs(bg.expected_purchases(weeks, x, tx, T) - actual).mean()
        mae_oracle = np.abs(truth.expected_purchases(weeks, x, tx, T) - actual).mean()
        ratios.append(float(mae_oracle / mae_bg))
    return {"k": k, "ratio": float(np.mean(ratios)), "ratios": ratios}


# --- fit time at 1M customers -------------------------------------------------------------


def timing_1m(path: Path, as_of: date = date(2026, 6, 30), repeats: int = 3) -> dict:
    invoices = ibis.duckdb.connect().read_parquet(path).select("customer_id", "date", "amount")
    started = time.perf_counter()
    base = summary(invoices, as_of, UNIT)
    plain = base.to_pyarrow()
    summary_seconds = time.perf_counter() - started
    started = time.perf_counter()
    table = with_gaps(base, invoices, as_of, UNIT).to_pyarrow()
    with_gaps_seconds = time.perf_counter() - started
    data = triples(plain)

    def bgnbd() -> object:
        return BetaGeoModel().fit(data)

    def mbgcnbd() -> object:  # as fitting.fit_purchase_summary does it
        return MBGCNBDModel().fit(data, regularity_of(table), search_sample(table))

    fits = {}
    for label, fn in (("bgnbd", bgnbd), ("mbgcnbd", mbgcnbd)):
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            model = fn()
            times.append(time.perf_counter() - started)
        fits[label] = {
            "best_seconds": min(times),
            "median_seconds": statistics.median(times),
            "converged": bool(model.converged_),
            "params": {k: float(v) for k, v in model.params_.items()},
            "k_log_likelihoods": getattr(model, "k_log_likelihoods_", None),
            "k_search_customers": getattr(model, "k_search_customers_", None),
            "iterations": model.n_iter_,
        }
    end_to_end = {}
    for label in ("bgnbd", "mbgcnbd"):
        started = time.perf_counter()
        fit = fit_forecast(invoices, as_of, ForecastSettings(model=label, unit=UNIT))
        end_to_end[label] = {
            "seconds": time.perf_counter() - started,
            "model": fit.purchases.name,
            "k": fit.purchases.params_.get("k"),
        }
    return {
        "customers": plain.num_rows,
        "distinct_triples": len(data["count"]),
        "summary_seconds": summary_seconds,
        "summary_with_gaps_seconds": with_gaps_seconds,
        "fits": {
            k: {**v, "k_log_likelihoods": _keys_str(v["k_log_likelihoods"])}
            for k, v in fits.items()
        },
        "end_to_end": end_to_end,
    }


def _keys_str(d: dict | None) -> dict | None:
    return None if d is None else {str(k): v for k, v in d.items()}


# --- report -------------------------------------------------------------------------------


def accuracy_table(results: dict) -> str:
    lines = [
        "| data | customers | model | k | MAE per customer | MAE / BG/NBD | predicted / actual "
        "total | fit (s) |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        base = r["rows"]["bgnbd"]["mae"]
        for key, row in r["rows"].items():
            label = LABELS[key]
            if row["model"] != key.split("_")[0]:
                label += f" → {row['model']}"
            if not row["converged"]:
                label += " (not converged)"
            k = "" if row["k"] is None else str(row["k"])
            lines.append(
                f"| {name} | {r['customers']:,} | {label} | {k} | {row['mae']:.4f} | "
                f"{row['mae'] / base:.3f} | {row['total_predicted']:,.0f} / "
                f"{row['total_actual']:,.0f} ({row['aggregate_error']:+.1%}) | "
                f"{row['fit_seconds']:.2f} |"
            )
    return "\n".join(lines)


def auto_lines(results: dict) -> str:
    out = []
    for name, r in results.items():
        scores = ", ".join(
            f"{LABELS[m]} {'—' if v is None else f'{v:.4f}'}" for m, v in r["auto"]["mae"].items()
        )
        wm = r["wheat_morrison_k"]
        out.append(
            f"- {name}: Wheat-Morrison k = {wm:.2f}; `auto` picks "
            f"{LABELS[r['auto']['chosen']]} (MAE on the 26 weeks before the calibration end: "
            f"{scores})."
        )
    out.append("- —: that model's fit did not converge, so it could not predict.")
    out.append("")
    out.append(ceiling_lines(results))
    return "\n".join(out)


def ceiling_lines(results: dict) -> str:
    """Our MBG/CNBD-k against BG/NBD beside the ceiling: what regularity can buy at all."""
    out = [
        "Ceiling (`ceiling()`: customers drawn from the fitted MBG/CNBD-k itself, same "
        "calibration lengths, three seeds; the true parameters' MAE / a fitted BG/NBD's):",
        "",
        "| data | k | MBG/CNBD-k MAE / BG/NBD (reached) | ceiling | share of the possible "
        "gain reached |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        key = "mbgcnbd_k2" if name == "demo" else "mbgcnbd"
        reached = r["rows"][key]["mae"] / r["rows"]["bgnbd"]["mae"]
        c = r["ceiling"]
        possible = 1.0 - c["ratio"]
        share = "–" if possible <= 0.005 else f"{(1.0 - reached) / possible:.0%}"
        out.append(f"| {name} | {c['k']} | {reached:.3f} | {c['ratio']:.3f} | {share} |")
    return "\n".join(out)


def timing_text(t: dict) -> str:
    b, m = t["fits"]["bgnbd"], t["fits"]["mbgcnbd"]
    e = t["end_to_end"]
    profile = ", ".join(f"k={k}: {v:,.0f}" for k, v in (m["k_log_likelihoods"] or {}).items())
    return (
        f"{t['customers']:,} customers ({t['distinct_triples']:,} distinct triples), as of "
        "2026-06-30, weeks.\n\n"
        "| step | BG/NBD | MBG/CNBD-k | ratio |\n|---|---:|---:|---:|\n"
        f"| model fit on the triples (best of 3; MBG/CNBD-k incl. regularity, sample, k search) | "
        f"{b['best_seconds']:.2f} s | {m['best_seconds']:.2f} s | "
        f"{m['best_seconds'] / b['best_seconds']:.2f} |\n"
        f"| the same, median of 3 | {b['median_seconds']:.2f} s | {m['median_seconds']:.2f} s | "
        f"{m['median_seconds'] / b['median_seconds']:.2f} |\n"
        f"| summary query (BG/NBD) / summary with gaps (MBG/CNBD-k) | "
        f"{t['summary_seconds']:.2f} s | {t['summary_with_gaps_seconds']:.2f} s | "
        f"{t['summary_with_gaps_seconds'] / t['summary_seconds']:.2f} |\n"
        f"| `fit_forecast` end to end (once) | {e['bgnbd']['seconds']:.2f} s | "
        f"{e['mbgcnbd']['seconds']:.2f} s | "
        f"{e['mbgcnbd']['seconds'] / e['bgnbd']['seconds']:.2f} |\n\n"
        f"MBG/CNBD-k chose k = {int(m['params']['k'])} (profile log-likelihood on the "
        f"{m['k_search_customers']:,} customers of the search sample: {profile}); "
        f"converged: BG/NBD {b['converged']}, MBG/CNBD-k {m['converged']}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-1m", action="store_true", help="skip the 1M-customer fit times")
    parser.add_argument("--only-1m", action="store_true", help="only the 1M-customer fit times")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the docs")
    parser.add_argument(
        "--tiny", action="store_true", help="accuracy on 1,000 demo customers only; no docs"
    )
    args = parser.parse_args()
    if args.tiny:
        _, calibration_end, holdout_days, zero_value = DATASETS["demo"]
        DATASETS.clear()
        DATASETS["demo"] = (lambda: demo_invoices(1_000), calibration_end, holdout_days, zero_value)
        args.no_1m = args.no_write = True
    out: dict = {}
    if not args.only_1m:
        out["accuracy"] = {}
        for name in DATASETS:
            started = time.perf_counter()
            out["accuracy"][name] = accuracy(name)
            print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)
        print(accuracy_table(out["accuracy"]))
        print(auto_lines(out["accuracy"]))
    if not args.no_1m:
        if not DEMO_1M.exists():
            raise SystemExit(
                f"{DEMO_1M} fehlt: python benchmarks/bench_demo.py 1000000 "
                f"{DEMO_1M.parent} --format parquet"
            )
        out["timing_1m"] = timing_1m(DEMO_1M)
        print(timing_text(out["timing_1m"]))
    print(json.dumps(out, indent=1, default=str))
    if args.no_write:
        return
    body = f"Machine: {machine()}. Command: `python benchmarks/bench_forecast_models.py`.\n\n"
    if "accuracy" in out:
        body += "### Holdout accuracy\n\n" + accuracy_table(out["accuracy"]) + "\n\n"
        body += auto_lines(out["accuracy"]) + "\n\n"
    if "timing_1m" in out:
        body += "### Fit time at 1,000,000 customers\n\n" + timing_text(out["timing_1m"]) + "\n"
    write_section("Forecast models: BG/NBD, Pareto/NBD, MBG/CNBD-k", body)


if __name__ == "__main__":
    main()
