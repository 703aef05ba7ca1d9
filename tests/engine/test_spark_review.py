"""A review whose forecast and window aggregates run on local Spark stores the same snapshot
as the review computed in the store alone."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

import kundenwert.review.compute as compute_module
from kundenwert.engine import java_available, to_arrow
from kundenwert.review import run_review
from kundenwert.review.compute import ALL_COLUMNS
from kundenwert.settings import Settings

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 6, 30)


def _customers(store, review_id):
    cols = ", ".join(ALL_COLUMNS)
    sql = f"SELECT {cols} FROM review_customers WHERE review_id = ? ORDER BY customer_id"
    return store.con.execute(sql, [review_id]).to_arrow_table()


def test_review_on_spark_stores_the_same_snapshot(engine_store, spark_inputs, monkeypatch):
    # The company view alone: the units on Spark have their own test (test_spark_review_units).
    settings = Settings.model_validate({"review": {"units": {"enabled": False}}})
    local = run_review(engine_store, settings, AS_OF)
    collected = []  # the raw figures are collected from Spark once, as one table

    def collect(expr):
        collected.append(to_arrow(expr))
        return collected[-1]

    monkeypatch.setattr(compute_module, "to_arrow", collect)
    on_spark = run_review(engine_store, settings, AS_OF, inputs=spark_inputs)
    assert len(collected) == 1 and collected[0].num_rows == 200
    assert on_spark.review_id != local.review_id
    assert on_spark.customer_count == local.customer_count == 200
    assert on_spark.forecast["status"] == local.forecast["status"] == "fitted"
    a, b = _customers(engine_store, local.review_id), _customers(engine_store, on_spark.review_id)
    assert a.schema.equals(b.schema)
    for name in ALL_COLUMNS:
        x, y = a[name].to_pylist(), b[name].to_pylist()
        sample = next((v for v in x if v is not None), None)
        floats = isinstance(sample, float) or (
            isinstance(sample, list) and any(isinstance(v, float) for v in sample)
        )
        if not floats:  # keys, texts, classes, flags, counts and the exact decimal money
            assert x == y, name
            continue
        x, y = (np.array(v, dtype="float64") for v in (x, y))
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-6, equal_nan=True, err_msg=name)
    # Money to the cent, classes and quadrants not trivially equal: several of each.
    assert len(set(a["abc_class"].to_pylist())) == 3 and len(set(a["quadrant"].to_pylist())) >= 3
    splits = [
        json.loads(
            engine_store.con.execute(
                "SELECT splits FROM reviews WHERE review_id = ?", [r]
            ).fetchone()[0]
        )
        for r in (local.review_id, on_spark.review_id)
    ]
    assert splits[0].keys() == splits[1].keys()
    assert splits[0]["caps"] == pytest.approx(splits[1]["caps"], rel=1e-12)
