"""The customer master: names, places, industries, business units and account managers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo import catalogues as cat
from kundenwert.demo.arrays import choice, dates, numbered, strings
from kundenwert.demo.model import make_table
from kundenwert.demo.profiles import Profiles

#: Account managers: fixed names, each responsible for sales territories (region x unit).
ACCOUNT_MANAGERS: tuple[str, ...] = tuple(
    f"{cat.FIRST_NAMES[i % len(cat.FIRST_NAMES)]} {cat.SURNAMES[(7 * i + 11) % len(cat.SURNAMES)]}"
    for i in range(30)
)
_COUNTRIES = ("DE", "AT", "CH")
_PLACE_COUNTRY = np.array([_COUNTRIES.index(p[0]) for p in cat.PLACES], dtype=np.int32)
# Region of a place: first digit of a German postal code, 10 for Austria, 11 for Switzerland.
_PLACE_REGION = np.array(
    [int(p[1][0]) if p[0] == "DE" else 10 + _COUNTRIES.index(p[0]) - 1 for p in cat.PLACES]
)
_SINCE_EARLIEST = -5_479  # 1955-01-01: no customer relationship is older than this


@dataclass
class CustomerFacts:
    """Per-customer facts the other tables need (row-aligned with the customers table)."""

    ids: pa.Array
    business_unit: np.ndarray  # index into catalogues.BUSINESS_UNITS
    manager: np.ndarray  # index into ACCOUNT_MANAGERS
    since: np.ndarray  # days since epoch
    size_rank: np.ndarray  # 0..1, percentile of size within the block


def customer_ids(first: int, n: int, width: int) -> pa.Array:
    return numbered("K", np.arange(first + 1, first + n + 1), width)


def build_customers(
    rng: np.random.Generator,
    prof: Profiles,
    first: int,
    id_width: int,
    window_start: int,
    month_starts: np.ndarray,
) -> tuple[pa.Table, CustomerFacts]:
    n = prof.n
    ids = customer_ids(first, n, id_width)
    weights = [p[3] for p in cat.PLACES]
    place = choice(rng, weights, n)
    bu = choice(rng, cat.BUSINESS_UNIT_SHARES, n)
    manager = ((_PLACE_REGION[place] * 3 + bu) % len(ACCOUNT_MANAGERS)).astype(np.int32)
    since = _customer_since(rng, prof, window_start, month_starts)
    table = make_table(
        "customers",
        {
            "customer_id": ids,
            "name": _names(rng, place),
            "business_unit": strings(cat.BUSINESS_UNITS, bu),
            "account_manager": strings(ACCOUNT_MANAGERS, manager),
            "industry": strings(cat.INDUSTRIES, choice(rng, cat.INDUSTRY_SHARES, n)),
            "country": strings(_COUNTRIES, _PLACE_COUNTRY[place]),
            "postal_code": strings([p[1] for p in cat.PLACES], place),
            "city": strings([p[2] for p in cat.PLACES], place),
            "customer_since": dates(since),
        },
    )
    rank = np.empty(n)
    rank[np.argsort(prof.size, kind="stable")] = np.arange(n) / max(n - 1, 1)
    return table, CustomerFacts(ids, bu, manager, since, rank)


def _customer_since(
    rng: np.random.Generator, prof: Profiles, window_start: int, month_starts: np.ndarray
) -> np.ndarray:
    """New customers: shortly before their first month; older ones: years before the window."""
    n = prof.n
    before = window_start - rng.exponential(9 * 365.25, n).astype(np.int64) - 1
    klette = prof.trajectory == 5
    before[klette] -= rng.integers(3 * 365, 8 * 365, klette.sum())  # loyal for years
    before = np.maximum(before, _SINCE_EARLIEST)
    inside = prof.start >= 0
    first_month = month_starts[np.clip(prof.start, 0, len(month_starts) - 1)]
    # The relationship (first quote, first contact) starts a little before the first order.
    offset = rng.integers(0, 60, n)
    return np.where(inside, first_month - offset, np.minimum(before, window_start - 1))


def _names(rng: np.random.Generator, place: np.ndarray) -> pa.Array:
    """Company names from three patterns, legal form matching the country."""
    n = len(place)
    surname = strings(cat.SURNAMES, rng.integers(0, len(cat.SURNAMES), n))
    partner = strings(cat.SURNAMES, rng.integers(0, len(cat.SURNAMES), n))
    trade = strings(cat.TRADES, rng.integers(0, len(cat.TRADES), n))
    city = strings([p[2].split(" ")[0] for p in cat.PLACES], place)
    country = _PLACE_COUNTRY[place]
    legal_idx = rng.integers(0, 8, n)
    legal_de = strings(cat.LEGAL_FORMS, legal_idx)
    legal_at = strings(cat.LEGAL_FORMS_AT, legal_idx % 4)
    legal_ch = strings(cat.LEGAL_FORMS_CH, legal_idx % 4)
    legal = pc.if_else(
        pa.array(country == 0), legal_de, pc.if_else(pa.array(country == 1), legal_at, legal_ch)
    )
    pattern = choice(rng, (0.6, 0.2, 0.2), n)
    with_trade = pc.binary_join_element_wise(surname, trade, legal, " ")
    partners = pc.binary_join_element_wise(surname, pa.scalar("&"), partner, legal, " ")
    local = pc.binary_join_element_wise(trade, city, legal, " ")
    return pc.if_else(
        pa.array(pattern == 0), with_trade, pc.if_else(pa.array(pattern == 1), partners, local)
    )
