"""Every stored row belongs to a recorded import batch: checking it, and repairing a kill.

An import records its batch as ``running`` (committed on its own) before it writes a row, and
marks it ``done`` in the transaction that stores the rows. DuckDB does not always undo a
transaction whose commit was cut short: on a kill while the commit writes its log, replay
keeps the row groups a large insert had already written to the file but drops the small
inserts of the same transaction (DuckDB 1.5.6; see docs/architecture.md). A ``running`` batch
found when the database is opened for writing is therefore a dead import (DuckDB lets one
process write a file, and this process's own imports are known): its rows are removed.
Rows whose batch is not recorded at all (left by kundenwert versions before this check) are
reported with table, batch and count; :func:`remove_orphans` removes them on request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kundenwert.i18n import format_number

if TYPE_CHECKING:
    from kundenwert.store.database import Store

RUNNING, DONE = "running", "done"
_active: set[int] = set()  # batch ids being imported by this process
_lock = threading.Lock()


@dataclass(frozen=True)
class Orphans:
    """Rows of ``table`` whose ``batch_id`` is not a finished import batch."""

    table: str
    batch_id: int
    rows: int

    @property
    def message(self) -> str:
        return (
            f"Tabelle {self.table}: {format_number(self.rows)} Zeilen gehören zu Import "
            f"Nr. {self.batch_id}, der nicht verzeichnet ist (ein abgebrochener Import)."
        )

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "message": self.message}


ORPHANS_HINT = (
    "Entfernen Sie diese Zeilen mit 'kundenwert repair' und importieren Sie die Datei erneut."
)


def begin_import(batch_id: int) -> None:
    with _lock:
        _active.add(batch_id)


def end_import(batch_id: int) -> None:
    with _lock:
        _active.discard(batch_id)


def batch_tables(store: Store) -> list[str]:
    """The tables whose rows carry the batch that stored them."""
    rows = store.con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE column_name = 'batch_id' "
        "AND database_name = current_database() AND schema_name = 'main' AND NOT internal "
        "AND table_name <> 'import_batches' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def orphans(store: Store) -> list[Orphans]:
    """Rows per table and batch whose batch is not recorded as finished."""
    found = []
    for table in batch_tables(store):
        rows = store.con.execute(
            f'SELECT batch_id, count(*) FROM "{table}" WHERE batch_id NOT IN '
            "(SELECT batch_id FROM import_batches WHERE state = 'done') "
            "GROUP BY batch_id ORDER BY batch_id"
        ).fetchall()
        found += [Orphans(table, int(b), int(n)) for b, n in rows if int(b) not in _active]
    return found


def remove_interrupted(store: Store) -> list[Orphans]:
    """Remove batches left ``running`` by a killed import, with their rows; returns the rows."""
    con = store.con
    with _lock:
        dead = [
            int(r[0])
            # The state inline, not as a parameter: binding any parameter makes DuckDB's Python
            # client import pandas (0.3-1 s), and every command opening the store runs this.
            for r in con.execute(
                f"SELECT batch_id FROM import_batches WHERE state = '{RUNNING}' ORDER BY batch_id"
            ).fetchall()
            if int(r[0]) not in _active
        ]
    if not dead:
        return []
    removed = [o for o in orphans(store) if o.batch_id in dead]
    _delete(store, dead)
    return removed


def remove_orphans(store: Store) -> list[Orphans]:
    """Remove every row whose batch is not a finished import (``kundenwert repair``)."""
    found = orphans(store)
    _delete(store, sorted({o.batch_id for o in found}))
    return found


def _delete(store: Store, batch_ids: list[int]) -> None:
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table in batch_tables(store):
            con.execute(f'DELETE FROM "{table}" WHERE list_contains(?, batch_id)', [batch_ids])
        con.execute(
            "DELETE FROM import_batches WHERE list_contains(?, batch_id) AND state <> ?",
            [batch_ids, DONE],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
