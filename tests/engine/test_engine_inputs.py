"""Choosing the engine: the store's tables on DuckDB, and the errors before Spark starts."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from kundenwert.engine import JavaMissingError, SparkMissingError, open_inputs
from kundenwert.engine.session import require_java, require_pyspark
from kundenwert.errors import EngineError, InputError
from kundenwert.settings import Settings


def test_duckdb_inputs_are_the_store_tables(engine_store):
    inputs = open_inputs("duckdb", store=engine_store)
    invoices = inputs.table("invoices")
    assert {"customer_id", "date", "amount", "invoice_id"} <= set(invoices.columns)
    n = engine_store.con.execute("SELECT count(*) FROM invoices").fetchone()[0]
    assert inputs.to_pyarrow(invoices.count()).as_py() == n > 1000


def test_engine_and_source_are_checked(tmp_path):
    with pytest.raises(InputError, match="keiner geöffnet"):
        open_inputs("duckdb")
    with pytest.raises(InputError, match="Unbekannte Engine 'flink'"):
        open_inputs("flink")
    with pytest.raises(InputError, match="genau eine Quelle"):
        open_inputs("spark")
    with pytest.raises(InputError, match="genau eine Quelle"):
        open_inputs("spark", source=tmp_path, database="lake")
    (tmp_path / "invoices.parquet").write_bytes(b"")
    # Named before any Spark session starts: the first table missing in the folder.
    with pytest.raises(EngineError, match=r"fehlt die Tabelle customers \(customers.parquet\)"):
        open_inputs("spark", source=tmp_path)


def test_missing_java_and_pyspark_are_named(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(JavaMissingError, match="fehlt Java") as caught:
        require_java()
    assert caught.value.code == "java_missing" and "openjdk-17" in caught.value.hint
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SparkMissingError, match="fehlt das Paket pyspark"):
        require_pyspark()


def test_spark_settings_defaults():
    spark = Settings().spark
    assert spark.master == "local[2]" and spark.remote is None
    assert spark.shuffle_partitions == 8 and spark.conf == {}
    custom = Settings.model_validate({"spark": {"conf": {"spark.driver.memory": "4g"}}})
    assert custom.spark.conf == {"spark.driver.memory": "4g"}


def test_a_url_source_is_left_to_spark():
    from kundenwert.engine.inputs import _parquet_path

    assert _parquet_path("s3a://lake/sales/", "invoices") == "s3a://lake/sales/invoices.parquet"
