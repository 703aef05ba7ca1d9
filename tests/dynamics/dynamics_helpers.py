"""Hand-made series matrices: customers x months, without a database."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from kundenwert.dynamics.series import SeriesMatrix

AS_OF = date(2026, 6, 30)


def matrix(
    lines: list[list[float]],
    *,
    activities: list[list[float]] | None = None,
    tenure: list[int] | None = None,
    silent_days: list[int] | None = None,
    margin_share: list[float] | None = None,
) -> SeriesMatrix:
    """Revenue is 1000 per line; margin II 300 per line; margin III = share x margin II."""
    y = np.asarray(lines, dtype=np.float32)
    n, months = y.shape
    act = np.zeros_like(y) if activities is None else np.asarray(activities, dtype=np.float32)
    share = np.ones(n) if margin_share is None else np.asarray(margin_share)
    if silent_days is None:
        bought = y > 0
        last = np.where(bought.any(1), months - 1 - bought[:, ::-1].argmax(1), -1)
        silent_days = np.where(last >= 0, (months - 1 - last) * 30 + 15, -1)
    ids = [f"C{i:03d}" for i in range(n)]
    return SeriesMatrix(
        as_of=AS_OF,
        customer_id=pa.array(ids),
        name=pa.array([f"Kunde {i}" for i in range(n)]),
        account_manager=pa.array(["Anna"] * n),
        tenure_months=np.asarray(tenure if tenure is not None else [120] * n, dtype=np.int32),
        silent_days=np.asarray(silent_days, dtype=np.int64),
        revenue=y.astype(np.float64) * 1000,
        margin_2=y.astype(np.float64).sum(axis=1) * 300,
        margin_3=y.astype(np.float64) * 300 * share[:, None],
        lines=y,
        activities=act,
    )


def shape(kind: str, months: int = 36, level: float = 4.0) -> list[float]:
    """An unmistakable expected-count curve of each type, rounded to whole lines."""
    t = np.arange(months)
    if kind == "steady":
        curve = np.full(months, level)
    elif kind == "growth":
        curve = level * np.exp(np.log(4) * (t / (months - 1) - 0.5))
    elif kind == "shrinking":
        curve = level * np.exp(-np.log(4) * (t / (months - 1) - 0.5))
    elif kind == "cyclical":
        curve = level * 2 * ((1 + np.sin(2 * np.pi * t / 12)) / 2) ** 3 / 0.3125 / 2 + 0.2
    elif kind == "bell":
        peak = 12
        curve = np.where(
            t <= peak, level * 2 * t / peak, np.maximum(level * 2 * (1 - (t - peak) / 20), 0)
        )
    else:
        raise ValueError(kind)
    return list(np.round(curve))


def add_customer(store, cid, since=date(2015, 1, 1), manager="Anna"):
    store.con.execute(
        "INSERT INTO customers (customer_id, name, account_manager, customer_since, batch_id) "
        "VALUES (?, ?, ?, ?, 0)",
        [cid, f"Firma {cid}", manager, since],
    )


def add_invoice(store, cid, day, amount, cost=None, deductions=None):
    n = store.con.execute("SELECT count(*) FROM invoices").fetchone()[0]
    store.con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, deductions, "
        "batch_id) VALUES (?, 1, ?, ?, ?, ?, ?, 0)",
        [f"R{n}", cid, day, amount, cost, deductions],
    )


def add_activity(store, cid, day, cost=None, kind="visit", hours=None, asked=None, answered=None):
    n = store.con.execute("SELECT count(*) FROM activities").fetchone()[0]
    store.con.execute(
        "INSERT INTO activities (activity_id, customer_id, date, kind, hours, cost, "
        "requested_at, responded_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [f"A{n}", cid, day, kind, hours, cost, asked, answered],
    )


def load_tables(store, tables: dict[str, pa.Table]) -> None:
    """Insert Arrow tables into the store's input tables (batch 0)."""
    for name, table in tables.items():
        store.con.register("_kw_src", table)
        cols = ", ".join(table.column_names)
        store.con.execute(f"INSERT INTO {name} ({cols}, batch_id) SELECT {cols}, 0 FROM _kw_src")
        store.con.unregister("_kw_src")


def median_split_settings():
    """Settings whose matrix splits revenue at the median (the rule before the class split):
    the small hand-made companies here need their second and third customers on the high
    side to raise the alerts under test."""
    from kundenwert.review.config import Split
    from kundenwert.settings import Settings

    settings = Settings()
    settings.review.matrix.x = Split(measure="revenue")
    return settings


def three_customers(store) -> None:
    """A small company with two reviews a year apart: K1 (Anna) buys more every month of
    2025, then nothing; K2 (Bernd) bought in 2024 and once in May 2026; K3 (Anna) buys little
    every month of 2025."""
    from kundenwert.review import run_review

    add_customer(store, "K1", manager="Anna")
    add_customer(store, "K2", manager="Bernd")
    add_customer(store, "K3", manager="Anna")
    for m in range(1, 13):
        add_invoice(store, "K1", date(2025, m, 10), 1000 * m, cost=900 * m)
        add_invoice(store, "K2", date(2024, m, 10), 5000)
        add_invoice(store, "K3", date(2025, m, 12), 50)
    add_invoice(store, "K2", date(2026, 5, 10), 100)
    run_review(store, median_split_settings(), date(2025, 6, 30))
    run_review(store, median_split_settings(), date(2026, 6, 30))
