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
