"""Opening the database and keeping its schema current.

Migrations are numbered SQL files in ``migrations/``; each is applied once, in order, inside a
transaction, and recorded in ``schema_migrations``. A database made by a newer kundenwert is
refused rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from kundenwert import __version__
from kundenwert.errors import DatabaseBusyError, DatabaseNotFoundError, StoreError
from kundenwert.store import consistency
from kundenwert.store.consistency import Orphans

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as IbisDuckDB

DEFAULT_DB = Path("kundenwert.duckdb")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All migrations shipped with this version, ordered by number."""
    found = []
    for entry in resources.files("kundenwert.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def latest_version() -> int:
    return migrations()[-1].version


class Store:
    """An open kundenwert database: a DuckDB connection with the current schema."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path
        self._ibis: IbisDuckDB | None = None
        #: Found when opened for writing: rows of killed imports removed, rows of no batch.
        self.repaired: list[Orphans] = []
        self.orphans: list[Orphans] = []

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def ibis(self) -> IbisDuckDB:
        """An Ibis backend on the same connection, for analytics as Ibis expressions."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    path: str | Path | None = DEFAULT_DB,
    *,
    create: bool = False,
    memory_limit: str | None = None,
    read_only: bool = False,
) -> Store:
    """Open (and migrate) the database at ``path``; ``None`` means in memory.

    A database file that does not exist is created only with ``create`` (``init``, ``import``
    and ``demo`` do that); otherwise :class:`DatabaseNotFoundError` is raised and nothing is
    written, so that a mistyped ``--db`` does not leave an empty database behind.
    """
    target = ":memory:" if path is None else str(path)
    if path is not None and not Path(path).exists():
        if not create:
            raise _not_found(Path(path))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusyError(
                f"Die Datenbank {target} ist von einem anderen Prozess geöffnet "
                "(die Datenbank erlaubt nur einen schreibenden Prozess).",
                hint="Beenden Sie den anderen Prozess (etwa `kundenwert serve`) oder nutzen "
                "Sie dessen Web-Oberfläche bzw. API.",
            ) from exc
        raise StoreError(
            f"Die Datenbank {target} lässt sich nicht öffnen: {exc}",
            hint="Prüfen Sie den Pfad (--db) und ob ein anderes Programm die Datei gerade benutzt.",
        ) from exc
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    store = Store(con, None if path is None else Path(path))
    if not read_only:
        migrate(store)
        store.repaired = consistency.remove_interrupted(store)
        store.orphans = consistency.orphans(store)
    return store


def _not_found(path: Path) -> DatabaseNotFoundError:
    return DatabaseNotFoundError(
        f"Die Datenbank {path} gibt es nicht.",
        hint=(
            "Prüfen Sie den Pfad (--db oder KUNDENWERT_DB). Eine neue Datenbank legen "
            "'kundenwert init' oder 'kundenwert import <Datei> --db <Pfad>' an."
        ),
        path=str(path),
    )


def migrate(store: Store) -> list[int]:
    """Apply pending migrations; returns the versions applied."""
    con = store.con
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL, kundenwert_version VARCHAR NOT NULL)"
    )
    current = store.schema_version
    known = migrations()
    if current > known[-1].version:
        raise StoreError(
            f"Die Datenbank hat Schema-Version {current}, diese kundenwert-Version kennt nur "
            f"bis {known[-1].version}.",
            hint="Installieren Sie eine neuere kundenwert-Version, um diese Datenbank zu öffnen.",
        )
    # Every migration not yet recorded is applied, in order, even one numbered below the
    # current version (migrations written on parallel branches may land out of order).
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in known:
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                [migration.version, migration.name, datetime.now(), __version__],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
