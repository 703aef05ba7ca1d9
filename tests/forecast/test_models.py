"""Likelihoods, gradients, fits and the convergence guard of the forecast models."""

from __future__ import annotations

import numpy as np
import pytest
from forecast_simulate import simulate_bgnbd, simulate_spend
from scipy.optimize import approx_fprime, check_grad

from kundenwert.errors import InputError
from kundenwert.forecast import (
    BetaGeoModel,
    ConvergenceError,
    GammaGammaModel,
    NotFittedError,
    ParetoNBDModel,
)
from kundenwert.forecast.bgnbd import bgnbd_log_likelihood
from kundenwert.forecast.gammagamma import gamma_gamma_log_likelihood
from kundenwert.forecast.pnbd import (
    _log_dropout_integral,
    pnbd_dropout_term_hyp2f1,
    pnbd_log_likelihood,
)

TRUE_BG = {"r": 0.5, "alpha": 6.0, "a": 0.8, "b": 2.5}


@pytest.fixture(scope="module")
def histories():
    return simulate_bgnbd(20_000, **TRUE_BG, seed=7)


@pytest.fixture(scope="module")
def small(histories):
    return {k: v[:400] for k, v in histories.items()}


def _rounded_triples(data, decimals=0):
    """Round times so that customers share triples; returns (per-customer, distinct+count)."""
    per_customer = {
        "frequency": data["frequency"],
        "recency": np.round(data["recency"], decimals),
        "T": np.round(data["T"], decimals),
    }
    stacked = np.stack([per_customer[k] for k in ("frequency", "recency", "T")], axis=1)
    distinct, counts = np.unique(stacked, axis=0, return_counts=True)
    grouped = {"frequency": distinct[:, 0], "recency": distinct[:, 1], "T": distinct[:, 2]}
    return per_customer, {**grouped, "count": counts}


def _relative_grad_error(loglik, params, *data):
    """|analytic - forward-difference gradient| / |gradient| (scipy's check_grad).

    Forward differences with step 1.5e-8 are accurate to ~1e-6 relative here; a wrong term in
    an analytic gradient shows up as an error of order 1, so 1e-4 separates the two cleanly.
    """
    err = check_grad(lambda p: loglik(p, *data)[0], lambda p: loglik(p, *data)[1], params)
    return err / np.linalg.norm(loglik(params, *data)[1])


@pytest.mark.parametrize("params", [(0.5, 6.0, 0.8, 2.5), (2.0, 1.0, 1.5, 0.7)])
def test_bgnbd_gradient_is_analytic_gradient(small, params):
    data = (small["frequency"], small["recency"], small["T"])
    assert _relative_grad_error(bgnbd_log_likelihood, np.array(params), *data) < 1e-4


@pytest.mark.parametrize("params", [(0.55, 10.6, 0.6, 11.7), (1.5, 3.0, 2.0, 0.5)])
def test_pareto_nbd_gradient_is_analytic_gradient(small, params):
    data = (small["frequency"], small["recency"], small["T"])
    assert _relative_grad_error(pnbd_log_likelihood, np.array(params), *data) < 1e-4


def test_gamma_gamma_gradient_is_analytic_gradient(small):
    x = small["frequency"][small["frequency"] > 0]
    m = simulate_spend(x, 6.0, 4.0, 15.0, seed=1)
    assert _relative_grad_error(gamma_gamma_log_likelihood, np.array([6.0, 4.0, 15.0]), x, m) < 1e-4


@pytest.mark.parametrize(
    "params",
    [
        (0.55, 10.58, 0.61, 11.67),  # alpha < beta branch of the literature
        (0.55, 11.67, 0.61, 10.58),  # alpha > beta branch
        (0.3, 40.0, 2.0, 0.2),
        (5.0, 3.0, 0.1, 100.0),
        (1.0, 5.0, 1.0, 5.0),  # alpha = beta: 2F1 argument 0
    ],
)
def test_pareto_nbd_quadrature_equals_the_hypergeometric_form(small, params):
    inner = small["T"] > small["recency"]
    x, tx, T = (small[k][inner] for k in ("frequency", "recency", "T"))
    reference = pnbd_dropout_term_hyp2f1(params, x, tx, T)
    log_i, _ = _log_dropout_integral(x, tx, T, *params, with_grad=False)
    # 1e-10: the quadrature rule is exact to ~1e-13 here; 2F1 itself is good to ~1e-14.
    np.testing.assert_allclose(params[2] * np.exp(log_i), reference, rtol=1e-10)


def test_pareto_nbd_stays_finite_where_the_hypergeometric_form_overflows():
    x, tx, T = np.array([400.0]), np.array([300.0]), np.array([700.0])
    params = (0.8, 2.0, 0.5, 300.0)
    with np.errstate(all="ignore"):
        reference = pnbd_dropout_term_hyp2f1(params, x, tx, T)
    value, grad = pnbd_log_likelihood(params, x, tx, T)
    assert not np.isfinite(reference[0]) or reference[0] == 0.0  # underflows to 0 / inf
    assert np.isfinite(value)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("model_class", [BetaGeoModel, ParetoNBDModel])
def test_fit_on_weighted_triples_equals_fit_per_customer(small, model_class):
    per_customer, grouped = _rounded_triples(small)
    assert len(grouped["count"]) < len(per_customer["frequency"])  # really grouped
    a = model_class().fit(per_customer)
    b = model_class().fit(grouped)
    assert a.converged_ and b.converged_
    assert a.n_customers_ == b.n_customers_ == 400
    for name in a.param_names:
        assert a.params_[name] == pytest.approx(b.params_[name], rel=1e-5)
    assert a.log_likelihood_ == pytest.approx(b.log_likelihood_, rel=1e-10)


def test_gamma_gamma_weighted_equals_per_customer(small):
    x = small["frequency"][small["frequency"] > 0]
    m = np.round(simulate_spend(x, 6.0, 4.0, 15.0, seed=2))  # rounded: repeated pairs
    pairs, counts = np.unique(np.stack([x, m], axis=1), axis=0, return_counts=True)
    a = GammaGammaModel().fit({"frequency": x, "monetary_value": m})
    b = GammaGammaModel().fit(
        {"frequency": pairs[:, 0], "monetary_value": pairs[:, 1], "count": counts}
    )
    assert len(counts) < len(x)
    assert a.converged_ and b.converged_
    for name in ("p", "q", "gamma"):
        assert a.params_[name] == pytest.approx(b.params_[name], rel=1e-5)


def _standard_errors(loglik, params, *data):
    """Asymptotic standard errors: inverse of the numerically differentiated analytic Hessian."""
    p = np.asarray(params)
    hess = np.array(
        [approx_fprime(p, lambda q, i=i: loglik(q, *data)[1][i], 1e-6 * p) for i in range(len(p))]
    )
    return np.sqrt(np.diag(np.linalg.inv(-(hess + hess.T) / 2)))


def test_bgnbd_recovers_simulated_parameters(histories):
    model = BetaGeoModel().fit(histories)
    assert model.converged_
    estimate = np.array([model.params_[k] for k in TRUE_BG])
    se = _standard_errors(
        bgnbd_log_likelihood,
        estimate,
        histories["frequency"],
        histories["recency"],
        histories["T"],
    )
    # Within 4 standard errors of the truth: fails by chance with probability < 1e-4 per
    # parameter, and the seed is fixed. Also a sanity bound on the relative error.
    true = np.array(list(TRUE_BG.values()))
    assert np.all(np.abs(estimate - true) < 4 * se), (estimate, se)
    assert np.all(np.abs(estimate / true - 1) < 0.25)


def test_gamma_gamma_recovers_simulated_parameters(histories):
    x = histories["frequency"]
    m = simulate_spend(x, 6.0, 4.0, 15.0, seed=3)
    model = GammaGammaModel().fit({"frequency": x, "monetary_value": m})
    estimate = np.array([model.params_[k] for k in ("p", "q", "gamma")])
    repeat = x > 0
    se = _standard_errors(gamma_gamma_log_likelihood, estimate, x[repeat], m[repeat])
    assert np.all(np.abs(estimate - np.array([6.0, 4.0, 15.0])) < 4 * se), (estimate, se)


def test_non_convergence_is_reported_and_blocks_prediction(small):
    model = BetaGeoModel(maxiter=2).fit(small)
    assert model.converged_ is False
    assert "ITERATIONS" in model.message_
    with pytest.raises(ConvergenceError):
        model.expected_purchases(10, 1, 5, 30)
    with pytest.raises(ConvergenceError):
        model.probability_alive(1, 5, 30)
    permissive = BetaGeoModel(maxiter=2, allow_unconverged=True).fit(small)
    assert np.isfinite(permissive.probability_alive(1, 5, 30))


@pytest.mark.parametrize("model_class", [BetaGeoModel, ParetoNBDModel])
def test_degenerate_data_is_not_a_converged_fit(model_class):
    # Nobody ever came back: the repeat rate runs off to zero, there is no estimate.
    n = 200
    data = {"frequency": np.zeros(n), "recency": np.zeros(n), "T": np.linspace(10, 40, n)}
    assert model_class().fit(data).converged_ is False


def test_predicting_before_fitting_is_an_error():
    with pytest.raises(NotFittedError):
        BetaGeoModel().probability_alive(1, 2, 3)


def test_invalid_histories_are_refused():
    with pytest.raises(InputError, match="recency"):
        BetaGeoModel().fit({"frequency": [1, 0], "recency": [5, 0], "T": [4, 3]})
    with pytest.raises(InputError, match="recency 0"):
        BetaGeoModel().fit({"frequency": [0], "recency": [2], "T": [4]})


def _line_search_gives_up(monkeypatch, at_optimum: bool):
    """scipy's minimize, but ending as L-BFGS-B does when its line search finds no decrease."""
    import scipy.optimize

    from kundenwert.forecast import base

    def minimize(fun, x0, **kw):
        result = scipy.optimize.minimize(fun, x0, **kw)
        if not at_optimum:
            result.x = x0
        result.success, result.message = False, "ABNORMAL: "
        return result

    monkeypatch.setattr(base, "minimize", minimize)


def _quadratic(p):
    x = np.log(p)
    return float(-np.sum((x - 1.0) ** 2)), -2 * (x - 1.0) / p


def test_a_line_search_stop_at_a_stationary_point_is_converged(monkeypatch):
    from kundenwert.forecast.base import maximise

    _line_search_gives_up(monkeypatch, at_optimum=True)
    out = maximise(_quadratic, np.array([0.5, 9.0]), ("a", "b"), 1, maxiter=100, tol=1e-10)
    assert out.converged
    assert "stationary point" in out.message
    assert out.params["a"] == pytest.approx(np.e)


def test_a_line_search_stop_elsewhere_is_not_converged(monkeypatch):
    from kundenwert.forecast.base import maximise

    _line_search_gives_up(monkeypatch, at_optimum=False)
    out = maximise(_quadratic, np.array([0.5, 9.0]), ("a", "b"), 1, maxiter=100, tol=1e-10)
    assert not out.converged
    assert "gradient not small" in out.message
