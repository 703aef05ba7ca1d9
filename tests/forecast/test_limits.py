"""The BG/NBD at its boundaries: finite everywhere, its limits named and used (issue 12).

The fresh-clone failure: on the 250-customer demo (tests/data/demo250_triples.csv, the distinct
(x, t_x, T) of ``generate(250, 2, 5)`` at 2025-12-31 in weeks) the BG/NBD fit ran to
a = 197,000 and b = 19.8 million and SciPy's 2F1 made the expected purchases 0 * inf = NaN.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pyarrow.csv as pacsv
import pytest
from forecast_simulate import simulate_bgnbd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import check_grad

from kundenwert.forecast import BetaGeoModel, ForecastSettings, ParetoNBDModel
from kundenwert.forecast.betamix import beta_mean_purchases
from kundenwert.forecast.bgnbd import _purchases_if_alive, bgnbd_log_likelihood
from kundenwert.forecast.clv import customer_lifetime_value
from kundenwert.forecast.fitting import fit_forecast, fit_purchases
from kundenwert.forecast.limits import CommonDropoutModel, _log_likelihood
from kundenwert.forecast.text import describe_fit

DATA = Path(__file__).parents[1] / "data"


def _demo_triples() -> dict[str, np.ndarray]:
    table = pacsv.read_csv(DATA / "demo250_triples.csv")
    return {name: table[name].to_numpy().astype(np.float64) for name in table.column_names}


def _with_params(model, params: dict[str, float]):
    """A model object carrying given parameters, as if fitted (for the boundary checks)."""
    model.params_ = params
    model.converged_ = True
    return model


def test_the_demo_that_broke_the_build_gets_the_common_dropout_limit():
    data = _demo_triples()
    full = BetaGeoModel().fit(data)
    assert full.params_["a"] + full.params_["b"] > 1e4  # the ridge the issue describes
    model = fit_purchases(data, "bgnbd")
    assert model.name == "bgnbd_common_dropout"
    assert model.replaces_["model"] == "bgnbd"
    assert model.replaces_["reason"] == "near_limit"
    # The limit loses nothing: the log-likelihoods agree to 1e-3.
    assert abs(model.log_likelihood_ - full.log_likelihood_) < 1e-3
    x, tx, T = data["frequency"], data["recency"], data["T"]
    predicted = model.expected_purchases(52.0, x, tx, T)
    assert np.all(np.isfinite(predicted)) and np.all(predicted >= 0)
    # The full model at its runaway parameters is finite too (quadrature where 2F1 fails) and
    # says the same as its limit.
    np.testing.assert_allclose(full.expected_purchases(52.0, x, tx, T), predicted, rtol=1e-3)


def test_the_limit_is_the_bgnbd_with_a_and_b_large():
    data = simulate_bgnbd(400, 0.7, 5.0, 50.0, 950.0, seed=3)
    x, tx, T = data["frequency"], data["recency"], data["T"]
    r, alpha, p = 0.7, 5.0, 0.05
    limit = _log_likelihood(np.array([r, alpha, p / (1 - p)]), x, tx, T, np.ones_like(x))[0]
    for scale in (1e4, 1e6, 1e8):
        full = bgnbd_log_likelihood([r, alpha, p * scale, (1 - p) * scale], x, tx, T)[0]
        assert abs(full - limit) < 1e3 / scale * len(x)
    bg = _with_params(BetaGeoModel(), {"r": r, "alpha": alpha, "a": p * 1e7, "b": (1 - p) * 1e7})
    cd = _with_params(CommonDropoutModel(), {"r": r, "alpha": alpha, "p": p})
    for method in ("probability_alive", "expected_purchases"):
        args = (x, tx, T) if method == "probability_alive" else (39.0, x, tx, T)
        np.testing.assert_allclose(
            getattr(bg, method)(*args), getattr(cd, method)(*args), rtol=1e-5
        )
    np.testing.assert_allclose(
        bg.expected_purchases_new(np.array([1.0, 39.0])),
        cd.expected_purchases_new(np.array([1.0, 39.0])),
        rtol=1e-5,
    )


@pytest.mark.parametrize("dropout", [True, False])
def test_limit_gradients_are_analytic(dropout):
    data = simulate_bgnbd(300, 0.7, 5.0, 1.0, 3.0, seed=5)
    x, tx, T = data["frequency"], data["recency"], data["T"]
    w = np.ones_like(x)
    params = np.array([0.7, 5.0, 0.2] if dropout else [0.7, 5.0])
    err = check_grad(
        lambda p: _log_likelihood(p, x, tx, T, w)[0],
        lambda p: _log_likelihood(p, x, tx, T, w)[1],
        params,
    )
    assert err / np.linalg.norm(_log_likelihood(params, x, tx, T, w)[1]) < 1e-4


def test_the_common_dropout_model_recovers_its_parameters():
    # a and b in the thousands: a Beta(a, b) that is a point at p = 0.05.
    data = simulate_bgnbd(6000, 0.7, 5.0, 500.0, 9500.0, seed=8)
    model = CommonDropoutModel().fit(data)
    assert model.converged_
    assert model.params_["r"] == pytest.approx(0.7, rel=0.15)
    assert model.params_["alpha"] == pytest.approx(5.0, rel=0.2)
    assert model.params_["p"] == pytest.approx(0.05, rel=0.25)


def test_a_clear_bgnbd_fit_is_kept():
    data = simulate_bgnbd(3000, 0.5, 6.0, 0.8, 2.5, seed=11)
    model = fit_purchases(data, "bgnbd")
    assert model.name == "bgnbd" and not getattr(model, "replaces_", None)


@pytest.fixture(scope="module")
def superstore() -> ibis.Table:
    lines = ibis.read_parquet(DATA / "superstore" / "superstore.parquet")
    return lines.select(
        customer_id=lines["Customer ID"],
        date=lines["Order Date"],
        amount=lines["Sales"].cast("decimal(18, 2)"),
    )


@pytest.mark.parametrize("configured", ["bgnbd", "pnbd", "mbgcnbd"])
def test_superstore_customers_never_drop_out_and_the_fit_says_so(superstore, configured):
    # 793 customers who keep buying to the end: every model's dropout runs off (not identified)
    # and the NBD, their common limit without dropout, is used and named.
    from datetime import date

    fit = fit_forecast(superstore, date(2017, 12, 30), ForecastSettings(), model=configured)
    info = fit.to_dict()
    assert info["model"] == "nbd"
    assert info["converged"] is True
    assert info["replaces"]["model"] == configured
    assert info["replaces"]["converged"] is False
    x, tx, T = (fit.customers[c].to_numpy() for c in ("frequency", "recency", "T"))
    assert np.all(np.isfinite(fit.purchases.expected_purchases(52.0, x, tx, T)))
    text = describe_fit(info, "de")
    assert text.startswith("NBD-Grenzfall: ohne Abwanderung statt ")
    assert "nicht konvergiert" in text and "793 Kunden" in text


# Property tests over extreme parameters: every prediction stays finite and in its bounds.
_EXP = st.floats(-7.0, 7.0)


@settings(max_examples=150, deadline=None)
@given(log_r=_EXP, log_alpha=_EXP, log_a=_EXP, log_b=_EXP, x=st.integers(0, 500))
def test_bgnbd_predictions_are_finite_at_any_parameters(log_r, log_alpha, log_a, log_b, x):
    r, alpha, a, b = (10.0**v for v in (log_r, log_alpha, log_a, log_b))
    model = _with_params(BetaGeoModel(), {"r": r, "alpha": alpha, "a": a, "b": b})
    tx, T = np.array([0.0, 10.0, 30.0]), np.array([40.0, 40.0, 40.0])
    xs = np.where(tx > 0, float(x), 0.0)
    alive = model.probability_alive(xs, tx, T)
    assert np.all(np.isfinite(alive)) and np.all((alive >= 0) & (alive <= 1))
    for t in (1.0, 52.0):
        e = model.expected_purchases(t, xs, tx, T)
        assert np.all(np.isfinite(e)) and np.all(e >= 0)
        # Never more than the expected purchases of a customer who cannot drop out.
        assert np.all(e <= (r + xs) * t / (alpha + T) * (1 + 1e-6) + 1e-12)
    new = model.expected_purchases_new(np.array([1.0, 52.0]))
    # Growing in t up to the closed form's own accuracy at such parameters (1e-5 seen at
    # r = 1000, a = 10, b = 0.001, where everybody drops out after one purchase).
    assert np.all(np.isfinite(new)) and new[0] <= new[1] * (1 + 1e-4)
    clv = customer_lifetime_value(
        model,
        np.full(3, 100.0),
        xs,
        tx,
        T,
        horizon_days=365,
        unit="week",
        margin=0.3,
        discount_rate=0.1,
    )
    assert np.all(np.isfinite(clv)) and np.all(clv >= 0)


@settings(max_examples=100, deadline=None)
@given(log_r=_EXP, log_alpha=_EXP, log_s=_EXP, log_beta=_EXP, x=st.integers(0, 500))
def test_pareto_nbd_predictions_are_finite_at_any_parameters(log_r, log_alpha, log_s, log_beta, x):
    r, alpha, s, beta = (10.0**v for v in (log_r, log_alpha, log_s, log_beta))
    model = _with_params(ParetoNBDModel(), {"r": r, "alpha": alpha, "s": s, "beta": beta})
    tx, T = np.array([0.0, 10.0, 30.0]), np.array([40.0, 40.0, 40.0])
    xs = np.where(tx > 0, float(x), 0.0)
    alive = model.probability_alive(xs, tx, T)
    assert np.all(np.isfinite(alive)) and np.all((alive >= 0) & (alive <= 1))
    e = model.expected_purchases(52.0, xs, tx, T)
    assert np.all(np.isfinite(e)) and np.all(e >= 0)


@settings(max_examples=100, deadline=None)
@given(log_r=_EXP, log_alpha=_EXP, logit_p=st.floats(-30, 30), x=st.integers(0, 500))
def test_common_dropout_predictions_are_finite_at_any_parameters(log_r, log_alpha, logit_p, x):
    r, alpha = 10.0**log_r, 10.0**log_alpha
    p = 1.0 / (1.0 + np.exp(-logit_p))
    model = _with_params(CommonDropoutModel(), {"r": r, "alpha": alpha, "p": p})
    tx, T = np.array([0.0, 10.0, 30.0]), np.array([40.0, 40.0, 40.0])
    xs = np.where(tx > 0, float(x), 0.0)
    e = model.expected_purchases(52.0, xs, tx, T)
    assert np.all(np.isfinite(e)) and np.all(e >= 0)
    assert np.all(np.isfinite(model.probability_alive(xs, tx, T)))


@pytest.mark.parametrize(
    "data",
    [
        {"frequency": [3.0], "recency": [20.0], "T": [40.0]},  # one customer
        {"frequency": [0.0] * 50, "recency": [0.0] * 50, "T": [30.0] * 50},  # nobody repeats
        {"frequency": [4.0] * 50, "recency": [38.0] * 50, "T": [40.0] * 50},  # all repeat
        {"frequency": [0, 1, 5, 9.0] * 10, "recency": [0, 9, 25, 39.0] * 10, "T": [40.0] * 40},
    ],
    ids=["one customer", "nobody repeats", "everybody repeats", "all the same T"],
)
@pytest.mark.parametrize("configured", ["bgnbd", "pnbd"])
def test_degenerate_data_never_gives_nan(data, configured):
    data = {k: np.asarray(v, dtype=np.float64) for k, v in data.items()}
    model = fit_purchases(data, configured, allow_unconverged=True)
    x, tx, T = data["frequency"], data["recency"], data["T"]
    for values in (
        model.expected_purchases(52.0, x, tx, T),
        model.probability_alive(x, tx, T),
        np.array([model.log_likelihood_]),
    ):
        assert np.all(np.isfinite(values))
    assert isinstance(model.converged_, bool)  # reported either way, never NaN


def test_quadrature_agrees_with_the_closed_form_where_that_holds():
    rng = np.random.default_rng(2)
    for _ in range(200):
        a = 10.0 ** rng.uniform(0.0, 2.0)
        b = 10.0 ** rng.uniform(np.log10(max(10.0 - a, 0.1)), 2.5)
        r = 10.0 ** rng.uniform(-1.0, 1.0)
        x = rng.integers(0, 200, 4).astype(np.float64)
        u = 10.0 ** rng.uniform(-2.0, 1.0, 4)
        if abs(a - 1.0) < 1e-3:
            continue
        closed = _purchases_if_alive(r, a, b, x, u)
        np.testing.assert_allclose(beta_mean_purchases(r, a, b, x, u), closed, rtol=1e-5)
