"""The review per business unit with its invoice lines aggregated on local Spark stores the
same per-unit rows as the review computed in the store alone."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pyarrow as pa
import pytest

import kundenwert.review.compute as compute_module
from kundenwert.demo import write
from kundenwert.engine import INPUT_TABLES, java_available, open_inputs, to_arrow
from kundenwert.review import run_review
from kundenwert.review.units import UNIT_COLUMNS
from kundenwert.settings import Settings
from kundenwert.store import open_store

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)

AS_OF = date(2026, 6, 30)
UNITS = {"Werkzeugmaschinen", "Messtechnik", "Service & Teile"}  # the demo company's


def _without_units(company):
    """The demo company with lines that name no unit (every 7th NULL, every 11th empty: they
    count for the customer's unit) and its two customers with the most lines without a unit
    (one NULL, one empty: their lines without one count for "no unit", "")."""

    def with_units(table: pa.Table, units: list[str | None]) -> pa.Table:
        i = table.schema.get_field_index("business_unit")
        return table.set_column(i, table.schema.field(i), pa.array(units, pa.string()))

    lines = company.invoices["business_unit"].to_pylist()
    lines = [None if i % 7 == 0 else "" if i % 11 == 0 else u for i, u in enumerate(lines)]
    counts = company.invoices.group_by("customer_id").aggregate([("customer_id", "count")])
    busiest = counts.sort_by([("customer_id_count", "descending"), ("customer_id", "ascending")])
    none, empty = busiest["customer_id"].to_pylist()[:2]
    customers = [
        None if c == none else "" if c == empty else u
        for c, u in zip(
            company.customers["customer_id"].to_pylist(),
            company.customers["business_unit"].to_pylist(),
            strict=True,
        )
    ]
    return replace(
        company,
        invoices=with_units(company.invoices, lines),
        customers=with_units(company.customers, customers),
    )


@pytest.fixture(scope="module")
def lake_and_store(engine_company, spark, tmp_path_factory):
    """That company in a store and as Parquet files, on a Spark session of its own (its input
    views must not replace those of the other Spark tests, which share the session)."""
    company = _without_units(engine_company)
    folder = tmp_path_factory.mktemp("units-lake")
    write(company, folder, "parquet")
    store = open_store(tmp_path_factory.mktemp("units") / "units.duckdb", create=True)
    for name, table in company.tables.items():
        store.con.register("_kw_src", table)
        cols = ", ".join(table.column_names)
        store.con.execute(f"INSERT INTO {name} ({cols}, batch_id) SELECT {cols}, 0 FROM _kw_src")
        store.con.unregister("_kw_src")
    session = spark.newSession()
    for key in ("spark.sql.shuffle.partitions", "spark.sql.execution.arrow.pyspark.enabled"):
        session.conf.set(key, spark.conf.get(key))
    tables = (*INPUT_TABLES, "installed_base", "ratings")
    yield open_inputs("spark", source=folder, session=session, tables=tables), store
    store.close()


def _units(store, review_id):
    cols = ", ".join(UNIT_COLUMNS)
    sql = f"SELECT {cols} FROM review_units WHERE review_id = ? ORDER BY customer_id, business_unit"
    return store.con.execute(sql, [review_id]).to_arrow_table()


def _unit_lines(store, start):
    """Per unit, revenue and customers of the window's lines, summed here by hand: a line's
    own unit, else its customer's, else none ("")."""
    sql = """
        SELECT coalesce(nullif(i.business_unit, ''), nullif(c.business_unit, ''), '') AS unit,
               sum(i.amount), count(DISTINCT i.customer_id)
        FROM invoices i JOIN customers c USING (customer_id)
        WHERE i.date BETWEEN ? AND ? AND (c.customer_since IS NULL OR c.customer_since <= ?)
        GROUP BY 1
    """
    rows = store.con.execute(sql, [start, AS_OF, AS_OF]).fetchall()
    return {unit: (revenue, customers) for unit, revenue, customers in rows}


def test_units_on_spark_store_the_same_rows(lake_and_store, monkeypatch):
    spark_inputs, store = lake_and_store
    settings = Settings()
    assert settings.review.units.enabled  # on by default
    local = run_review(store, settings, AS_OF)
    collected = []  # what comes from Spark: the raw figures, then the figures per unit

    def collect(expr):
        collected.append(to_arrow(expr))
        return collected[-1]

    monkeypatch.setattr(compute_module, "to_arrow", collect)
    on_spark = run_review(store, settings, AS_OF, inputs=spark_inputs)
    lines = _unit_lines(store, on_spark.window_start)
    assert [t.num_rows for t in collected] == [200, sum(n for _, n in lines.values())]
    assert on_spark.units == local.units
    assert set(local.units) == set(lines) == {*UNITS, ""}
    assert sum(local.units.values()) > 250  # customers served by several units

    a, b = _units(store, local.review_id), _units(store, on_spark.review_id)
    assert a.schema.equals(b.schema) and a.num_rows == sum(local.units.values())
    for name in UNIT_COLUMNS:
        x, y = a[name].to_pylist(), b[name].to_pylist()
        if pa.types.is_floating(a.schema.field(name).type) or name == "contribution":
            x, y = (np.array(v, dtype="float64") for v in (x, y))
            np.testing.assert_allclose(x, y, rtol=0, atol=1e-9, equal_nan=True, err_msg=name)
        else:  # keys, classes, flags and the exact decimal money
            assert x == y, name

    # The revenue per unit is the window's lines of that unit, to the cent.
    revenue = {}
    for unit, money in zip(b["business_unit"].to_pylist(), b["revenue"].to_pylist(), strict=True):
        revenue[unit] = revenue.get(unit, 0) + money
    assert revenue == {unit: money for unit, (money, _) in lines.items()}
    # Classes and quadrants within the units are not trivially equal: several of each.
    assert len(set(b["abc_class"].to_pylist())) == 3
    assert len(set(b["quadrant"].to_pylist())) >= 3
    splits = [
        json.loads(
            store.con.execute("SELECT splits FROM reviews WHERE review_id = ?", [r]).fetchone()[0]
        )["units"]
        for r in (local.review_id, on_spark.review_id)
    ]
    assert splits[0].keys() == splits[1].keys() == {*UNITS, ""}
    for unit, stats in splits[0].items():
        assert stats["caps"] == pytest.approx(splits[1][unit]["caps"], rel=1e-12), unit
