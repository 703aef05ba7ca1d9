"""Who each customer is over time: trajectory type, lifecycle and a monthly intensity curve.

The curve ``shape[i, t]`` (mean about 1 while active, 0 while not buying) drives how many
invoices, machines and care activities customer ``i`` has in month ``t``; everything else in
the demo company is derived from these profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kundenwert.demo.model import PHASES, TRAJECTORIES

#: Share of each trajectory type (order of ``TRAJECTORIES``).
TRAJECTORY_SHARES = (0.34, 0.14, 0.10, 0.16, 0.16, 0.10)
STEADY, CYCLICAL, BELL, GROWTH, SHRINKING, KLETTE = range(6)
NEW, GROWING, ESTABLISHED, DECLINING, LOST, WON_BACK = range(6)
assert TRAJECTORIES[KLETTE] == "klette" and PHASES[WON_BACK] == "won_back"

NEW_SHARE = 0.18  # steady, cyclical and growth customers that start inside the window
LOST_SHARE = 0.10  # steady, cyclical and growth customers that stop buying
LOST_SHARE_SHRINKING = 0.35
WON_BACK_SHARE = 0.35  # of the lost (non-bell) customers
#: Spread of the log of the customer size. B2B purchases are heavily skewed: at 1.5 the top
#: 20 % of the customers buy 80 % (the Pareto rule), many buy a few lines in three years and
#: the regular customers buy often. The mean stays 1, so the total volume does not change.
SIZE_SIGMA = 1.5
#: How a customer's value curve shows: in the number of orders (0), in their value (1) or
#: both (0.5); drawn with equal chance.
CHANNELS = (0.0, 0.5, 1.0)
KLETTE_ORDER_SCALE = 0.08


@dataclass
class Profiles:
    trajectory: np.ndarray  # int8, index into TRAJECTORIES
    phase: np.ndarray  # int8, index into PHASES: the phase at the end date
    size: np.ndarray  # float64, relative spend (log-normal, mean about 1)
    start: np.ndarray  # int32 month of the first purchase; negative: before the window
    end: np.ndarray  # int32 first month without buying; == months when still buying
    won_back: np.ndarray  # int32 month buying resumes, -1 if never lost or not won back
    shape: np.ndarray  # float32 (n, months) buying intensity, 0 while not buying
    cycle: np.ndarray  # int32 period in months of cyclical customers, 0 for the others
    # float32: how the value curve shows, 0 = in how often the customer orders only, 1 = in
    # how much per order only, 0.5 = both (drawn per customer), so that a classifier of
    # counts alone cannot tell the types.
    channel: np.ndarray
    order_scale: np.ndarray  # float64, factor on every order's value (Klette: small orders)

    @property
    def n(self) -> int:
        return len(self.trajectory)

    def frequency_shape(self) -> np.ndarray:
        """The part of the curve carried by the number of orders (0 while not buying)."""
        active = self.shape > 0
        return np.where(active, np.maximum(self.shape, 1e-3) ** (1 - self.channel[:, None]), 0.0)

    def size_level(self, cust: np.ndarray, month: np.ndarray) -> np.ndarray:
        """The part of the curve carried by the value per order, for the given orders."""
        level = np.maximum(self.shape[cust, month], 0.05) ** self.channel[cust]
        return level * self.order_scale[cust]


def draw_profiles(rng: np.random.Generator, n: int, months: int) -> Profiles:
    """Trajectory, lifecycle and monthly intensity of ``n`` customers over ``months``."""
    traj = rng.choice(len(TRAJECTORIES), size=n, p=TRAJECTORY_SHARES).astype(np.int8)
    size = rng.lognormal(-(SIZE_SIGMA**2) / 2, SIZE_SIGMA, n)
    # Klette customers are loyal and buy regularly, but small amounts.
    size = np.where(traj == KLETTE, rng.lognormal(-0.5, 0.35, n), size)
    t = np.arange(months, dtype=np.float64)[None, :]
    start, end, won, peak = _lifecycle(rng, traj, months)
    period = rng.choice(np.array([12, 12, 18, 24], dtype=np.int32), n)
    shape = _base_shape(rng, traj, t, start, end, peak, period)
    shape = _apply_lifecycle(shape, t, start, end, won)
    # Month-to-month noise: real purchases are lumpy even for steady customers.
    shape *= rng.lognormal(-0.02, 0.2, shape.shape)
    phase = _phase(traj, start, end, won, shape, months)
    cycle = np.where(traj == CYCLICAL, period, 0).astype(np.int32)
    channel = rng.choice(np.array(CHANNELS, dtype=np.float32), n)
    # Klette customers order regularly, often, and little each time.
    order_scale = np.where(traj == KLETTE, KLETTE_ORDER_SCALE, 1.0)
    return Profiles(
        traj, phase, size, start, end, won, shape.astype(np.float32), cycle, channel, order_scale
    )


def _lifecycle(
    rng: np.random.Generator, traj: np.ndarray, months: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(traj)
    start = np.full(n, -1, dtype=np.int32)
    end = np.full(n, months, dtype=np.int32)
    won = np.full(n, -1, dtype=np.int32)
    can_be_new = np.isin(traj, (STEADY, CYCLICAL, GROWTH))
    is_new = can_be_new & (rng.random(n) < NEW_SHARE)
    start[is_new] = rng.integers(1, max(2, months - 3), is_new.sum())
    lost_p = np.where(traj == SHRINKING, LOST_SHARE_SHRINKING, LOST_SHARE)
    lost = (traj != BELL) & (traj != KLETTE) & (rng.random(n) < lost_p)
    earliest = np.maximum(np.maximum(start, 0) + 6, months // 4)
    latest = months - 3
    lost &= earliest < latest
    end[lost] = rng.integers(earliest[lost], np.maximum(latest, earliest[lost] + 1))
    gap = rng.integers(4, 13, n)
    back = lost & (rng.random(n) < WON_BACK_SHARE) & (end + gap < months - 1)
    won[back] = (end + gap)[back]
    # Bell customers: rise fast, peak, decline until lost (often within the window).
    bell = traj == BELL
    rise = np.maximum(3, rng.uniform(0.08, 0.18, n) * months)
    fall = np.maximum(9, rng.uniform(0.4, 0.8, n) * months)
    peak = rng.uniform(0.12, 0.5, n) * months
    start[bell] = np.floor(peak - rise)[bell].astype(np.int32)
    end[bell] = np.minimum(months, np.ceil(peak + fall)).astype(np.int32)[bell]
    return start, end, won, peak


def _base_shape(
    rng: np.random.Generator,
    traj: np.ndarray,
    t: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    peak: np.ndarray,
    period: np.ndarray,
) -> np.ndarray:
    n, months = len(traj), t.shape[1]
    shape = np.ones((n, months))
    # Cyclical: seasonal (12 months) or budget cycles (18/24 months), strong swings with
    # months of almost nothing in between. The cube of (1 + sin) / 2 has mean 5/16.
    phi = rng.uniform(0, 2 * np.pi, n)[:, None]
    wave = ((1.0 + np.sin(2 * np.pi * t / period[:, None] + phi)) / 2.0) ** 3 / 0.3125
    cyc = traj == CYCLICAL
    shape[cyc] = 0.05 + wave[cyc]
    # Growth and shrinking: exponential over the customer's own buying time.
    factor = np.log(rng.uniform(2.5, 5.0, n))[:, None]
    first = np.maximum(start, 0)[:, None]
    u = (t - first) / np.maximum(months - first, 1) - 0.5
    shape[traj == GROWTH] = np.exp(factor * u)[traj == GROWTH]
    shape[traj == SHRINKING] = np.exp(-factor * u)[traj == SHRINKING]
    # Bell: linear rise from start to peak, then a slower decline to zero at the end.
    bell = traj == BELL
    shape[bell] = _bell_shape(t, start[bell], end[bell], peak[bell])
    return shape


def _bell_shape(t: np.ndarray, start: np.ndarray, end: np.ndarray, peak: np.ndarray) -> np.ndarray:
    up = np.clip((t - start[:, None] + 1) / np.maximum(peak - start, 1)[:, None], 0, 1)
    down = np.clip((end[:, None] - t) / np.maximum(end - peak, 1)[:, None], 0, 1)
    return 2.2 * np.where(t <= peak[:, None], up, down) ** 1.3


def _apply_lifecycle(
    shape: np.ndarray, t: np.ndarray, start: np.ndarray, end: np.ndarray, won: np.ndarray
) -> np.ndarray:
    active = (t >= start[:, None]) & (t < end[:, None])
    back = won >= 0
    active[back] |= t >= won[back, None]
    # Ramp-up: a new customer needs a few months to reach its level.
    ramp = np.clip((t - start[:, None] + 1) / 4.0, 0.25, 1.0)
    ramp = np.where(start[:, None] >= 0, ramp, 1.0)
    shape = shape * ramp
    # Won back at a lower level than before.
    shape = np.where(back[:, None] & (t >= won[:, None]), shape * 0.7, shape)
    return np.where(active, shape, 0.0)


def _phase(
    traj: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    won: np.ndarray,
    shape: np.ndarray,
    months: int,
) -> np.ndarray:
    phase = np.full(len(traj), ESTABLISHED, dtype=np.int8)
    phase[traj == GROWTH] = GROWING
    phase[traj == SHRINKING] = DECLINING
    bell = traj == BELL
    peak = np.argmax(shape, axis=1)
    phase[bell & (peak >= months - 3)] = GROWING
    phase[bell & (peak < months - 3)] = DECLINING
    phase[(start >= months - 12) & (start >= 0)] = NEW
    phase[end < months] = LOST
    phase[won >= 0] = WON_BACK
    return phase
