"""Invoice lines and the installed base they create."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo import catalogues as cat
from kundenwert.demo.arrays import (
    cents,
    dates,
    events,
    group_positions,
    money,
    numbered,
    renewal_events,
    row_choice,
    strings,
)
from kundenwert.demo.calendar import Calendar
from kundenwert.demo.customers import CustomerFacts
from kundenwert.demo.model import make_table
from kundenwert.demo.profiles import KLETTE, Profiles
from kundenwert.schema import INVOICE_CATEGORIES

#: About 20 lines per customer over three years (the 1M customers / 20M lines benchmark).
LINES_PER_CUSTOMER_MONTH = 20 / 36
MACHINES_PER_CUSTOMER_YEAR = 0.04
#: Gamma shape of the gaps between a customer's orders: 2 (Erlang-2) is the classic finding
#: for repeat buying (Chatfield & Goodhardt 1973); orders come more regularly than at random.
REORDER_REGULARITY = 2.0
SERVICE_UNIT = cat.BUSINESS_UNITS.index("Service & Teile")
MACHINE, SERVICE, PARTS, CONSUMABLES, OTHER = range(5)
assert INVOICE_CATEGORIES[CONSUMABLES] == "consumables"

# Invoice kind (by its first line): share of service / parts / consumables per home unit.
_KIND_MIX = np.array([[0.36, 0.30, 0.34], [0.40, 0.25, 0.35], [0.45, 0.42, 0.13]])
_EXTRA_LINES = np.array([2.0, 0.9, 1.4, 1.0])  # mean further lines per invoice by kind
# Category of further lines, per invoice kind (machine, service, parts, consumables, other).
_FURTHER = np.array(
    [
        [0.0, 0.45, 0.2, 0.1, 0.25],
        [0.0, 0.6, 0.25, 0.0, 0.15],
        [0.0, 0.0, 0.8, 0.0, 0.2],
        [0.0, 0.0, 0.0, 0.85, 0.15],
    ]
)
_MODEL_UNIT = np.array([cat.BUSINESS_UNITS.index(m[0]) for m in cat.MACHINES])
_PRODUCTS = [m[1] for m in cat.MACHINES] + [
    code for c in INVOICE_CATEGORIES[1:] for code, _ in cat.CATEGORY_PRODUCTS[c]
]
_PRICES = np.array(
    [m[3] for m in cat.MACHINES]
    + [p for c in INVOICE_CATEGORIES[1:] for _, p in cat.CATEGORY_PRODUCTS[c]]
)
_COUNTS = np.array(
    [len(cat.MACHINES)] + [len(cat.CATEGORY_PRODUCTS[c]) for c in INVOICE_CATEGORIES[1:]]
)
_OFFSETS = np.r_[0, np.cumsum(_COUNTS)[:-1]]
_MARGINS = np.array([cat.CATEGORY_MARGINS[c] for c in INVOICE_CATEGORIES])


@dataclass
class Counters:
    """Running numbers across blocks, so that IDs stay unique in chunked generation."""

    invoice: int = 0
    machine: int = 0
    activity: int = 0
    contact: int = 0


@dataclass
class Sales:
    """Per-customer sums of the generated invoice lines (for ground truth and care cost)."""

    lines: np.ndarray
    revenue: np.ndarray  # cents
    margin_ii: np.ndarray  # cents: amount - cost - deductions
    first_day: np.ndarray  # -1 without invoices
    last_day: np.ndarray
    machines: np.ndarray  # installed machines (before and inside the window)


def build_invoices(
    rng: np.random.Generator,
    prof: Profiles,
    facts: CustomerFacts,
    cal: Calendar,
    counters: Counters,
) -> tuple[pa.Table, pa.Table, Sales]:
    n = prof.n
    cust, month, kind, day, credit = _invoice_heads(rng, prof, facts, cal)
    number = counters.invoice + 1 + np.arange(len(cust))
    counters.invoice += len(cust)
    # Expand invoices to lines.
    n_lines = 1 + rng.poisson(_EXTRA_LINES[kind])
    inv = np.repeat(np.arange(len(cust)), n_lines)
    line_no = group_positions(inv)
    category = np.where(line_no == 1, kind[inv], row_choice(rng, _FURTHER, kind[inv]))
    product = _products(rng, category, facts.business_unit[cust[inv]])
    amount = _amounts(rng, product, category, prof, cust[inv], month[inv], credit[inv])
    cost = cents(amount * (1 - _MARGINS[category]) * rng.lognormal(0, 0.12, len(amount)))
    amount = cents(amount)
    rebate = _rebates(rng, facts)
    deductions = np.rint(amount * rebate[cust[inv]]).astype(np.int64)
    line_unit = _line_units(category, product, facts.business_unit[cust[inv]])
    prefix = strings(("RE", "GS"), credit[inv].astype(np.int32))
    table = make_table(
        "invoices",
        {
            "invoice_id": numbered(prefix, number[inv], 9),
            "line_no": pa.array(line_no, pa.int32()),
            "customer_id": pc.take(facts.ids, pa.array(cust[inv])),
            "date": dates(day[inv]),
            "amount": money(amount),
            "cost": money(cost),
            "deductions": money(deductions),
            "category": strings(INVOICE_CATEGORIES, category),
            "product": strings(_PRODUCTS, product),
            "business_unit": strings(cat.BUSINESS_UNITS, line_unit),
            # Credit notes are marked by their number prefix (GS) and this flag; which invoice
            # they cancel is left to the importer's linking, as in most real exports.
            "credit_note": pa.array(credit[inv]),
            "credit_for": pa.nulls(len(inv), pa.string()),
        },
    )
    machine_rows = category == MACHINE
    base, machines = _installed_base(
        rng, prof, facts, cal, counters, cust[inv][machine_rows], day[inv][machine_rows],
        product[machine_rows], amount[machine_rows],
    )  # fmt: skip
    sales = _sales(n, cust[inv], day[inv], amount, cost, deductions, machines)
    return table, base, sales


def _invoice_heads(
    rng: np.random.Generator, prof: Profiles, facts: CustomerFacts, cal: Calendar
) -> tuple[np.ndarray, ...]:
    """Invoices (customer, month, kind, day, is credit note), sorted by day then customer.

    The rate is scaled so that the expected number of lines meets LINES_PER_CUSTOMER_MONTH.
    """
    n, months = prof.shape.shape
    kind_lines = 1.0 + (_KIND_MIX[facts.business_unit] * _EXTRA_LINES[1:]).sum(axis=1)
    weight = prof.size[:, None] * prof.frequency_shape()
    target = LINES_PER_CUSTOMER_MONTH * n * months
    k = target / max(float((weight * kind_lines[:, None]).sum()), 1e-9)
    cust, month, within = renewal_events(rng, weight * k, REORDER_REGULARITY)
    reorders = len(cust)
    kind = 1 + row_choice(rng, _KIND_MIX, facts.business_unit[cust])
    m_cust, m_month = _machine_events(rng, prof, facts, months)
    cust = np.r_[cust, m_cust]
    month = np.r_[month, m_month]
    kind = np.r_[kind, np.zeros(len(m_cust), dtype=np.int32)]
    day = cal.random_workday(rng, month)  # machines: any working day of their month
    # Reorders on the day their rhythm gives (the random days above are drawn for all events
    # still, so that every later draw of the generator stays as it was).
    day[:reorders] = cal.workday_at(month[:reorders], within)
    credit = (kind > MACHINE) & (rng.random(len(kind)) < 0.012)
    order = np.lexsort((cust, day))
    return tuple(a[order] for a in (cust, month, kind, day, credit))


def _line_units(category: np.ndarray, product: np.ndarray, home: np.ndarray) -> np.ndarray:
    """Machines are booked by their unit, service and parts by Service & Teile, the rest by
    the customer's home unit."""
    machine_unit = _MODEL_UNIT[np.minimum(product, len(cat.MACHINES) - 1)]
    after_sales = (category == SERVICE) | (category == PARTS)
    return np.where(category == MACHINE, machine_unit, np.where(after_sales, SERVICE_UNIT, home))


def _machine_events(
    rng: np.random.Generator, prof: Profiles, facts: CustomerFacts, months: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rare machine sales, more likely for large customers and in strong months."""
    per_month = MACHINES_PER_CUSTOMER_YEAR / 12 * prof.size**0.7 / np.mean(prof.size**0.7)
    per_month = (
        np.where((prof.trajectory == KLETTE) | (facts.business_unit == SERVICE_UNIT), 0.1, 1.0)
        * per_month
    )
    return events(rng, per_month[:, None] * prof.frequency_shape())


def _products(rng: np.random.Generator, category: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Index into _PRODUCTS; machines come from the customer's home business unit."""
    local = (rng.random(len(category)) * _COUNTS[category]).astype(np.int64)
    product = _OFFSETS[category] + local
    wm = int((_MODEL_UNIT == 0).sum())
    is_machine = category == MACHINE
    u = rng.random(len(category))
    model = np.where(unit == 1, wm + (u * (len(cat.MACHINES) - wm)), u * wm).astype(np.int64)
    return np.where(is_machine, model, product)


def _amounts(
    rng: np.random.Generator,
    product: np.ndarray,
    category: np.ndarray,
    prof: Profiles,
    cust: np.ndarray,
    month: np.ndarray,
    credit: np.ndarray,
) -> np.ndarray:
    n = len(product)
    list_price = _PRICES[product]
    machine = list_price * rng.uniform(0.86, 1.0, n) * (1 + rng.uniform(0.0, 0.2, n))
    # The value curve's share in the order value; large customers buy a bit more per line.
    level = prof.size_level(cust, month) * prof.size[cust] ** 0.1
    other = np.maximum(list_price * rng.lognormal(-0.25, 0.75, n) * level, 5.0)
    amount = np.where(category == MACHINE, machine, other)
    return np.where(credit, -0.6 * amount, amount)


def _rebates(rng: np.random.Generator, facts: CustomerFacts) -> np.ndarray:
    """Customer-specific rebate rates: more likely for large customers."""
    n = len(facts.size_rank)
    has = rng.random(n) < 0.08 + 0.45 * facts.size_rank
    return np.where(has, np.round(rng.uniform(0.02, 0.08, n), 3), 0.0)


def _installed_base(
    rng: np.random.Generator,
    prof: Profiles,
    facts: CustomerFacts,
    cal: Calendar,
    counters: Counters,
    cust: np.ndarray,
    day: np.ndarray,
    model: np.ndarray,
    value: np.ndarray,
) -> tuple[pa.Table, np.ndarray]:
    """Machines sold in the window plus older ones delivered before it."""
    n = prof.n
    tenure_years = (cal.window_start - facts.since) / 365.25
    old = np.where(prof.start < 0, 0.25 * prof.size**0.5 * np.minimum(tenure_years, 20) / 10, 0)
    old = old + np.where(prof.trajectory == KLETTE, 1.2, 0.0)  # old machines need care
    old_cust = np.repeat(np.arange(n), rng.poisson(old))
    lo = np.maximum(facts.since[old_cust], cal.window_start - 25 * 365)
    old_day = lo + (rng.random(len(old_cust)) * (cal.window_start - lo)).astype(np.int64)
    unit = facts.business_unit[old_cust]
    wm = int((_MODEL_UNIT == 0).sum())
    u = rng.random(len(old_cust))
    old_model = np.where(unit == 1, wm + u * (len(cat.MACHINES) - wm), u * wm).astype(np.int64)
    age = (cal.window_start - old_day) / 365.25
    old_value = cents(_PRICES[old_model] * rng.uniform(0.85, 1.0, len(old_cust)) * 0.98**age)
    installed = np.minimum(day + rng.integers(0, 22, len(day)), cal.end_day)
    all_cust = np.r_[old_cust, cust]
    all_day = np.r_[old_day, installed]
    all_model = np.r_[old_model, model]
    all_value = np.r_[old_value, value]
    order = np.lexsort((all_cust, all_day))
    all_cust, all_day = all_cust[order], all_day[order]
    all_model, all_value = all_model[order], all_value[order]
    number = counters.machine + 1 + np.arange(len(all_cust))
    counters.machine += len(all_cust)
    codes = strings([m[1] + "-" for m in cat.MACHINES], all_model)
    table = make_table(
        "installed_base",
        {
            "customer_id": pc.take(facts.ids, pa.array(all_cust)),
            "machine_id": numbered(codes, number, 7),
            "model": strings([m[2] for m in cat.MACHINES], all_model),
            "value": money(all_value),
            "installed_on": dates(all_day),
        },
    )
    return table, np.bincount(all_cust, minlength=n)


def _sales(
    n: int,
    cust: np.ndarray,
    day: np.ndarray,
    amount: np.ndarray,
    cost: np.ndarray,
    deductions: np.ndarray,
    machines: np.ndarray,
) -> Sales:
    lines = np.bincount(cust, minlength=n)
    revenue = np.bincount(cust, weights=amount, minlength=n)
    margin = np.bincount(cust, weights=amount - cost - deductions, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, -1, dtype=np.int64)
    np.minimum.at(first, cust, day)
    np.maximum.at(last, cust, day)
    first[lines == 0] = -1
    return Sales(lines, np.rint(revenue).astype(np.int64), np.rint(margin).astype(np.int64),
                 first, last, machines)  # fmt: skip
