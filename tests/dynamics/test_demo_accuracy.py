"""Trajectory types against the demo company's ground truth (which the analytics never read).

The demo buys sparsely (about 20 invoice lines per customer in 3 years), so many customers have
too little history and, among the rest, the types overlap under the noise. The floors below are
what the method reaches on this seed with some margin (see docs/benchmarks.md for the full
confusion matrix at 1M customers); they guard against regressions, they are not the issue's
90 % target, which the method does not reach on this data.
"""

from datetime import date

import numpy as np
import pyarrow.compute as pc

from kundenwert.dynamics.series import monthly_series
from kundenwert.dynamics.trajectories import classify_trajectories
from kundenwert.settings import Settings


def test_trajectory_accuracy_on_the_demo_ground_truth(demo_store, demo_company):
    settings = Settings()
    series = monthly_series(demo_store, settings, date(2026, 6, 30))
    tr = classify_trajectories(series, settings.dynamics.trajectory)
    gt = demo_company.ground_truth
    pos = pc.index_in(series.customer_id, value_set=gt["customer_id"]).to_numpy()
    truth = np.asarray(gt["trajectory"].to_pylist())[pos]
    judged = tr.type != "insufficient"
    assert 0.2 < judged.mean() < 0.6
    hit = tr.type[judged] == truth[judged]
    assert hit.mean() >= 0.6  # measured 0.67 on 20,000 customers; chance is below 0.35
    for kind in ("steady", "cyclical", "bell", "growth", "shrinking", "klette"):
        recall = hit[truth[judged] == kind].mean()
        assert recall >= 0.4, kind
