"""Per-customer predictions: expected purchases, P(alive), expected spend, CLV."""

from __future__ import annotations

import numpy as np
import pytest
from forecast_simulate import simulate_bgnbd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import hyp2f1

from kundenwert.errors import ConfigError
from kundenwert.forecast import (
    BetaGeoModel,
    ForecastSettings,
    GammaGammaModel,
    ParetoNBDModel,
    customer_lifetime_value,
)
from kundenwert.settings import Settings, settings_from_dict


@pytest.fixture(scope="module")
def data():
    return simulate_bgnbd(3000, 0.5, 6.0, 0.8, 2.5, seed=11)


@pytest.fixture(scope="module")
def bg(data):
    return BetaGeoModel().fit(data)


@pytest.fixture(scope="module")
def pnbd(data):
    return ParetoNBDModel().fit(data)


def test_bgnbd_expected_purchases_equals_the_untransformed_formula(bg):
    # FHL 2005 eq. 10 as printed, fine for small x; ours uses Euler's transformation.
    r, alpha, a, b = (bg.params_[k] for k in ("r", "alpha", "a", "b"))
    x, tx, T, t = np.array([0.0, 1, 3, 8]), np.array([0.0, 5, 20, 30]), 32.0, 39.0
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    denom = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    np.testing.assert_allclose(
        bg.expected_purchases(t, x, tx, T), head * bracket / denom, rtol=1e-9
    )


def test_no_repeat_purchase_means_alive_under_bgnbd(bg):
    assert bg.probability_alive(0, 0, 50) == 1.0


@settings(max_examples=30, deadline=None)
@given(
    x=st.integers(0, 60),
    share=st.floats(0, 1),
    T=st.floats(0.5, 200),
    t=st.floats(0.1, 100),
)
def test_predictions_are_probabilities_and_grow_with_the_horizon(bg, pnbd, x, share, T, t):
    tx = 0.0 if x == 0 else share * T
    for model in (bg, pnbd):
        p = model.probability_alive(x, tx, T)
        assert 0.0 <= p <= 1.0
        short, long = (
            model.expected_purchases(t, x, tx, T),
            model.expected_purchases(2 * t, x, tx, T),
        )
        assert 0.0 <= short <= long
        assert np.isfinite(long)


def test_a_long_silence_lowers_the_chance_of_being_alive(bg, pnbd):
    for model in (bg, pnbd):
        recent, silent = model.probability_alive([5, 5], [38, 5], [40, 40])
        assert recent > silent


def test_pareto_nbd_expected_purchases_is_continuous_through_s_equal_one(pnbd):
    m = ParetoNBDModel(allow_unconverged=True)
    m.params_, m.converged_ = dict(pnbd.params_), True
    values = []
    for s in (1.0 - 1e-6, 1.0, 1.0 + 1e-6):
        m.params_["s"] = s
        values.append(float(m.expected_purchases(20.0, 3, 10, 30)))
    assert values[0] == pytest.approx(values[1], rel=1e-5)
    assert values[2] == pytest.approx(values[1], rel=1e-5)


def test_expected_spend_shrinks_to_the_population_mean():
    gg = GammaGammaModel()
    gg.params_ = {"p": 6.0, "q": 4.0, "gamma": 15.0}
    gg.converged_ = True
    population_mean = 6.0 * 15.0 / 3.0
    assert gg.expected_spend(0, 0.0) == pytest.approx(population_mean)
    one, many = gg.expected_spend([1, 50], [100.0, 100.0])
    assert population_mean < one < many < 100.0  # more purchases: closer to own mean


def test_clv_without_discount_is_margin_spend_purchases(bg):
    x, tx, T = np.array([0.0, 2, 6]), np.array([0.0, 10, 30]), np.array([40.0, 40, 40])
    spend = np.array([30.0, 50, 20])
    plain = customer_lifetime_value(
        bg, spend, x, tx, T, horizon_days=364, unit="week", margin=0.3, discount_rate=0.0
    )
    purchases = bg.expected_purchases(52, x, tx, T)
    expected = 0.3 * spend * purchases
    np.testing.assert_allclose(plain, expected, rtol=1e-10)
    discounted = customer_lifetime_value(
        bg, spend, x, tx, T, horizon_days=364, unit="week", margin=0.3, discount_rate=0.1
    )
    assert np.all(discounted < plain)
    assert np.all(discounted > plain / 1.1)  # nothing is discounted by more than a year
    gg = GammaGammaModel()
    gg.params_, gg.converged_ = {"p": 6.0, "q": 4.0, "gamma": 15.0}, True
    m = np.array([0.0, 40.0, 25.0])
    via_model = gg.clv(
        bg, x, tx, T, m, horizon_days=364, unit="week", margin=0.3, discount_rate=0.0
    )
    np.testing.assert_allclose(via_model, 0.3 * gg.expected_spend(x, m) * purchases)


def test_settings_section_defaults_and_errors():
    fs = Settings().forecast
    assert (fs.model, fs.unit, fs.margin, fs.discount_rate) == ("bgnbd", "week", 0.3, 0.1)
    assert fs.horizon_duration.days == 364
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"forecast": {"margin": 1.5}})
    assert err.value.details["key"] == "forecast.margin"
    with pytest.raises(ConfigError, match=r"forecast\.horizon"):
        settings_from_dict({"forecast": {"horizon": "3 months"}})
    assert isinstance(
        settings_from_dict({"forecast": {"model": "pnbd"}}).forecast, ForecastSettings
    )


def _bg_with(params):
    model = BetaGeoModel()
    model.params_, model.converged_ = dict(params), True
    return model


def test_bgnbd_expected_purchases_is_smooth_through_a_equal_one():
    x, tx, T = np.array([0.0, 1, 50]), np.array([0.0, 10, 600]), np.full(3, 700.0)
    values = {
        a: _bg_with({"r": 0.9, "alpha": 47.0, "a": a, "b": 4.0}).expected_purchases(365, x, tx, T)
        for a in (0.999, 1.0 - 1e-9, 1.0, 1.0 + 1e-12, 1.001)
    }
    np.testing.assert_allclose(values[1.0 - 1e-9], values[1.0], rtol=1e-7)
    np.testing.assert_allclose(values[1.0 + 1e-12], values[1.0], rtol=1e-7)
    assert np.all(values[1.001] < values[1.0]) and np.all(values[1.0] < values[0.999])


def test_predictions_stay_finite_for_very_frequent_buyers():
    # Daily data of a customer with 2,000 purchase days: (alpha+T)^(r+x) overflows a double.
    x, tx, T = np.array([300.0, 2000.0]), np.array([690.0, 699.0]), np.full(2, 700.0)
    bg = _bg_with({"r": 0.9, "alpha": 47.0, "a": 0.5, "b": 4.0})
    expected = bg.expected_purchases(365, x, tx, T)
    assert np.all(np.isfinite(expected)) and np.all(expected > 0)
    # A buyer at ~2.9 purchases a day who bought yesterday keeps that pace, minus drop-out.
    assert 0.5 * 365 * 2000 / 700 < expected[1] < 365 * 2000 / 700
    pn = ParetoNBDModel()
    pn.params_, pn.converged_ = {"r": 0.9, "alpha": 47.0, "s": 0.5, "beta": 400.0}, True
    assert np.all(np.isfinite(pn.expected_purchases(365, x, tx, T)))
    assert np.all(pn.probability_alive(x, tx, T) > 0.9)
