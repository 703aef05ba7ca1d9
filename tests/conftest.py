from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from kundenwert.store import open_store

# Every run (CI, a fresh clone) tries the same examples, so that a property test fails on a
# change of the code and not on a lucky draw; HYPOTHESIS_PROFILE=explore draws anew.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def store(tmp_path):
    """A fresh database file in a temporary folder."""
    s = open_store(tmp_path / "test.duckdb", create=True)
    yield s
    s.close()
