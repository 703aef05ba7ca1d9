"""Filling a store with the demo company, for the engine tests' fixtures."""

from __future__ import annotations

from kundenwert.demo.model import DemoCompany


def load_company(store, company: DemoCompany) -> None:
    """The company's input tables into the store, as the importer would leave them (batch 0)."""
    for name, table in company.tables.items():
        store.con.register("_kw_src", table)
        cols = ", ".join(table.column_names)
        store.con.execute(f"INSERT INTO {name} ({cols}, batch_id) SELECT {cols}, 0 FROM _kw_src")
        store.con.unregister("_kw_src")
