"""The Bayes ceiling of the dynamics benchmark (benchmarks/oracle_ceiling.py): its closed
forms against numerical integration, and that it types small companies of both generators as
sure as it says."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import digamma, polygamma
from scipy.stats import gamma, norm, poisson

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import oracle_ceiling as oc


def test_gamma_poisson_closed_form_is_the_integral_over_the_scale():
    counts = np.array([[2.0, 0.0, 3.0]])
    f = np.array([[1.0, 0.5, 2.0], [0.2, 1.0, 1.0]])
    a0, b0, rate = 0.8, 1.3, 0.7
    got = oc.gamma_poisson_loglik(counts, np.log(f), f.sum(1), rate, a0, b0)
    for j in range(len(f)):

        def integrand(s, j=j):
            like = np.prod(poisson.pmf(counts[0], s * rate * f[j]))
            return like * gamma.pdf(s, a0, scale=1 / b0)

        want = np.log(quad(integrand, 0, np.inf)[0])
        assert got[0, j] == pytest.approx(want, abs=1e-7)


def test_level_closed_form_is_the_integral_over_the_level():
    ybar = np.array([[0.3, -0.2, 0.0, 0.9]])
    w = np.array([[4.0, 1.0, 0.0, 2.0]])  # month 3 without values
    lv = np.array([[0.1, -0.4, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0]])
    c, tau = 0.5, 0.6
    logdet = np.where(w > 0, np.log(2 * np.pi / np.where(w > 0, w, 1)), 0).sum(1)
    got = oc.gaussian_level_loglik(w, w * ybar, w * ybar**2, lv, c, tau, logdet)
    seen = w[0] > 0
    for j in range(len(lv)):

        def integrand(a, j=j):
            mean = a + c * lv[j][seen]
            sd = 1 / np.sqrt(w[0][seen])
            return np.prod(norm.pdf(ybar[0][seen], mean, sd)) * norm.pdf(a, 0, tau)

        want = np.log(quad(integrand, -10, 10)[0])
        assert got[0, j] == pytest.approx(want, abs=1e-7)


def test_gamma_prior_has_the_log_normals_log_mean_and_spread():
    a, b = oc.gamma_fit_lognormal(-1.125, 1.5)
    assert float(polygamma(1, a)) == pytest.approx(1.5**2)
    assert float(digamma(a)) - np.log(b) == pytest.approx(-1.125)


def test_world_oracle_is_as_sure_as_it_says():
    from value_world import value_world

    w = value_world(8, seed=3)
    oracle = oc.WorldOracle(w)
    post = oracle.posterior()
    assert post.shape == (48, 6)
    assert np.allclose(post.sum(1), 1)
    truth = np.asarray(w.truth["trajectory"].to_pylist())
    guess = np.asarray(oc.TYPES)[post.argmax(1)]
    assert (guess == truth).mean() >= 0.9


def test_demo_oracle_families_and_confident_types():
    from kundenwert.demo import generate

    company = generate(300, 3, 5)
    oracle = oc.DemoOracle(company, 300, 3, 5)
    for fam in oracle.families:
        assert fam.weight.sum() == pytest.approx(1)
        assert len(fam.weight) == len(fam.shape)
    # The replayed profiles are the benchmark's company (only its rate constant is used).
    truth = np.asarray(company.ground_truth["trajectory"].to_pylist())
    assert (np.asarray(oc.TYPES)[oracle.replayed.trajectory] == truth).all()
    post = oracle.posterior()
    guess = np.asarray(oc.TYPES)[post.argmax(1)]
    sure = post.max(1) >= 0.9
    assert sure.sum() >= 30
    assert (guess[sure] == truth[sure]).mean() >= 0.9


def test_the_coverage_ceiling_holds_every_accuracy_target_at_once():
    # Most confident first: ten right steady customers, then a wrong bell, a right bell,
    # and three wrong ones. Overall 90 % holds up to 11 (10/11 = 91 %) and to 12 (11/12), but
    # bell's typed are 1 of 2 right there (50 % < 80 %): the prefix stops at ten.
    truth = np.array(["steady"] * 10 + ["bell", "bell", "growth", "growth", "steady"])
    hit = np.array([True] * 10 + [False, True, False, False, False])
    assert oc._targets_prefix(hit, truth, per_type=True) == 10
    assert oc._targets_prefix(hit, truth, per_type=False) == 12  # 90 % overall alone
    # Without the wrong bell, eleven keep both (11/11, bell 1/1); the twelfth is 92 % right
    # overall but its type, growth, 0 of 1.
    keep = np.arange(15) != 10
    assert oc._targets_prefix(hit[keep], truth[keep], per_type=True) == 11
    assert oc._targets_prefix(np.zeros(3, bool), truth[:3], per_type=True) == 0
