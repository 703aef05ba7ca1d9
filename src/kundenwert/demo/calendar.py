"""The generated history: ``years`` whole months ending with the month of the end date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from kundenwert.demo.arrays import day_number


@dataclass(frozen=True)
class Calendar:
    month_starts: np.ndarray  # int64 days since epoch of the first day of each month
    month_lengths: np.ndarray  # int64 days in each month
    end_day: int  # days since epoch of the end date (inclusive)

    @classmethod
    def ending(cls, end_date: date, years: int) -> Calendar:
        last = np.datetime64(end_date, "M")
        first = last - (12 * years - 1)
        months = np.arange(first, last + 1)
        starts = months.astype("datetime64[D]")
        ends = (months + 1).astype("datetime64[D]")
        epoch = np.datetime64("1970-01-01", "D")
        return cls(
            (starts - epoch).astype(np.int64),
            (ends - starts).astype(np.int64),
            day_number(np.datetime64(end_date, "D")),
        )

    @property
    def months(self) -> int:
        return len(self.month_starts)

    @property
    def window_start(self) -> int:
        return int(self.month_starts[0])

    def random_day(self, rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
        """A uniformly random day within each given month, never after the end date."""
        offset = (rng.random(len(month)) * self.month_lengths[month]).astype(np.int64)
        return np.minimum(self.month_starts[month] + offset, self.end_day)

    def workday_at(self, month: np.ndarray, within: np.ndarray) -> np.ndarray:
        """The day at share ``within`` (0 to 1) of each month, moved off a weekend to the
        nearest weekday of the same month (Saturday to Friday, Sunday to Monday), never after
        the end date: a customer's rhythm of reorders survives the calendar."""
        first = self.month_starts[month]
        last = np.minimum(first + self.month_lengths[month] - 1, self.end_day)
        day = np.minimum(first + (within * self.month_lengths[month]).astype(np.int64), last)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        step = np.where(weekday == 5, -1, np.where(weekday == 6, 1, 0))
        moved = day + step
        # Off the month's edge: the other way, to the Friday or the Monday of the same week end.
        moved = np.where(moved > last, day - 2, moved)
        moved = np.where(moved < first, day + 2, moved)
        return np.clip(moved, first, last)

    def random_workday(self, rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
        """Like :meth:`random_day` but on a weekday: a weekend day becomes a random weekday of
        the same week, or of the week before or after where that leaves the month (so that
        lifecycle boundaries, which are whole months, hold)."""
        day = self.random_day(rng, month)
        first = self.month_starts[month]
        last = np.minimum(first + self.month_lengths[month] - 1, self.end_day)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        moved = day - weekday + rng.integers(0, 5, len(day))
        moved = np.where(moved < first, moved + 7, moved)
        moved = np.where(moved > last, moved - 7, moved)
        return np.where(weekday >= 5, moved, day)
