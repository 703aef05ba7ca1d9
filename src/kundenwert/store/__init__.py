"""Storage: one DuckDB database file (embedded, the default) with a versioned schema."""

from kundenwert.store.database import Store, open_store

__all__ = ["Store", "open_store"]
