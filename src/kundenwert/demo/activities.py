"""Care and service activities: visits, calls, tickets, service and goodwill, with costs."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo import catalogues as cat
from kundenwert.demo.arrays import cents, dates, events, money, numbered, row_choice, strings
from kundenwert.demo.arrays import timestamps as ts
from kundenwert.demo.calendar import Calendar
from kundenwert.demo.customers import ACCOUNT_MANAGERS, CustomerFacts
from kundenwert.demo.invoices import Counters, Sales
from kundenwert.demo.model import make_table
from kundenwert.demo.profiles import KLETTE, Profiles
from kundenwert.schema import ACTIVITY_KINDS

#: About 5 activities per customer over three years (the 1M customers benchmark).
ACTIVITIES_PER_CUSTOMER_MONTH = 5 / 36
KLETTE_MIN_PER_YEAR = 8  # Klette customers "make work" all the time
CARE_CAP = 0.2  # ordinary customers: expected care cost at most this share of margin II
VISIT, CALL, TICKET, SERVICE, GOODWILL, EVENT, NEWSLETTER, OTHER = range(8)
assert ACTIVITY_KINDS[NEWSLETTER] == "newsletter"

# Per kind: share for ordinary customers, share for Klette customers, median hours, spread
# of hours, internal hourly rate, fixed cost (travel, material, print) from .. to.
_MIX = np.array(
    [
        [0.14, 0.22, 0.18, 0.16, 0.03, 0.05, 0.17, 0.05],
        [0.12, 0.20, 0.25, 0.18, 0.15, 0.03, 0.02, 0.05],
    ]
)
_HOURS = np.array([3.0, 0.3, 1.2, 6.0, 5.0, 5.0, 0.0, 1.0])
_SPREAD = np.array([0.5, 0.6, 0.7, 0.5, 0.6, 0.3, 0.0, 0.6])
_RATE = np.array([95.0, 65.0, 75.0, 110.0, 110.0, 60.0, 0.0, 70.0])
_FIXED = np.array(
    [[40, 350], [0, 0], [0, 0], [60, 300], [0, 1500], [150, 600], [0.8, 4.5], [0, 0]], dtype=float
)
_MEAN_COST = _HOURS * np.exp(_SPREAD**2 / 2) * _RATE + _FIXED.mean(axis=1)
# Median response delay in minutes for the kinds the customer asks for; others have none.
_DELAY = np.array([0, 25, 180, 2160, 4320, 0, 0, 0], dtype=float)
_PEOPLE = (*ACCOUNT_MANAGERS, *cat.SUPPORT_STAFF, *cat.SERVICE_TECHNICIANS, "Marketing")
_SUPPORT0 = len(ACCOUNT_MANAGERS)
_TECH0 = _SUPPORT0 + len(cat.SUPPORT_STAFF)
_TEXTS = [t for k in ACTIVITY_KINDS for t in cat.ACTIVITY_TEXTS[k]]
_TEXT_COUNT = np.array([len(cat.ACTIVITY_TEXTS[k]) for k in ACTIVITY_KINDS])
_TEXT0 = np.r_[0, np.cumsum(_TEXT_COUNT)[:-1]]
_DAY_MINUTES = 1440


def build_activities(
    rng: np.random.Generator,
    prof: Profiles,
    facts: CustomerFacts,
    cal: Calendar,
    counters: Counters,
    sales: Sales,
) -> tuple[pa.Table, np.ndarray]:
    """The activity log and the care cost per customer (cents)."""
    lam = _rates(rng, prof, sales)
    cust, month = events(rng, lam)
    day = cal.random_workday(rng, month)
    klette = prof.trajectory[cust] == KLETTE
    kind = row_choice(rng, _MIX, klette.astype(np.int32))
    hours, cost = _effort(rng, kind)
    free = (kind == GOODWILL) | (
        (kind == SERVICE) & (rng.random(len(kind)) < np.where(klette, 0.5, 0.15))
    )
    requested, responded, day = _response(rng, kind, day, facts.size_rank[cust], cal.end_day)
    order = np.lexsort((cust, day))
    cust, day, kind, hours, cost, free = (a[order] for a in (cust, day, kind, hours, cost, free))
    requested, responded = requested[order], responded[order]
    number = counters.activity + 1 + np.arange(len(cust))
    counters.activity += len(cust)
    not_asked = requested < 0
    table = make_table(
        "activities",
        {
            "activity_id": numbered("AK", number, 9),
            "customer_id": pc.take(facts.ids, pa.array(cust)),
            "date": dates(day),
            "kind": strings(ACTIVITY_KINDS, kind),
            "hours": pa.array(hours, pa.float64()),
            "cost": money(cost),
            "free_of_charge": pa.array(free),
            "requested_at": ts(requested, not_asked),
            "responded_at": ts(responded, not_asked),
            "performed_by": strings(_PEOPLE, _performer(rng, kind, facts.manager[cust])),
            "description": strings(_TEXTS, _text(rng, kind)),
            "contact_id": pa.nulls(len(cust), pa.string()),  # see demo.contacts
            "initiated_by": pa.nulls(len(cust), pa.string()),  # see demo.commitments
        },
    )
    return table, np.bincount(cust, weights=cost, minlength=prof.n).astype(np.int64)


def _rates(rng: np.random.Generator, prof: Profiles, sales: Sales) -> np.ndarray:
    """Expected activities per customer and month.

    Klette customers get so much care that it eats their margin (0.8 to 1.5 times margin II:
    margin III minimal or negative); everyone else shares the remaining volume by size, buying
    intensity and machines, each at most ``CARE_CAP`` of his margin II in expectation (else he
    would be a Klette customer too, and the ground truth would be wrong).
    """
    n, months = prof.shape.shape
    active = prof.shape > 0
    n_active = np.maximum(active.sum(axis=1), 1)
    klette = prof.trajectory == KLETTE
    floor = 150_00 * months / 12  # every Klette customer costs at least this much care
    target = rng.uniform(0.8, 1.5, n) * np.maximum(sales.margin_ii, floor) / 100
    count = np.maximum(target / float(_MIX[1] @ _MEAN_COST), KLETTE_MIN_PER_YEAR * months / 12)
    klette_count = np.where(klette, count, 0.0)
    klette_lam = klette_count[:, None] * active / n_active[:, None]
    per_customer = prof.size**0.4 + 0.3 * sales.machines  # machines need service
    weight = per_customer[:, None] * (0.3 + 0.7 * np.minimum(prof.shape, 3))
    weight = np.where(active & ~klette[:, None], weight, 0.0)
    total = ACTIVITIES_PER_CUSTOMER_MONTH * n * months
    rest = max(total - klette_count.sum(), 0.3 * n * months / 12)
    # Most activities each ordinary customer may get, then fill up to the volume: a few rounds
    # of scaling and capping (water filling) meet it closely.
    cap = CARE_CAP * np.maximum(sales.margin_ii, 0) / 100 / float(_MIX[0] @ _MEAN_COST)
    per_row = weight.sum(axis=1)
    count = np.zeros(n)
    capped = np.zeros(n, dtype=bool)
    for _ in range(8):
        left = rest - count[capped].sum()
        scale = left / max(float(per_row[~capped].sum()), 1e-9)
        wanted = per_row * scale
        count = np.where(capped, count, np.minimum(wanted, cap))
        newly = ~capped & (wanted > cap)
        if not newly.any():
            break
        capped |= newly
    share = np.where(per_row > 0, count / np.maximum(per_row, 1e-12), 0.0)
    return klette_lam + weight * share[:, None]


def _effort(rng: np.random.Generator, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(kind)
    hours = _HOURS[kind] * rng.lognormal(0.0, 1.0, n) ** _SPREAD[kind]
    hours = np.where(kind == NEWSLETTER, 0.0, np.maximum(np.round(hours * 4) / 4, 0.25))
    lo, hi = _FIXED[kind, 0], _FIXED[kind, 1]
    cost = hours * _RATE[kind] + lo + rng.random(n) * (hi - lo)
    return hours, cents(cost)


def _response(
    rng: np.random.Generator, kind: np.ndarray, day: np.ndarray, rank: np.ndarray, end_day: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Request and response minutes (-1 when the customer did not ask) and the shifted day."""
    n = len(kind)
    asks = (_DELAY[kind] > 0) & ((kind != CALL) | (rng.random(n) < 0.5))
    requested = day * _DAY_MINUTES + rng.integers(7 * 60, 17 * 60, n)
    # Large customers are served faster (they usually have a better service level).
    delay = _DELAY[kind] * rng.lognormal(0.0, 0.9, n) * (1.3 - 0.6 * rank)
    responded = requested + np.rint(delay).astype(np.int64)
    # Technicians arrive during working hours on the day the delay points to.
    on_site = (kind == SERVICE) | (kind == GOODWILL)
    arrival = (responded // _DAY_MINUTES) * _DAY_MINUTES + rng.integers(7 * 60, 16 * 60, n)
    responded = np.where(on_site, np.maximum(arrival, requested + 60), responded)
    responded = _working_time(rng, responded)
    # Keep the history inside the window: move late responses back to the end date.
    late = np.maximum(responded // _DAY_MINUTES - end_day, 0)
    late = np.where(asks, late, 0)
    requested -= late * _DAY_MINUTES
    responded -= late * _DAY_MINUTES
    day = day - late
    return np.where(asks, requested, -1), np.where(asks, responded, -1), day


def _working_time(rng: np.random.Generator, minutes: np.ndarray) -> np.ndarray:
    """Move times outside 7:00 to 18:00 or on weekends to the next working morning."""
    day, minute = np.divmod(minutes, _DAY_MINUTES)
    day = np.where(minute >= 18 * 60, day + 1, day)
    off = (minute >= 18 * 60) | (minute < 7 * 60)
    weekday = (day + 3) % 7  # Monday is 0
    weekend = weekday >= 5
    day = np.where(weekend, day + 7 - weekday, day)
    morning = day * _DAY_MINUTES + 7 * 60 + rng.integers(0, 90, len(minutes))
    return np.where(off | weekend, np.maximum(morning, minutes), minutes)


def _text(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """A description phrase that fits the kind of activity."""
    return _TEXT0[kind] + (rng.random(len(kind)) * _TEXT_COUNT[kind]).astype(np.int64)


def _performer(rng: np.random.Generator, kind: np.ndarray, manager: np.ndarray) -> np.ndarray:
    n = len(kind)
    u = rng.random(n)
    support = _SUPPORT0 + (u * len(cat.SUPPORT_STAFF)).astype(np.int64)
    tech = _TECH0 + (u * len(cat.SERVICE_TECHNICIANS)).astype(np.int64)
    marketing = len(_PEOPLE) - 1
    who = np.where(np.isin(kind, (TICKET,)), support, manager)
    who = np.where((kind == CALL) & (rng.random(n) < 0.3), support, who)
    who = np.where((kind == SERVICE) | (kind == GOODWILL), tech, who)
    return np.where((kind == EVENT) | (kind == NEWSLETTER), marketing, who)
