"""The distinct rows the models are fitted on, with counts, in an order fixed by their values.

The purchase models' likelihood depends on a customer only through (frequency, recency, T),
and Gamma-Gamma only through (frequency, monetary value): fitting on the distinct rows,
weighted by their counts, is exact and several times cheaper. The order of the distinct rows
must not depend on the order of the customers, or the floating-point sums of the likelihood
(and so the fitted parameters, in the last digits) would change from run to run.

Hand-written rather than ``np.unique(axis=0)`` or a SQL ``GROUP BY ... ORDER BY``: both sort on
all columns (a lexicographic sort of floats), which for a million customers took 0.2-0.3 s per
call; one sort on a 64-bit hash of each row takes a fifth of that, and which canonical order
the rows come in does not matter, only that it is always the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kundenwert.forecast.base import column

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def triples(customers: Any) -> dict[str, np.ndarray]:
    """Distinct (frequency, recency, T) of a summary with the number of customers sharing each.

    ``customers`` is the per-customer summary (:func:`kundenwert.forecast.summary.summary`,
    fetched as an Arrow table, a data frame or a mapping of arrays).
    """
    names = ("frequency", "recency", "T")
    unique, counts = distinct_rows(*(column(customers, c) for c in names))
    return {**dict(zip(names, unique, strict=True)), "count": counts}


def spend_pairs(customers: Any) -> dict[str, np.ndarray]:
    """Distinct (frequency, monetary_value) of the repeat buyers with counts, for Gamma-Gamma."""
    x, m = column(customers, "frequency"), column(customers, "monetary_value")
    repeat = x > 0
    (px, pm), counts = distinct_rows(x[repeat], m[repeat])
    return {"frequency": px, "monetary_value": pm, "count": counts}


def distinct_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``columns`` (equal-length float arrays) and how often each occurs.

    Rows come ordered by a hash of their values; should two different rows share a hash
    (about one chance in 10^7 for a million rows), they are sorted on all columns instead.
    """
    values = [np.asarray(c, dtype=np.float64) + 0.0 for c in columns]  # + 0.0: -0.0 is 0.0
    n = len(values[0]) if values else 0
    if n == 0:
        return [v[:0] for v in values], np.zeros(0, dtype=np.int64)
    hashes = _row_hash(values)
    order = np.argsort(hashes)
    hashes = hashes[order]
    ordered = [v[order] for v in values]
    differs = _differs_from_previous(ordered)
    # Equal rows have equal hashes, so they sit together; rows of one hash that differ are a
    # collision, and then the hash order would not be fixed by the values alone.
    if np.any(differs & (hashes[1:] == hashes[:-1])):
        ordered = [v[np.lexsort(values[::-1])] for v in values]
        differs = _differs_from_previous(ordered)
    starts = np.flatnonzero(np.concatenate([[True], differs]))
    counts = np.diff(np.append(starts, n))
    return [v[starts] for v in ordered], counts


def _differs_from_previous(ordered: list[np.ndarray]) -> np.ndarray:
    """For rows 1..n-1: whether the row differs from the one before it."""
    differs = np.zeros(len(ordered[0]) - 1, dtype=bool)
    for v in ordered:
        differs |= v[1:] != v[:-1]
    return differs


def _row_hash(values: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each row's bit patterns (splitmix64's finaliser, column by column)."""
    h = np.zeros(len(values[0]), dtype=np.uint64)
    with np.errstate(over="ignore"):  # unsigned arithmetic wraps modulo 2**64, as intended
        for v in values:
            h ^= v.view(np.uint64) + _GOLDEN + (h << np.uint64(6)) + (h >> np.uint64(2))
            h ^= h >> np.uint64(30)
            h *= _MIX_1
            h ^= h >> np.uint64(27)
            h *= _MIX_2
            h ^= h >> np.uint64(31)
    return h
