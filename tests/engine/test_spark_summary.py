"""The forecast's per-customer summary and gaps on local Spark equal DuckDB's, to the cent."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from kundenwert.engine import java_available
from kundenwert.forecast.gaps import with_gaps
from kundenwert.forecast.summary import calibration_holdout, summary

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 3, 31)


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by("customer_id")


def _same(duck: pa.Table, spark: pa.Table) -> None:
    duck, spark = _sorted(duck), _sorted(spark)
    assert duck.column_names == spark.column_names
    assert duck.num_rows == spark.num_rows > 100
    assert duck["customer_id"].to_pylist() == spark["customer_id"].to_pylist()
    for name in duck.column_names[1:]:
        a = duck[name].to_numpy(zero_copy_only=False).astype("float64")
        b = spark[name].to_numpy(zero_copy_only=False).astype("float64")
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=name)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6, equal_nan=True, err_msg=name)


@pytest.mark.parametrize("unit", ["day", "week"])
def test_summary_with_gaps_is_the_same_on_spark(duck_inputs, spark_inputs, unit):
    def run(inputs):
        inv = inputs.table("invoices")
        return inputs.to_pyarrow(with_gaps(summary(inv, AS_OF, unit), inv, AS_OF, unit))

    duck, spark = run(duck_inputs), run(spark_inputs)
    _same(duck, spark)
    # Not a trivial agreement: repeat buyers with money and gaps.
    assert (duck["frequency"].to_numpy() > 0).sum() > 50
    assert np.nansum(duck["monetary_value"].to_numpy()) > 0


def test_calibration_holdout_is_the_same_on_spark(duck_inputs, spark_inputs):
    from kundenwert.forecast.config import Duration

    def run(inputs):
        expr = calibration_holdout(inputs.table("invoices"), AS_OF, Duration(91), "week")
        return inputs.to_pyarrow(expr)

    duck, spark = run(duck_inputs), run(spark_inputs)
    _same(duck, spark)
    assert duck["holdout_frequency"].to_numpy().sum() > 0
