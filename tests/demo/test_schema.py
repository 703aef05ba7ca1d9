"""The generated tables follow kundenwert.schema exactly, in memory and as Parquet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kundenwert.demo import DEFAULT_END, DemoCompany
from kundenwert.demo.model import ARROW_TYPES
from kundenwert.schema import TABLES

TABLE_NAMES = list(TABLES)


def _assert_conforms(table: pa.Table, name: str) -> None:
    spec = TABLES[name]
    assert tuple(table.column_names) == spec.column_names
    for col in spec.columns:
        assert table.schema.field(col.name).type == ARROW_TYPES[col.type], col.name
        values = table.column(col.name)
        if col.required:
            assert values.null_count == 0, f"{name}.{col.name} has nulls"
        if col.choices is not None:
            seen = set(pc.unique(values.drop_null()).to_pylist())
            assert seen <= set(col.choices), f"{name}.{col.name}: {seen - set(col.choices)}"
        if col.minimum is not None and len(values.drop_null()):
            assert float(pc.min(values).as_py()) >= col.minimum, col.name
        if col.maximum is not None and len(values.drop_null()):
            assert float(pc.max(values).as_py()) <= col.maximum, col.name


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_in_memory_tables_conform(company: DemoCompany, name: str) -> None:
    table = company.tables[name]
    assert table.num_rows > 0
    _assert_conforms(table, name)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_parquet_files_conform(company: DemoCompany, parquet_dir: Path, name: str) -> None:
    table = pq.read_table(parquet_dir / f"{name}.parquet")
    _assert_conforms(table, name)
    assert table.equals(company.tables[name])


def test_all_invoice_categories_and_activity_kinds_occur(company: DemoCompany) -> None:
    for name, column in (("invoices", "category"), ("activities", "kind")):
        seen = set(pc.unique(company.tables[name].column(column)).to_pylist())
        assert seen == set(TABLES[name].column(column).choices or ())


def test_responses_never_before_requests(company: DemoCompany) -> None:
    act = company.activities
    both = pc.and_(pc.is_valid(act["requested_at"]), pc.is_valid(act["responded_at"]))
    asked = act.filter(both)
    assert asked.num_rows > 0
    assert pc.all(pc.greater_equal(asked["responded_at"], asked["requested_at"])).as_py()
    # Requested and responded are either both given or both missing.
    assert act["requested_at"].null_count == act["responded_at"].null_count


def test_ratings_use_the_six_indicators_on_0_to_10(company: DemoCompany) -> None:
    ratings = company.ratings
    assert set(pc.unique(ratings["indicator"]).to_pylist()) == {
        "reference_value",
        "relationship_quality",
        "strategic_importance",
        "new_business_potential",
        "service_potential",
        "competitive_intensity",
    }
    assert pc.min(ratings["value"]).as_py() >= 0
    assert pc.max(ratings["value"]).as_py() <= 10


def test_money_is_rounded_to_cents(company: DemoCompany) -> None:
    for name, column in (("invoices", "amount"), ("invoices", "cost"), ("activities", "cost")):
        values = company.tables[name][column]
        cents = pc.multiply(pc.cast(values, pa.float64()), 100)
        assert pc.max(pc.abs(pc.subtract(cents, pc.round(cents)))).as_py() < 1e-6


def test_dates_lie_in_the_history_window(company: DemoCompany) -> None:
    start = date(2023, 7, 1)  # three years of whole months ending with June 2026
    for name in ("invoices", "activities", "ratings", "surveys"):
        dates = company.tables[name]["date"]
        assert pc.min(dates).as_py() >= start, name
        assert pc.max(dates).as_py() <= DEFAULT_END, name


def test_responses_fall_in_working_hours_inside_the_window(company: DemoCompany) -> None:
    responded = company.activities["responded_at"].drop_null()
    hours = pc.hour(responded).to_numpy()
    assert hours.min() >= 7 and hours.max() < 18
    assert pc.max(responded).as_py().date() <= DEFAULT_END


def test_relationships_start_before_the_first_invoice(company: DemoCompany) -> None:
    truth = company.ground_truth.filter(pc.is_valid(company.ground_truth["first_invoice"]))
    # Sizes are skewed: some small customers buy nothing in three years.
    assert truth.num_rows > 0.7 * company.customers.num_rows
    assert pc.all(pc.less_equal(truth["customer_since"], truth["first_invoice"])).as_py()
