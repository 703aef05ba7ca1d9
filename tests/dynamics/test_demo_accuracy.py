"""Trajectory types and declining alerts against two generators' ground truth (issue 13).

The demo company (``kundenwert.demo``) and the independent generator of value_world.py, which
shares no code, curves or noise with it. Customers the data cannot settle are "unclear" or
"insufficient" and not typed; accuracy is measured among the typed ones. The floors are what
the method reaches on these seeds with some margin, as regression guards; the issue's targets
and the ceiling of what the data allow are in docs/benchmarks.md
(benchmarks/bench_dynamics_accuracy.py).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow.compute as pc
import pytest
from dynamics_helpers import load_tables
from value_world import value_world

from kundenwert.dynamics import analyse
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import open_store

AS_OF = date(2026, 6, 30)
TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")
UNTYPED = ("insufficient", "unclear")


def _judge(result, ids, truth, declining):
    s, tr = result.series, result.trajectories
    pos = pc.index_in(s.customer_id, value_set=ids).to_numpy()
    truth = np.asarray(truth, dtype=object)[pos]
    declining = np.asarray(declining, dtype=bool)[pos]
    alerts = result.alerts
    told = pc.filter(alerts["customer_id"], pc.equal(alerts["alert"], "top_declining"))
    at = pc.index_in(told, value_set=s.customer_id).to_numpy()
    return tr, truth, declining, at


@pytest.fixture(scope="module")
def demo(demo_store, demo_company):
    result = analyse(demo_store, Settings(), AS_OF)
    gt = demo_company.ground_truth
    truth = gt["trajectory"].to_pylist()
    declining = np.isin(truth, ("shrinking", "bell"))  # every demo bell is past its peak
    return _judge(result, gt["customer_id"], truth, declining)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = value_world(60, seed=5)
    store = open_store(tmp_path_factory.mktemp("world") / "w.duckdb", create=True)
    load_tables(store, w.tables)
    run_review(store, Settings(), AS_OF)
    result = analyse(store, Settings(), AS_OF)
    store.close()
    truth = w.truth
    judged = _judge(result, truth["customer_id"], truth["trajectory"].to_pylist(),
                    truth["declining"].to_pylist())  # fmt: skip
    pos = pc.index_in(result.series.customer_id, value_set=truth["customer_id"]).to_numpy()
    channel = np.asarray(truth["channel"].to_pylist())[pos]
    return (*judged, channel)


def _accuracy(tr, truth):
    typed = ~np.isin(tr.type, UNTYPED)
    return typed, (tr.type == truth)[typed].mean()


def test_accuracy_among_typed_customers_on_the_demo(demo):
    tr, truth, _, _ = demo
    typed, accuracy = _accuracy(tr, truth)
    # Few demo customers buy often enough to tell a type; the honest answer is "unclear".
    assert 0.03 < typed.mean() < 0.4  # 0.07 measured on these 3,000 customers
    assert accuracy >= 0.85  # 0.91 measured; chance is below 0.35
    for kind in ("cyclical", "klette"):
        assert (tr.type == truth)[typed & (truth == kind)].mean() >= 0.7, kind


def test_accuracy_among_typed_customers_on_the_independent_generator(world):
    tr, truth, _, _, _ = world
    typed, accuracy = _accuracy(tr, truth)
    assert typed.mean() >= 0.6  # 0.74 measured at 100 per type
    assert accuracy >= 0.74  # 0.81 measured at 100 per type
    for kind in TYPES:
        assert typed[truth == kind].mean() >= 0.4, kind


def test_order_size_alone_decides_the_type(world):
    # Customers whose value changes only through the size of their orders (same rhythm): a
    # classifier of counts reads them all as steady.
    tr, truth, _, _, channel = world
    moving = (channel == 1.0) & np.isin(truth, ("growth", "shrinking"))
    typed = ~np.isin(tr.type, UNTYPED)
    assert (tr.type[moving & typed] == truth[moving & typed]).mean() >= 0.6


def test_declining_alerts_go_to_customers_whose_value_declines(demo, world):
    for tr, _truth, declining, at in (demo, world[:4]):
        assert len(at) > 0
        assert declining[at].mean() >= 0.65  # 0.73 (demo) and 0.90 (independent) measured
        assert (tr.type[at] != "growth").all()  # never a customer we see growing
