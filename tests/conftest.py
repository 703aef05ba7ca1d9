from __future__ import annotations

import pytest

from kundenwert.store import open_store


@pytest.fixture
def store(tmp_path):
    """A fresh database file in a temporary folder."""
    s = open_store(tmp_path / "test.duckdb", create=True)
    yield s
    s.close()
