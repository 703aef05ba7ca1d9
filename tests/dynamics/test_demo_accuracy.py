"""Trajectory types against the demo company's ground truth (which the analytics never read).

The floors below are what the method reaches on this seed with some margin (see
docs/benchmarks.md for the confusion matrix at 1M customers); they guard against
regressions. They are not the issue's 90 % target, which the method does not reach on this
data: most customers with enough history have a few dozen purchases, and at that density a
x2.5 growth over three years is often within the noise of a steady customer. Steady needs
the data to rule out a x1.8 change (docs/dynamics.md): few steady customers have that many
purchases, so steady's recall is low; the steady customers judged are mostly those whose
noise looked like a shape.
"""

from datetime import date

import numpy as np
import pyarrow.compute as pc
import pytest

from kundenwert.dynamics.series import monthly_series
from kundenwert.dynamics.trajectories import classify_trajectories
from kundenwert.settings import Settings

TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")


@pytest.fixture(scope="module")
def judged(demo_store, demo_company):
    settings = Settings()
    series = monthly_series(demo_store, settings, date(2026, 6, 30))
    tr = classify_trajectories(series, settings.dynamics.trajectory)
    gt = demo_company.ground_truth
    pos = pc.index_in(series.customer_id, value_set=gt["customer_id"]).to_numpy()
    truth = np.asarray(gt["trajectory"].to_pylist())[pos]
    return tr, truth


def test_trajectory_accuracy_on_the_demo_ground_truth(judged):
    tr, truth = judged
    enough = tr.type != "insufficient"
    assert 0.1 < enough.mean() < 0.3  # 0.16 measured (0.24 before the steady rule)
    hit = tr.type[enough] == truth[enough]
    assert hit.mean() >= 0.79  # 0.84 measured on these 3,000 customers; chance is below 0.35
    floors = {"steady": 0.2, "klette": 0.8, "growth": 0.85, "shrinking": 0.8, "cyclical": 0.8}
    for kind in TYPES:
        recall = hit[truth[enough] == kind].mean()
        # Measured: steady 0.32, cyclical 0.92, bell 0.88, growth 0.96, shrinking 0.91,
        # klette 0.96.
        assert recall >= floors.get(kind, 0.5), kind


def test_more_history_means_more_accuracy(judged):
    tr, truth = judged
    rich = (tr.type != "insufficient") & (tr.purchase_months >= 20)
    assert rich.sum() >= 90  # 129 measured (196 before the steady rule)
    assert (tr.type[rich] == truth[rich]).mean() >= 0.82  # 0.88 measured (0.89 before)
