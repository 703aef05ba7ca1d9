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
        cust, month = renewal_events(rng, lam, regularity)
        counts = np.zeros(lam.shape)
        np.add.at(counts, (cust, month), 1)
        assert counts[:, :10].sum() == 0
        assert abs(counts[:, 10:].mean() - 0.5) < 0.01
        quarters = counts[:, 12:].reshape(len(lam), 8, 3).sum(axis=2)
        dispersion[regularity] = quarters.var(axis=1, ddof=1).mean() / quarters.mean()
    assert 0.95 < dispersion[1.0] < 1.05  # Poisson
    assert dispersion[2.0] < 0.7  # Erlang-2 gaps: more regular
