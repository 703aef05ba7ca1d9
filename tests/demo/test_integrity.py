"""Keys are unique and every customer reference points to an existing customer."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from kundenwert.demo import DemoCompany
from kundenwert.schema import TABLES


@pytest.mark.parametrize("name", list(TABLES))
def test_keys_are_unique(company: DemoCompany, name: str) -> None:
    table = company.tables[name]
    key = list(TABLES[name].key)
    groups = table.group_by(key).aggregate([])
    assert groups.num_rows == table.num_rows, f"duplicate {key} in {name}"


@pytest.mark.parametrize("name", [n for n, t in TABLES.items() if t.references])
def test_customer_references_exist(company: DemoCompany, name: str) -> None:
    known = company.customers["customer_id"]
    refs = company.tables[name]["customer_id"]
    assert pc.all(pc.is_in(refs, value_set=known)).as_py()


def test_ground_truth_covers_each_customer_once(company: DemoCompany) -> None:
    truth = company.ground_truth
    assert truth["customer_id"].to_pylist() == company.customers["customer_id"].to_pylist()


def test_ground_truth_is_not_inside_the_inputs(company: DemoCompany) -> None:
    for table in company.tables.values():
        assert "trajectory" not in table.column_names
        assert "phase" not in table.column_names


def test_invoice_lines_are_numbered_from_one(company: DemoCompany) -> None:
    inv = company.invoices
    first = inv.group_by("invoice_id").aggregate([("line_no", "min"), ("line_no", "max"),
                                                  ("line_no", "count")])  # fmt: skip
    assert pc.all(pc.equal(first["line_no_min"], 1)).as_py()
    assert pc.all(pc.equal(first["line_no_max"], first["line_no_count"])).as_py()


def test_each_invoice_belongs_to_one_customer_and_date(company: DemoCompany) -> None:
    inv = company.invoices
    per = inv.group_by("invoice_id").aggregate(
        [("customer_id", "count_distinct"), ("date", "count_distinct")]
    )
    assert pc.max(per["customer_id_count_distinct"]).as_py() == 1
    assert pc.max(per["date_count_distinct"]).as_py() == 1


def test_machine_sales_appear_in_the_installed_base(company: DemoCompany) -> None:
    sold = company.invoices.filter(pc.equal(company.invoices["category"], "machine"))
    assert sold.num_rows > 0
    base = company.installed_base
    new = base.filter(pc.greater_equal(base["installed_on"], sold["date"][0]))
    assert new.num_rows >= sold.num_rows
    # Every machine buyer has the machine in its installed base.
    assert pc.all(pc.is_in(sold["customer_id"], value_set=base["customer_id"])).as_py()
