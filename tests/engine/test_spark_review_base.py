"""The review's window aggregates (raw figures per customer, margins, quantile caps) on local
Spark equal DuckDB's, to the cent: the Ibis part of the review before it is materialised."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kundenwert.engine import java_available
from kundenwert.review.inputs import base_table
from kundenwert.review.margins import with_margins
from kundenwert.review.period import window_start
from kundenwert.review.score import money_caps
from kundenwert.settings import Settings

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 6, 30)


def test_review_base_is_the_same_on_spark(duck_inputs, spark_inputs):
    cfg = Settings().review
    start = window_start(AS_OF, 12)

    def run(inputs):
        t = with_margins(base_table(inputs, cfg, start, AS_OF))
        return inputs.to_pyarrow(t).sort_by("customer_id"), money_caps(inputs, t, cfg)

    (duck, duck_caps), (spark, spark_caps) = run(duck_inputs), run(spark_inputs)
    assert duck.column_names == spark.column_names
    assert duck.num_rows == spark.num_rows == 200
    for name in duck.column_names:
        a, b = duck[name].to_pylist(), spark[name].to_pylist()
        if duck.schema.field(name).type.equals(spark.schema.field(name).type) and not isinstance(
            next((v for v in a if v is not None), None), float
        ):
            assert a == b, name  # keys, texts, counts and exact decimal money
        else:
            x, y = (np.array(v, dtype="float64") for v in (a, b))
            np.testing.assert_allclose(x, y, rtol=0, atol=1e-6, err_msg=name)
    assert sum(duck["revenue"].to_pylist()) > 1_000_000
    assert duck_caps.keys() == spark_caps.keys() and duck_caps
    for name, cap in duck_caps.items():
        assert spark_caps[name] == pytest.approx(cap, rel=1e-12), name
