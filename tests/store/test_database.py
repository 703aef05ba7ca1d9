from __future__ import annotations

import duckdb
import pytest

from kundenwert.errors import DatabaseNotFoundError, StoreError
from kundenwert.schema import TABLES
from kundenwert.store import open_store
from kundenwert.store.database import latest_version, migrations


def test_new_database_has_latest_schema(store):
    assert store.schema_version == latest_version()


def test_database_schema_matches_the_documented_data_model(store):
    for table in TABLES.values():
        rows = store.con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [table.name],
        ).fetchall()
        columns = {name: (dtype, nullable) for name, dtype, nullable in rows}
        for col in table.columns:
            assert col.name in columns, f"{table.name}.{col.name} missing in database"
            dtype, nullable = columns[col.name]
            assert dtype == col.sql_type, f"{table.name}.{col.name}: {dtype} != {col.sql_type}"
            if col.required:
                assert nullable == "NO", f"{table.name}.{col.name} should be NOT NULL"
        extra = set(columns) - set(table.column_names) - {"batch_id"}
        assert not extra, f"{table.name}: columns not in the data model: {extra}"


def test_a_missing_database_is_not_created_unless_asked(tmp_path):
    path = tmp_path / "sub" / "tippfehler.duckdb"
    with pytest.raises(DatabaseNotFoundError, match=r"tippfehler\.duckdb") as info:
        open_store(path)
    assert info.value.exit_code == 2 and "kundenwert init" in (info.value.hint or "")
    assert list(tmp_path.iterdir()) == []
    with open_store(path, create=True) as store:
        assert store.schema_version == latest_version()


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "k.duckdb"
    open_store(path, create=True).close()
    with open_store(path) as again:
        count = again.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        assert count == len(migrations())


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "k.duckdb"
    open_store(path, create=True).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (999, '0999_future.sql', now(), '9.9')")
    con.close()
    with pytest.raises(StoreError, match="999"):
        open_store(path)


def test_database_of_an_older_version_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    first = migrations()[0]
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL, kundenwert_version VARCHAR NOT NULL)"
    )
    con.execute(first.sql)
    con.execute("INSERT INTO schema_migrations VALUES (1, ?, now(), '0.0.1')", [first.name])
    con.execute("INSERT INTO customers (customer_id, name, batch_id) VALUES ('K1', 'Alt GmbH', 0)")
    con.close()
    with open_store(path) as store:
        assert store.schema_version == latest_version()
        assert store.con.execute("SELECT name FROM customers").fetchall() == [("Alt GmbH",)]


def test_a_migration_missing_below_the_current_version_is_applied(tmp_path):
    # As if migration 0003 had been written on a branch that landed after 0005.
    path = tmp_path / "gap.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL, kundenwert_version VARCHAR NOT NULL)"
    )
    for m in migrations():
        if m.version != 3:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now(), 'x')", [m.version, m.name]
            )
    con.close()
    with open_store(path) as store:
        versions = store.con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        assert [v for (v,) in versions] == [m.version for m in migrations()]
        columns = store.con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'review_customers' AND column_name = 'potential_source'"
        ).fetchall()
        assert columns == [("potential_source",)]
