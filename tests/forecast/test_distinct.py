"""Distinct rows with counts in a value-fixed order, and fits that do not depend on row order."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
import pytest
from forecast_simulate import simulate_bgnbd, simulate_spend
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenwert.forecast import ForecastSettings
from kundenwert.forecast import distinct as distinct_module
from kundenwert.forecast.base import unique_inverse
from kundenwert.forecast.distinct import distinct_rows
from kundenwert.forecast.fitting import fit_summary

small_floats = st.sampled_from([0.0, -0.0, 1.0, 2.5, 7.0, 1e-300, 3e12])
rows = st.lists(st.tuples(small_floats, small_floats, small_floats), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_distinct_rows_counts_every_row_once_in_an_order_fixed_by_the_values(data, rnd):
    columns = [np.array(c) for c in zip(*data, strict=True)]
    unique, counts = distinct_rows(*columns)
    found = list(zip(*(u.tolist() for u in unique), strict=True))
    assert len(set(found)) == len(found)  # each distinct row once
    got = Counter(dict(zip(found, counts.tolist(), strict=True)))
    assert got == Counter(tuple(v + 0.0 for v in row) for row in data)

    shuffled = data[:]
    rnd.shuffle(shuffled)
    again, again_counts = distinct_rows(*(np.array(c) for c in zip(*shuffled, strict=True)))
    assert [u.tolist() for u in again] == [u.tolist() for u in unique]
    assert again_counts.tolist() == counts.tolist()


def test_colliding_hashes_fall_back_to_sorting_on_all_columns(monkeypatch):
    monkeypatch.setattr(
        distinct_module, "_row_hash", lambda values: np.zeros(len(values[0]), np.uint64)
    )
    x = np.array([2.0, 1.0, 2.0, 1.0, 3.0])
    t = np.array([5.0, 4.0, 5.0, 6.0, 0.0])
    (ux, ut), counts = distinct_rows(x, t)
    assert list(zip(ux.tolist(), ut.tolist(), counts.tolist(), strict=True)) == [
        (1.0, 4.0, 1),
        (1.0, 6.0, 1),
        (2.0, 5.0, 2),
        (3.0, 0.0, 1),
    ]


def test_the_fit_is_the_same_to_the_last_digit_whatever_the_order_of_the_customers():
    h = simulate_bgnbd(30_000, 0.5, 6.0, 0.8, 2.5, seed=3)
    # Times in whole weeks, so that many customers share a triple.
    recency, T = np.round(h["recency"]), np.round(h["T"])
    monetary = simulate_spend(h["frequency"], 6.0, 4.0, 15.0, seed=4)
    summary = pa.table(
        {"frequency": h["frequency"], "recency": recency, "T": T, "monetary_value": monetary}
    )
    shuffled = summary.take(np.random.default_rng(5).permutation(summary.num_rows))
    cfg = ForecastSettings()
    fits = [fit_summary(s, cfg, "bgnbd") for s in (summary, shuffled)]
    (bg1, gg1), (bg2, gg2) = fits
    assert bg1.converged_ and gg1.converged_
    assert bg1.params_ == bg2.params_  # bitwise equal, not approximately
    assert gg1.params_ == gg2.params_
    assert bg1.log_likelihood_ == bg2.log_likelihood_
    assert bg1.n_distinct_ < summary.num_rows / 2


def test_slices_run_under_the_callers_numpy_error_state():
    from kundenwert.forecast.base import map_parts

    def overflow(_i):
        return float(np.exp(np.array([1000.0]))[0])

    with np.errstate(over="ignore"):
        assert map_parts(overflow) == [np.inf, np.inf]
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        map_parts(overflow)


@pytest.mark.parametrize(
    "values",
    [
        [3.0, 0.0, 3.0, 7.0, 1.0, 0.0],  # whole numbers: the table of values present
        [3.0, 0.5, 3.0, 1.0 / 7.0],  # weeks: np.unique itself
        [-1.0, 2.0, -1.0],
        [float(2**21), 1.0],  # beyond the table
        [],
    ],
)
def test_unique_inverse_is_np_unique(values):
    array = np.array(values, dtype=np.float64)
    unique, inverse = unique_inverse(array)
    expected_unique, expected_inverse = np.unique(array, return_inverse=True)
    assert unique.dtype == np.float64
    np.testing.assert_array_equal(unique, expected_unique)
    np.testing.assert_array_equal(inverse, expected_inverse)


def test_block_sums_add_every_block_and_keep_the_start_for_an_empty_slice():
    from kundenwert.forecast.base import sum_blocks

    def terms(block):
        return float(block.sum()), block * 2

    parts = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    total, doubled = sum_blocks(terms, parts, (0.0, np.zeros(2)))
    assert total == 10.0
    np.testing.assert_array_equal(doubled, [8.0, 12.0])
    start = (0.0, np.zeros(2))
    empty = sum_blocks(terms, [], start)
    assert empty[0] == 0.0 and not empty[1].any()
    assert not start[1].any()  # the start is not written into
