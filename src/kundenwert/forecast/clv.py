"""Customer lifetime value over a horizon: expected purchases x expected spend x margin, discounted.

The horizon is cut into monthly steps (at least one); the purchases expected in each step are
valued at the customer's expected spend and the margin and discounted to today with the yearly
rate at the step's end. Monthly steps are the usual discrete approximation (Fader, Hardie & Lee
2005, "RFM and CLV"); the error against continuous discounting is below half a month's interest.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from kundenwert.forecast.config import UNIT_DAYS

DAYS_PER_YEAR = 365.25
DAYS_PER_STEP = DAYS_PER_YEAR / 12


def customer_lifetime_value(
    purchase_model: Any,
    expected_spend: np.ndarray,
    frequency: Any,
    recency: Any,
    T: Any,
    *,
    horizon_days: int,
    unit: str,
    margin: float,
    discount_rate: float,
) -> np.ndarray:
    """Discounted margin of the purchases expected within ``horizon_days`` (per customer)."""
    steps = max(1, math.ceil(horizon_days / DAYS_PER_STEP))
    ends_days = np.linspace(0.0, horizon_days, steps + 1)
    value = np.zeros(np.shape(np.asarray(frequency)))
    previous = np.zeros_like(value)
    for end_days in ends_days[1:]:
        cumulative = purchase_model.expected_purchases(
            end_days / UNIT_DAYS[unit], frequency, recency, T
        )
        discount = (1.0 + discount_rate) ** (-end_days / DAYS_PER_YEAR)
        value += (cumulative - previous) * discount
        previous = cumulative
    return margin * np.asarray(expected_spend, dtype=np.float64) * value
