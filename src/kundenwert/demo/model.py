"""The generated company: typed Arrow tables that follow :mod:`kundenwert.schema`."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pyarrow as pa

from kundenwert.demo.arrays import MONEY
from kundenwert.schema import TABLES

#: Arrow type of each logical column type (Parquet keeps these types).
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int32(),
    "decimal": MONEY,
    "number": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
TRAJECTORIES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")
PHASES = ("new", "growing", "established", "declining", "lost", "won_back")

#: The answer key: what the generator meant for each customer. Never part of the inputs.
GROUND_TRUTH_SCHEMA = pa.schema(
    [
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("trajectory", pa.string(), nullable=False),
        pa.field("phase", pa.string(), nullable=False),
        pa.field("customer_since", pa.date32(), nullable=False),
        pa.field("buying_from", pa.date32()),  # first month of buying when new in the window
        pa.field("lost_on", pa.date32()),  # first month without buying when lost
        pa.field("won_back_on", pa.date32()),  # first month of buying again when won back
        pa.field("cycle_months", pa.int32()),  # period of the swings of cyclical customers
        pa.field("size_factor", pa.float64(), nullable=False),
        pa.field("invoice_lines", pa.int64(), nullable=False),
        pa.field("first_invoice", pa.date32()),
        pa.field("last_invoice", pa.date32()),
        pa.field("revenue", MONEY, nullable=False),
        pa.field("margin_ii", MONEY, nullable=False),
        pa.field("care_cost", MONEY, nullable=False),
    ]
)


def arrow_schema(table_name: str) -> pa.Schema:
    """The Arrow schema of an input table, derived from :mod:`kundenwert.schema`."""
    table = TABLES[table_name]
    return pa.schema(
        [pa.field(c.name, ARROW_TYPES[c.type], nullable=not c.required) for c in table.columns]
    )


@dataclass
class DemoCompany:
    """The input tables of the demo company (eight) plus the generator's ground truth."""

    customers: pa.Table
    contacts: pa.Table
    invoices: pa.Table
    installed_base: pa.Table
    activities: pa.Table
    ratings: pa.Table
    surveys: pa.Table
    survey_dimensions: pa.Table
    ground_truth: pa.Table

    @property
    def tables(self) -> dict[str, pa.Table]:
        """The input tables by name, in import order (ground truth excluded)."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    @classmethod
    def concat(cls, parts: list[DemoCompany]) -> DemoCompany:
        names = [f.name for f in fields(cls)]
        merged = {n: pa.concat_tables([getattr(p, n) for p in parts]) for n in names}
        return cls(**{n: t.combine_chunks() for n, t in merged.items()})


def make_table(table_name: str, columns: dict[str, pa.Array]) -> pa.Table:
    """A table in schema order and types; fails loudly if a column is missing or mistyped."""
    schema = arrow_schema(table_name)
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
