"""The dynamics' monthly series on local Spark equal DuckDB's, to the cent."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kundenwert.dynamics.series import (
    activity_months,
    customer_facts,
    history_months,
    invoice_months,
    monthly_series,
)
from kundenwert.engine import java_available
from kundenwert.settings import Settings

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 6, 30)
START = date(2023, 7, 1)


def _rows(inputs, expr, keys):
    table = inputs.to_pyarrow(expr)
    return table.sort_by([(k, "ascending") for k in keys])


def _same_table(duck, spark, keys):
    assert duck.column_names == spark.column_names
    assert duck.num_rows == spark.num_rows > 0
    for name in duck.column_names:
        a = duck[name].to_pylist()
        b = spark[name].to_pylist()
        if name in keys or not isinstance(next((v for v in a if v is not None), ""), float):
            assert a == b, name
        else:
            np.testing.assert_allclose(
                np.array(a, dtype="float64"), np.array(b, dtype="float64"), rtol=0, atol=1e-6
            )


def test_history_months_is_the_same(duck_inputs, spark_inputs):
    duck = history_months(duck_inputs, 48, AS_OF)
    assert duck == history_months(spark_inputs, 48, AS_OF)
    assert duck == 36  # three demo years, July 2023 to June 2026
    assert history_months(spark_inputs, 24, AS_OF) == 24


def test_month_aggregates_are_the_same(duck_inputs, spark_inputs):
    keys = ["customer_id", "m"]
    for make in (
        lambda b: invoice_months(b, START, AS_OF),
        lambda b: activity_months(b, START, AS_OF, 80.0),
    ):
        duck = _rows(duck_inputs, make(duck_inputs), keys)
        spark = _rows(spark_inputs, make(spark_inputs), keys)
        _same_table(duck, spark, keys)
    duck, spark = (i.to_pyarrow(customer_facts(i, AS_OF)) for i in (duck_inputs, spark_inputs))
    assert duck.to_pylist() == spark.to_pylist()  # ordered by customer_id by the query


def test_monthly_series_matrix_is_the_same(duck_inputs, spark_inputs):
    settings = Settings()
    duck = monthly_series(duck_inputs, settings, AS_OF)
    spark = monthly_series(spark_inputs, settings, AS_OF)
    assert duck.customer_id.equals(spark.customer_id)
    assert duck.months == spark.months == 36
    for name in ("tenure_months", "silent_days", "lines", "activities", "invoices"):
        np.testing.assert_array_equal(getattr(duck, name), getattr(spark, name), err_msg=name)
    for name in ("revenue", "margin_3", "margin_2", "margin_2_12m"):
        np.testing.assert_allclose(
            getattr(duck, name), getattr(spark, name), rtol=0, atol=1e-6, err_msg=name
        )
    assert duck.revenue.sum() > 1e6 and (duck.activities > 0).any()
