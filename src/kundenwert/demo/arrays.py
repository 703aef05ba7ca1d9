"""Vectorised helpers that turn numpy arrays into typed Arrow arrays (no per-row Python)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Money columns: DECIMAL(18,4) as in the database, values rounded to cents.
MONEY = pa.decimal128(18, 4)
EPOCH = np.datetime64("1970-01-01", "D")


def money(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A decimal128(18,4) array from integer cents, built straight from the 128-bit buffer."""
    units = np.ascontiguousarray(cents, dtype=np.int64) * 100
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0] = units
    words[:, 1] = units >> 63  # sign extension to 128 bits (two's complement, little endian)
    arr = pa.Array.from_buffers(MONEY, len(units), [None, pa.py_buffer(words)])
    return _with_nulls(arr, mask)


def cents(amount: np.ndarray) -> np.ndarray:
    """Euro amounts rounded to integer cents."""
    return np.rint(np.asarray(amount, dtype=np.float64) * 100.0).astype(np.int64)


def strings(values: Sequence[str], index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """``values[index]`` as an Arrow string array (a take from a small dictionary)."""
    arr = pc.take(pa.array(list(values), pa.string()), pa.array(index.astype(np.int32)))
    return _with_nulls(arr, mask)


def numbered(prefix: str | pa.Array, numbers: np.ndarray, width: int) -> pa.Array:
    """IDs like ``RE000001234``: a prefix (scalar or per row) and a zero-padded number."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers.astype(np.int64)), pa.string()), width, "0")
    if isinstance(prefix, str):
        return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")
    return pc.binary_join_element_wise(prefix, digits, "")


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """date32 from days since 1970-01-01."""
    return _with_nulls(pa.array(days.astype(np.int32), pa.date32()), mask)


def timestamps(minutes: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Microsecond timestamps from minutes since 1970-01-01 00:00."""
    arr = pa.array(minutes.astype(np.int64) * 60_000_000, pa.timestamp("us"))
    return _with_nulls(arr, mask)


def day_number(d: np.datetime64) -> int:
    return int((d.astype("datetime64[D]") - EPOCH).astype(np.int64))


def _with_nulls(arr: pa.Array, mask: np.ndarray | None) -> pa.Array:
    """Set the rows where ``mask`` is true to null."""
    if mask is None or not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.nulls(len(arr), arr.type), arr)


def choice(rng: np.random.Generator, probs: Sequence[float], size: int) -> np.ndarray:
    """Indices drawn with the given probabilities (vectorised inverse CDF)."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    return np.searchsorted(cum / cum[-1], rng.random(size), side="right").astype(np.int32)


def row_choice(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One index per event, drawn from the probability row ``probs[rows[i]]``."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(rows))
    return (u[:, None] > cum[rows]).sum(axis=1).astype(np.int32)


def events(rng: np.random.Generator, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson event counts per (customer, month) cell, expanded to one row per event.

    Returns the customer row and month of each event, ordered by customer then month.
    """
    counts = rng.poisson(lam).ravel()
    cells = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    months = lam.shape[1]
    return (cells // months).astype(np.int64), (cells % months).astype(np.int32)


def renewal_events(
    rng: np.random.Generator, lam: np.ndarray, regularity: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like :func:`events`, but the gaps between a customer's events are Gamma distributed
    with shape ``regularity`` in the customer's own operational time (the cumulative expected
    count): 1 is Poisson, 2 the Erlang-2 gaps of repeat buying (regular reorders: a month
    after an order the next one is less likely than at random). The expected count per cell
    is still ``lam``.

    Returned: customer, month, and where in its month each event falls (0 to 1, the share of
    the month's operational time passed), so that the event's day keeps the rhythm: drawing
    the day at random within the month would make the gaps in days near Poisson again.
    """
    n, months = lam.shape
    cum = np.cumsum(lam, axis=1)  # operational time at the end of each month
    total = cum[:, -1]
    # Gaps enough to pass each customer's total with near certainty (4 standard deviations).
    cap = np.ceil(total + 4 * np.sqrt(total) + 4).astype(np.int64)
    first = np.r_[0, np.cumsum(cap)[:-1]]
    owner = np.repeat(np.arange(n), cap)
    gaps = rng.gamma(regularity, 1 / regularity, owner.size)
    # The first event: the rest of a gap already running (length-biased gap x uniform).
    gaps[first] = rng.random(n) * rng.gamma(regularity + 1, 1 / regularity, n)
    times = np.cumsum(gaps)
    times -= np.repeat(times[first] - gaps[first], cap)
    keep = times < total[owner]
    owner, times = owner[keep], times[keep]
    # Month of each event: one search in all customers' month ends, each row shifted past
    # the one before.
    shift = float(total.max(initial=0.0)) + 1.0
    flat = (cum + (np.arange(n) * shift)[:, None]).ravel()
    cell = np.searchsorted(flat, times + owner * shift, side="right")
    month = np.minimum(cell - owner * months, months - 1)
    end = cum[owner, month]
    start = end - lam[owner, month]
    with np.errstate(divide="ignore", invalid="ignore"):
        within = np.clip(np.nan_to_num((times - start) / (end - start)), 0.0, 1.0 - 1e-9)
    return owner.astype(np.int64), month.astype(np.int32), within


def group_positions(group: np.ndarray) -> np.ndarray:
    """1, 2, 3, ... within runs of equal consecutive values of ``group``."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    starts = np.r_[True, group[1:] != group[:-1]]
    idx = np.arange(n)
    first = np.maximum.accumulate(np.where(starts, idx, 0))
    return (idx - first + 1).astype(np.int32)
