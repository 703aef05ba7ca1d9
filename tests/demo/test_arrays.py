"""The vectorised helpers behind the generator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kundenwert.demo.arrays import group_positions, money, numbered
from kundenwert.demo.calendar import Calendar

CENTS = st.integers(min_value=-(10**13), max_value=10**13)


@given(st.lists(CENTS, max_size=50))
def test_money_holds_exact_cents(values: list[int]) -> None:
    arr = money(np.array(values, dtype=np.int64))
    assert arr.to_pylist() == [Decimal(v) / 100 for v in values]


@given(st.lists(st.integers(0, 4), max_size=60))
def test_group_positions_count_within_runs(groups: list[int]) -> None:
    expected, previous, position = [], None, 0
    for g in groups:
        position = position + 1 if g == previous else 1
        previous = g
        expected.append(position)
    assert group_positions(np.array(groups)).tolist() == expected


def test_numbered_pads_with_zeros() -> None:
    assert numbered("RE", np.array([1, 123]), 5).to_pylist() == ["RE00001", "RE00123"]


@given(st.integers(0, 2**32 - 1), st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_workdays_stay_in_their_month_and_skip_weekends(seed: int, end: date) -> None:
    cal = Calendar.ending(end, years=1)
    assert cal.months == 12
    rng = np.random.default_rng(seed)
    month = rng.integers(0, 12, 200)
    day = cal.random_workday(rng, month)
    # Only a last month cut short by the end date (fewer than 7 days) may lack a weekday.
    full = (month < 11) | (end.day >= 7)
    assert ((day[full] + 3) % 7 < 5).all()
    assert (day[full] >= cal.month_starts[month[full]]).all()
    assert (day < cal.month_starts[month] + cal.month_lengths[month]).all()
    assert day.max() <= cal.end_day


def test_renewal_events_keep_the_expected_counts_and_come_regularly() -> None:
    import numpy as np

    from kundenwert.demo.arrays import renewal_events

    rng = np.random.default_rng(1)
    lam = np.full((20_000, 36), 0.5)
    lam[:, :10] = 0.0  # not yet a customer: no events
    dispersion = {}
    for regularity in (1.0, 2.0):
        cust, month, within = renewal_events(rng, lam, regularity)
        assert ((within >= 0) & (within < 1)).all()
        counts = np.zeros(lam.shape)
        np.add.at(counts, (cust, month), 1)
        assert counts[:, :10].sum() == 0
        assert abs(counts[:, 10:].mean() - 0.5) < 0.01
        quarters = counts[:, 12:].reshape(len(lam), 8, 3).sum(axis=2)
        dispersion[regularity] = quarters.var(axis=1, ddof=1).mean() / quarters.mean()
    assert 0.95 < dispersion[1.0] < 1.05  # Poisson
    assert dispersion[2.0] < 0.7  # Erlang-2 gaps: more regular


def test_reorder_days_keep_the_rhythm_of_erlang_2_gaps() -> None:
    """The day within the month follows the customer's operational time, so the gaps in days
    are as regular as drawn: coefficient of variation about 1/sqrt(2) for Erlang-2, where a
    random day in the month would push it towards 1 (random buying)."""
    from datetime import date

    import numpy as np

    from kundenwert.demo.arrays import renewal_events
    from kundenwert.demo.calendar import Calendar

    cal = Calendar.ending(date(2026, 6, 30), 3)
    rng = np.random.default_rng(3)
    lam = np.full((4000, cal.months), 2.0)  # about every two weeks
    cust, month, within = renewal_events(rng, lam, 2.0)
    day = cal.workday_at(month, within)
    assert (((day + 3) % 7) < 5).all()  # never on a weekend
    assert (day >= cal.month_starts[month]).all()
    assert (day < cal.month_starts[month] + cal.month_lengths[month]).all()
    order = np.lexsort((day, cust))
    cust, day = cust[order], day[order]
    same = cust[1:] == cust[:-1]
    gaps = np.diff(day)[same].astype(float)
    owner = cust[1:][same]
    mean = np.bincount(owner, gaps) / np.maximum(np.bincount(owner), 1)
    sq = np.bincount(owner, gaps**2) / np.maximum(np.bincount(owner), 1)
    enough = np.bincount(owner) >= 10
    cv = np.sqrt(np.maximum(sq - mean**2, 0))[enough] / mean[enough]
    assert 0.62 < np.median(cv) < 0.76
    shuffled = cal.random_workday(rng, month[order])  # the day drawn at random instead
    gaps_random = np.diff(np.sort(shuffled + cust * 10_000))[same].astype(float)
    m2 = np.bincount(owner, gaps_random) / np.maximum(np.bincount(owner), 1)
    s2 = np.bincount(owner, gaps_random**2) / np.maximum(np.bincount(owner), 1)
    cv_random = np.sqrt(np.maximum(s2 - m2**2, 0))[enough] / m2[enough]
    assert np.median(cv_random) > np.median(cv) + 0.1
