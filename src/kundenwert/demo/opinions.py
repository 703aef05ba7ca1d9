"""Qualitative ratings by account managers and the customers' survey answers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo import catalogues as cat
from kundenwert.demo.arrays import dates, strings
from kundenwert.demo.calendar import Calendar
from kundenwert.demo.customers import ACCOUNT_MANAGERS, CustomerFacts
from kundenwert.demo.invoices import Sales
from kundenwert.demo.model import make_table
from kundenwert.demo.profiles import BELL, GROWTH, KLETTE, SHRINKING, Profiles

INDICATORS = (
    "reference_value",
    "relationship_quality",
    "strategic_importance",
    "new_business_potential",
    "service_potential",
    "competitive_intensity",
)


def _yearly_events(
    rng: np.random.Generator,
    prof: Profiles,
    cal: Calendar,
    share: np.ndarray,
    first_month: int,
    span: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Once a year (in months ``first_month``..+span of the year), for a share of the
    customers that buy in that month: rows (customer, month, day)."""
    calendar_month = (np.arange(cal.months) + _month_of_year(cal)) % 12
    slot = (calendar_month >= first_month) & (calendar_month < first_month + span)
    # One month per year and customer: the first month of the slot in each year.
    slot_start = slot & ~np.r_[False, slot[:-1]]
    months = np.flatnonzero(slot_start)
    picked = (rng.random((prof.n, len(months))) < share[:, None]) & (prof.shape[:, months] > 0)
    cust, which = np.nonzero(picked)
    month = months[which]
    spread = np.minimum(month + rng.integers(0, span, len(month)), cal.months - 1)
    return cust, spread, cal.random_workday(rng, spread)


def _month_of_year(cal: Calendar) -> int:
    first = np.datetime64(int(cal.month_starts[0]), "D").astype("datetime64[M]")
    return int(first.astype(np.int64) % 12)


def build_ratings(
    rng: np.random.Generator, prof: Profiles, facts: CustomerFacts, cal: Calendar, sales: Sales
) -> pa.Table:
    """All six indicators at the yearly review (January to March) for rated customers."""
    rated = 0.05 + 0.35 * facts.size_rank
    cust, month, day = _yearly_events(rng, prof, cal, rated * 0.8, 0, 3)
    m = len(cust)
    traj = prof.trajectory[cust]
    rank = facts.size_rank[cust]
    # Where the customer's curve is heading at the time of the rating (-1 .. +1).
    before = prof.shape[cust, np.maximum(month - 6, 0)]
    trend = np.clip((prof.shape[cust, month] - before) / np.maximum(before, 0.3), -1, 1)
    machines = np.minimum(sales.machines[cust], 5)
    noise = rng.normal(0, 1.2, (6, m))
    values = np.stack(
        [
            2.5 + 5.0 * rank + noise[0],
            6.5 + 1.0 * (traj == KLETTE) - 1.5 * (traj == SHRINKING) + 1.5 * trend + noise[1],
            2.0 + 6.0 * rank + noise[2],
            4.5
            + 2.5 * (traj == GROWTH)
            - 2.5 * (traj == SHRINKING)
            + 2.0 * trend
            - 2.0 * (traj == KLETTE)
            + 1.0 * ((traj == BELL) & (trend > 0))
            + noise[3],
            2.5 + 1.2 * machines + noise[4],
            5.0 + 2.0 * (traj == SHRINKING) - 1.0 * trend + 1.5 * noise[5],
        ]
    )
    values = np.clip(np.rint(values), 0, 10)
    rows = len(INDICATORS) * m
    indicator = np.tile(np.arange(len(INDICATORS)), m)
    per_review = np.repeat(np.arange(m), len(INDICATORS))
    comment = rng.random(rows) < 0.08
    return make_table(
        "ratings",
        {
            "customer_id": pc.take(facts.ids, pa.array(cust[per_review])),
            "indicator": strings(INDICATORS, indicator),
            "value": pa.array(values.T.ravel(), pa.float64()),
            "date": dates(day[per_review]),
            "rated_by": strings(ACCOUNT_MANAGERS, facts.manager[cust[per_review]]),
            "comment": _phrases(rng, cat.RATING_COMMENTS, rows, ~comment),
        },
    )


def build_surveys(
    rng: np.random.Generator, prof: Profiles, facts: CustomerFacts, cal: Calendar
) -> pa.Table:
    """The yearly satisfaction survey (October, November): a few percent answer."""
    answer = 0.03 + 0.08 * facts.size_rank
    cust, month, day = _yearly_events(rng, prof, cal, answer, 9, 2)
    m = len(cust)
    traj = prof.trajectory[cust]
    before = prof.shape[cust, np.maximum(month - 6, 0)]
    trend = np.clip((prof.shape[cust, month] - before) / np.maximum(before, 0.3), -1, 1)
    satisfaction = (
        7.4
        + 0.5 * (traj == KLETTE)
        - 1.2 * (traj == SHRINKING)
        + 1.2 * trend
        + rng.normal(0, 1.3, m)
    )
    recommend = satisfaction - 0.3 + rng.normal(0, 1.2, m)
    return make_table(
        "surveys",
        {
            "customer_id": pc.take(facts.ids, pa.array(cust)),
            "date": dates(day),
            "satisfaction": pa.array(np.clip(np.rint(satisfaction), 0, 10), pa.float64()),
            "recommend": pa.array(np.clip(np.rint(recommend), 0, 10), pa.float64()),
            "why_chosen": _phrases(rng, cat.SURVEY_WHY_CHOSEN, m, rng.random(m) > 0.6),
            "early_hesitation": _phrases(rng, cat.SURVEY_HESITATION, m, rng.random(m) > 0.4),
            "would_miss": _phrases(rng, cat.SURVEY_WOULD_MISS, m, rng.random(m) > 0.5),
            "would_recommend_to": _phrases(rng, cat.SURVEY_RECOMMEND_TO, m, rng.random(m) > 0.4),
            "comment": _phrases(rng, cat.SURVEY_COMMENTS, m, rng.random(m) > 0.25),
        },
    )


def _phrases(
    rng: np.random.Generator, phrases: tuple[str, ...], n: int, missing: np.ndarray
) -> pa.Array:
    return strings(phrases, rng.integers(0, len(phrases), n), missing)
