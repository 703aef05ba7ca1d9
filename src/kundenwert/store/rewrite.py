"""Rewriting the database file, so that deleted data is gone from its free space too.

DuckDB reuses the blocks of deleted or overwritten rows but does not clear them: after a
``CHECKPOINT`` an erased name can still be read in the file's free blocks (checked by
tests/contacts/test_erase.py). Copying the database into a new file (``COPY FROM DATABASE``
keeps tables, sequences and their values) and replacing the old file leaves only live data.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb

from kundenwert.store.database import Store
from kundenwert.store.queries import scalar

_FRESH = "kw_fresh"


def rewrite_file(store: Store) -> int | None:
    """Replace the store's file by a compact copy; returns the new size in bytes.

    The store's connection is reopened on the new file (other cursors of the old connection
    become invalid, so this is for commands that hold the database alone). In memory: None.
    """
    if store.path is None:
        return None
    path = Path(store.path)
    con = store.con
    con.execute("CHECKPOINT")
    fresh = path.with_name(path.name + ".rewrite")
    for leftover in (fresh, Path(f"{fresh}.wal")):
        leftover.unlink(missing_ok=True)
    name = scalar(con, "SELECT current_database()")
    con.execute(f"ATTACH '{_sql_text(str(fresh))}' AS {_FRESH}")
    try:
        con.execute(f'COPY FROM DATABASE "{name}" TO {_FRESH}')
    finally:
        con.execute(f"DETACH {_FRESH}")
    con.close()
    os.replace(fresh, path)
    with contextlib.suppress(FileNotFoundError):
        Path(f"{path}.wal").unlink()
    store.con = duckdb.connect(str(path))
    store._ibis = None
    return path.stat().st_size


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
