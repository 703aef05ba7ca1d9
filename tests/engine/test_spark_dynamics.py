"""The customer dynamics with the input tables on local Spark: the same trajectories, phases,
alerts and actions as computed in the store alone. The reviews and overrides are read from the
store in both runs (they describe kundenwert's own work, not the lake)."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import pytest
from engine_helpers import load_company

from kundenwert.cli import main
from kundenwert.dynamics import analyse
from kundenwert.dynamics.context import ReviewContext, skipped_rules
from kundenwert.engine import java_available, open_inputs
from kundenwert.review import run_review
from kundenwert.review.overrides import set_override
from kundenwert.settings import Settings
from kundenwert.store import open_store

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 6, 30)
#: The units are not on Spark yet; the forecast's P(alive) in the phases: its summary on Spark.
SETTINGS = {"review": {"units": {"enabled": False}}, "dynamics": {"use_forecast": True}}
OVERRIDDEN = "an override that ends 10 days after the as-of date"


@pytest.fixture(scope="module")
def reviewed_db(tmp_path_factory, engine_company):
    """The demo company in a store with a review and one override about to expire."""
    path = tmp_path_factory.mktemp("dynamics") / "reviewed.duckdb"
    settings = Settings.model_validate(SETTINGS)
    with open_store(path, create=True) as store:
        load_company(store, engine_company)
        review = run_review(store, settings, AS_OF)
        c_customer = store.con.execute(
            "SELECT min(customer_id) FROM review_customers WHERE review_id = ? AND abc_class = 'C'",
            [review.review_id],
        ).fetchone()[0]
        set_override(store, settings, c_customer, "abc_class", "A", reason=OVERRIDDEN,
                     by="Test", until=date(2026, 7, 10), now=datetime(2026, 6, 1))  # fmt: skip
    return path, review.review_id, c_customer


@pytest.fixture(scope="module")
def lake_inputs(spark, engine_parquet):
    """The dynamics' input tables on Spark, with the optional surveys."""
    return open_inputs("spark", source=engine_parquet, session=spark, optional=("surveys",))


def _rows(table, money):
    """The rows with the money rounded to the cent (float sums differ in the last bits)."""
    return [{k: round(v, 2) if k in money else v for k, v in r.items()} for r in table.to_pylist()]


def test_analyse_on_spark_inputs_equals_the_store(reviewed_db, lake_inputs):
    path, review_id, c_customer = reviewed_db
    settings = Settings.model_validate(SETTINGS)
    with open_store(path) as store:
        local = analyse(store, settings, AS_OF, review_id)
        on_spark = analyse(store, settings, AS_OF, review_id, inputs=lake_inputs)
    assert on_spark.series.n == local.series.n == 200
    assert list(on_spark.trajectories.type) == list(local.trajectories.type)
    assert len(set(local.trajectories.type)) >= 4  # not one type for everybody
    for a, b in (
        (local.trajectories.confidence, on_spark.trajectories.confidence),
        (local.phases.p_alive, on_spark.phases.p_alive),  # the forecast's summary on Spark
    ):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-9, equal_nan=True)
    assert np.isfinite(local.phases.p_alive).sum() > 150
    assert list(on_spark.phases.phase) == list(local.phases.phase)
    assert on_spark.skipped == local.skipped == {}
    assert _rows(on_spark.alerts, {"stake"}) == _rows(local.alerts, {"stake"})
    assert _rows(on_spark.actions, {"stake"}) == _rows(local.actions, {"stake"})
    # Alerts from the series (silence, Klette), the activities (service) and the store's
    # override, with the override's class in the review; the surveys read from the lake as
    # from the store.
    codes = set(local.alerts["alert"].to_pylist())
    assert {"top_silent", "klette", "yearly_check_missed", "override_expiring"} <= codes, codes
    for a, b in zip(local.signals.surveys, on_spark.signals.surveys, strict=True):
        np.testing.assert_array_equal(b, a)
    assert np.isfinite(local.signals.surveys[0]).sum() == 33  # the customers who answered
    expiring = [r for r in on_spark.alerts.to_pylist() if r["alert"] == "override_expiring"]
    assert [r["customer_id"] for r in expiring] == [c_customer]
    assert OVERRIDDEN in expiring[0]["reason"]
    pos = on_spark.series.customer_id.to_pylist().index(c_customer)
    assert on_spark.signals.abc_class[pos] == "A"


def test_surveys_are_optional_in_the_lake(spark, engine_parquet):
    """A lake without surveys: the survey alert is not checked (as in a store without them)."""
    inputs = open_inputs(
        "spark",
        source=engine_parquet,
        session=spark,
        tables=("activities",),
        optional=("surveys", "survey_answers"),  # the demo lake has the first, not the second
    )
    assert inputs.tables == ("activities", "surveys")
    no = np.zeros(1, bool)
    ctx = ReviewContext(1, no, no, no, np.full(1, np.nan), no, no)
    assert skipped_rules(inputs, ctx) == {}
    inputs.tables = ("activities",)
    assert skipped_rules(inputs, ctx) == {"satisfaction_falling": "no_surveys"}


def test_alerts_command_on_spark_equals_the_store(reviewed_db, spark, engine_parquet, capsys):
    path, _, _ = reviewed_db
    answers = []
    for engine in ((), ("--engine", "spark", "--source", str(engine_parquet))):
        with pytest.raises(SystemExit) as exit_info:
            main(["alerts", "--as-of", AS_OF.isoformat(), "--db", str(path), "--json", *engine])
        assert exit_info.value.code in (0, None)
        answers.append(json.loads(capsys.readouterr().out))
    local, on_spark = ([{**r, "stake": round(r["stake"], 2)} for r in answer] for answer in answers)
    assert on_spark == local and len(local) > 20
