import numpy as np
import pytest
from dynamics_helpers import matrix

from kundenwert.dynamics.config import PhaseSettings
from kundenwert.dynamics.phases import assign_phases

CFG = PhaseSettings()


def row(months):
    """1 line in each listed month index of a 36-month history (35 = as-of month)."""
    r = [0.0] * 36
    for m in months:
        r[m] = 1.0
    return r


def phase_of(r, **kw):
    return assign_phases(matrix([r], **kw), CFG).phase[0]


def test_established_customer_buying_every_two_months():
    assert phase_of(row(range(1, 36, 2))) == "established"


def test_silence_is_measured_against_the_own_rhythm():
    monthly = row(range(0, 29))  # monthly buyer, silent for 7 months: dormant
    half_yearly = row(range(0, 29, 6))  # every 6 months, silent for 11 months: still fine
    ph = assign_phases(matrix([monthly, half_yearly]), CFG)
    assert list(ph.phase) == ["dormant", "established"]
    assert ph.rhythm_months[0] == pytest.approx(1.0)
    assert ph.rhythm_months[1] == pytest.approx(6.0)


def test_lost_after_a_long_silence():
    assert phase_of(row(range(0, 20))) == "lost"  # silent 16 months > max(12, 4 x 1)


def test_never_bought_is_new_then_lost():
    nothing = [0.0] * 36
    assert phase_of(nothing, tenure=[3]) == "new"
    assert phase_of(nothing, tenure=[40]) == "lost"


def test_won_back_after_a_lost_length_gap():
    r = row([*range(0, 10), *range(24, 36)])  # 14 months gap, buying again since
    assert phase_of(r) == "won_back"


def test_new_customer():
    assert phase_of(row(range(30, 36)), tenure=[6]) == "new"


def test_growing_and_declining_compare_the_last_year_with_the_one_before():
    up = [0.0] * 12 + [1.0] * 12 + [3.0] * 12
    down = [0.0] * 12 + [3.0] * 12 + [1.0] * 12
    ph = assign_phases(matrix([up, down]), CFG)
    assert list(ph.phase) == ["growing", "declining"]
    # Revenue (1,000 a line), with a pseudo-amount of 1 % of the halves' mean (240).
    assert ph.trend[0] == pytest.approx(np.log(36240 / 12240))


def test_p_alive_from_the_forecast_marks_dormant():
    r = row(range(1, 36, 2))
    ph = assign_phases(matrix([r, r]), CFG, p_alive=np.array([0.9, 0.2]))
    assert list(ph.phase) == ["established", "dormant"]
