"""A second, independent company generator for the customer dynamics (issue 13).

Written apart from ``kundenwert.demo`` and sharing none of its code, curves or noise, so that
the trajectory classifier cannot pass by knowing one generator. What differs on purpose:

* value changes through order size, through order frequency, or both, drawn per customer
  (the demo's first generator changed frequency only);
* other curve families: logistic growth and decline (not exponential), a gamma-shaped bell,
  a sine cycle of 12 or 24 months in size or in frequency, steady with an AR(1) wobble;
* other noise: orders per month negative-binomial (lumpier than Poisson), order sizes
  log-normal with a spread drawn per customer, a few credit notes;
* Klette customers: loyal, frequent, small orders, heavy free service: margin III at or
  below zero;
* ``months`` of history (48 by default) ending on ``AS_OF``.

``value_world(n_per_type, seed)`` returns the input tables (customers, invoices, activities)
for ``load_tables`` and the ground truth (type, whether the value declines at the end, the
curve's own parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

AS_OF = date(2026, 6, 30)
TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")


@dataclass
class World:
    tables: dict[str, pa.Table]
    truth: pa.Table  # customer_id, trajectory, declining, channel


def _curve(rng: np.random.Generator, kind: str, months: int) -> tuple[np.ndarray, bool]:
    """Relative value per month (mean about 1) and whether it declines at the end."""
    t = (np.arange(months) + 0.5) / months
    if kind == "steady":
        wobble = np.zeros(months)
        for i in range(1, months):  # AR(1): slow drifts that are no trend
            wobble[i] = 0.7 * wobble[i - 1] + rng.normal(0, 0.05)
        return np.exp(wobble), False
    if kind == "cyclical":
        period = rng.choice([12, 24])
        amp = rng.uniform(0.55, 0.85)
        phase = rng.uniform(0, 2 * np.pi)
        return 1 + amp * np.sin(2 * np.pi * np.arange(months) / period + phase), False
    if kind in ("growth", "shrinking"):
        factor = rng.uniform(2.5, 5.0)
        mid, width = rng.uniform(0.3, 0.7), rng.uniform(0.06, 0.16)
        rise = 1 / (1 + np.exp(-(t - mid) / width))
        curve = 1 + (factor - 1) * rise
        return (curve if kind == "growth" else factor / curve), kind == "shrinking"
    if kind == "bell":
        peak, k = rng.uniform(0.3, 0.65), rng.uniform(3.0, 6.0)
        x = t / peak
        curve = 0.03 + 2.5 * (x**k) * np.exp(k * (1 - x))
        return curve, True  # the peak lies inside the history: declining at the end
    if kind == "klette":
        return np.ones(months), False
    raise ValueError(kind)


def value_world(n_per_type: int = 100, seed: int = 1, months: int = 48) -> World:
    rng = np.random.default_rng(seed)
    first_month = _add_months(date(AS_OF.year, AS_OF.month, 1), 1 - months)
    kinds = np.repeat(np.array(TYPES), n_per_type)
    rng.shuffle(kinds)
    customers, invoices, activities, truth = [], [], [], []
    for i, kind in enumerate(kinds):
        cid = f"V{i:05d}"
        curve, declining = _curve(rng, kind, months)
        # How the value changes: 0 = frequency only, 1 = size only, in between both.
        channel = float(rng.choice([0.0, 0.5, 1.0, 1.0]))
        orders = rng.uniform(1.0, 6.0)
        size = rng.lognormal(np.log(1500), 0.9)
        spread = rng.uniform(0.3, 0.7)
        margin = rng.uniform(0.18, 0.4)
        care_rate, care_cost = rng.uniform(0.1, 0.5), rng.uniform(80, 250)
        if kind == "klette":
            orders, size, channel = rng.uniform(3.0, 6.0), rng.lognormal(np.log(250), 0.3), 1.0
            margin = rng.uniform(0.12, 0.2)
            care_rate, care_cost = rng.uniform(2.0, 4.0), rng.uniform(150, 300)
        rate = orders * curve ** (1 - channel)
        mean_size = size * curve**channel
        customers.append(
            {
                "customer_id": cid,
                "name": f"Firma {i}",
                "account_manager": ["Berg", "Kaya", "Roth"][i % 3],
                "customer_since": first_month - timedelta(days=int(rng.integers(30, 3000))),
            }
        )
        line = 0
        for m in range(months):
            month = _add_months(first_month, m)
            # Negative binomial orders (gamma-mixed Poisson with shape 2): lumpy months.
            count = rng.poisson(rng.gamma(2.0, rate[m] / 2.0))
            for _ in range(count):
                day = month + timedelta(days=int(rng.integers(0, 28)))
                amount = mean_size[m] * rng.lognormal(-(spread**2) / 2, spread)
                credit = rng.random() < 0.02
                value = -0.5 * amount if credit else amount
                line += 1
                invoices.append(
                    {
                        "invoice_id": f"{cid}-{line}",
                        "line_no": 1,
                        "customer_id": cid,
                        "date": day,
                        "amount": round(value, 2),
                        "cost": round(value * (1 - margin), 2),
                        "deductions": 0.0,
                    }
                )
            for k in range(rng.poisson(care_rate)):
                activities.append(
                    {
                        "activity_id": f"{cid}-A{m}-{k}",
                        "customer_id": cid,
                        "date": month + timedelta(days=int(rng.integers(0, 28))),
                        "kind": "service",
                        "cost": round(care_cost * rng.lognormal(0, 0.3), 2),
                        "free_of_charge": kind == "klette",
                    }
                )
        # The true change of value over the last 36 months (first against last half year).
        change = float(np.log(curve[-6:].mean() / curve[-36:-30].mean()))
        truth.append(
            {
                "customer_id": cid,
                "trajectory": kind,
                "declining": declining,
                "channel": channel,
                "change_36m": change,
            }
        )
    money = pa.decimal128(18, 2)
    inv = pa.Table.from_pylist(invoices)
    inv = inv.set_column(4, "amount", inv["amount"].cast(money))
    inv = inv.set_column(5, "cost", inv["cost"].cast(money))
    inv = inv.set_column(6, "deductions", inv["deductions"].cast(money))
    act = pa.Table.from_pylist(activities)
    act = act.set_column(4, "cost", act["cost"].cast(money))
    tables = {
        "customers": pa.Table.from_pylist(customers),
        "invoices": inv,
        "activities": act,
    }
    return World(tables, pa.Table.from_pylist(truth))


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
