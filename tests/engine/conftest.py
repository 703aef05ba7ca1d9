"""One small demo company, in a store (DuckDB) and as Parquet files, and one local Spark
session for all Spark tests (started once: it takes half a minute)."""

from __future__ import annotations

import pytest
from engine_helpers import load_company

from kundenwert.demo import generate, write
from kundenwert.engine import (
    INPUT_TABLES,
    SparkSettings,
    java_available,
    open_inputs,
    spark_session,
)
from kundenwert.store import open_store

CUSTOMERS, YEARS, SEED = 200, 3, 5


@pytest.fixture(scope="session")
def engine_company():
    return generate(CUSTOMERS, YEARS, SEED)


@pytest.fixture(scope="session")
def engine_store(tmp_path_factory, engine_company):
    """The demo company in a local store (as the importer would leave it, batch 0)."""
    store = open_store(tmp_path_factory.mktemp("engine") / "demo.duckdb", create=True)
    load_company(store, engine_company)
    yield store
    store.close()


@pytest.fixture(scope="session")
def engine_parquet(tmp_path_factory, engine_company):
    """The same company as Parquet files (invoices.parquet, ...): a data lake in small."""
    folder = tmp_path_factory.mktemp("lake")
    write(engine_company, folder, "parquet")
    return folder


@pytest.fixture(scope="session")
def spark():
    if not java_available():
        pytest.skip("Java fehlt: keine lokale Spark-Sitzung möglich")
    session = spark_session(SparkSettings(master="local[2]", shuffle_partitions=4))
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duck_inputs(engine_store):
    return open_inputs("duckdb", store=engine_store)


@pytest.fixture(scope="session")
def spark_inputs(spark, engine_parquet):
    """The analytics' input tables plus the two more the review reads."""
    tables = (*INPUT_TABLES, "installed_base", "ratings")
    return open_inputs("spark", source=engine_parquet, session=spark, tables=tables)
