"""Where the analytics run: the local store (DuckDB) or Spark, both through Ibis.

:func:`open_inputs` gives an Ibis backend holding the input tables (invoices, customers,
activities, and for the review installed_base and ratings); the forecast's summary, the
dynamics' monthly series and the review's raw figures per customer are Ibis expressions and
run on either (docs/scale.md). Importing this package loads neither Ibis nor pyspark.
"""

from __future__ import annotations

from kundenwert.engine.config import SparkSettings
from kundenwert.engine.inputs import ENGINES, INPUT_TABLES, Inputs, open_inputs, to_arrow
from kundenwert.engine.session import (
    JavaMissingError,
    SparkMissingError,
    java_available,
    spark_session,
)

__all__ = [
    "ENGINES",
    "INPUT_TABLES",
    "Inputs",
    "JavaMissingError",
    "SparkMissingError",
    "SparkSettings",
    "java_available",
    "open_inputs",
    "spark_session",
    "to_arrow",
]
