import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from kundenwert.dynamics.glm import BatchPoissonGLM


def direct_fit(X, y, w):
    def nll(b):
        eta = X @ b
        return -(w * (y * eta - np.exp(eta))).sum()

    return minimize(nll, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-9}).x


@settings(max_examples=25, deadline=None)
@given(
    # Counts of at least 1: with zeros at one end the MLE can run off to infinity.
    st.lists(st.integers(1, 12), min_size=12, max_size=12),
    st.integers(0, 4),
)
def test_matches_a_direct_likelihood_fit(counts, start):
    y = np.array(counts, dtype=float)
    w = (np.arange(12) >= start).astype(float)
    t = np.linspace(-1, 1, 12)
    X = np.stack([np.ones(12), t], 1)
    glm = BatchPoissonGLM(max_iter=30, ridge=0.0).fit(X, np.stack([y, y[::-1]]), np.stack([w, w]))
    b = direct_fit(X, y, w)
    assert glm.coef_[0] == pytest.approx(b, abs=1e-3)
    assert glm.n_obs_[0] == w.sum()


def test_rows_are_independent_and_the_loglik_is_poisson():
    t = np.linspace(-1, 1, 10)
    X = np.stack([np.ones(10), t], 1)
    y = np.stack([np.full(10, 3.0), np.round(3 * np.exp(t))])
    glm = BatchPoissonGLM().fit(X, y, np.ones_like(y))
    assert glm.coef_[0] == pytest.approx([np.log(3), 0], abs=1e-4)  # the tiny ridge
    assert glm.coef_[1, 1] > 0.8
    assert glm.loglik_[0] == pytest.approx((3 * np.log(3) - 3) * 10)


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        BatchPoissonGLM().fit(np.ones((5, 1)), np.ones((2, 4)), np.ones((2, 4)))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 3), st.integers(0, 10_000))
def test_shape_covariance_is_the_block_of_the_inverse(k, seed):
    from kundenwert.dynamics.glm import shape_covariance

    rng = np.random.default_rng(seed)
    m = rng.normal(size=(4, 6, k))
    information = m.transpose(0, 2, 1) @ m + 0.1 * np.eye(k)  # symmetric positive definite
    expected = np.linalg.inv(information)[:, 1:, 1:]
    np.testing.assert_allclose(shape_covariance(information), expected, rtol=1e-8, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(-3, 3), st.floats(0.01, 4), st.floats(-2, 2), st.floats(0.05, 3), st.floats(0.05, 2)
)
def test_occam_factor_is_the_gaussian_marginal_likelihood(b0, s2, b1, s2b, tau):
    # exp(-occam) = integral of the normalised likelihood shape exp(-(b - b^)' S^-1 (b - b^) / 2)
    # against the prior N(0, tau^2 I), checked by numerical integration on a grid.
    from kundenwert.dynamics.trajectories import _occam

    one = _occam(np.array([[0.0, b0]]), np.array([[[s2]]]), tau**2)[0]
    grid = np.linspace(-12, 12, 48_001)
    prior = np.exp(-(grid**2) / (2 * tau**2)) / np.sqrt(2 * np.pi * tau**2)
    integral = np.trapezoid(np.exp(-((grid - b0) ** 2) / (2 * s2)) * prior, grid)
    assert one == pytest.approx(-np.log(integral), rel=1e-5, abs=1e-7)
    # Two coefficients with a correlated covariance: the same against a 2-D grid.
    cov = np.array([[s2, 0.3 * np.sqrt(s2 * s2b)], [0.3 * np.sqrt(s2 * s2b), s2b]])
    two = _occam(np.array([[0.0, b0, b1]]), cov[None], tau**2)[0]
    g = np.linspace(-8, 8, 801)
    x, y = np.meshgrid(g, g, indexing="ij")
    d = np.stack([x - b0, y - b1], -1)
    quad = np.einsum("...i,ij,...j->...", d, np.linalg.inv(cov), d)
    prior2 = np.exp(-(x**2 + y**2) / (2 * tau**2)) / (2 * np.pi * tau**2)
    integral2 = np.trapezoid(np.trapezoid(np.exp(-quad / 2) * prior2, g, axis=1), g)
    assert two == pytest.approx(-np.log(integral2), rel=1e-3, abs=1e-4)
