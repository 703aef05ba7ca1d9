from __future__ import annotations

from datetime import date

import pytest
from dynamics_helpers import load_tables

from kundenwert.demo import generate
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import open_store


@pytest.fixture(scope="session")
def demo_company():
    return generate(3000, 3, 11)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, demo_company):
    """The demo company with two reviews, a year apart."""
    s = open_store(tmp_path_factory.mktemp("demo") / "demo.duckdb", create=True)
    load_tables(s, demo_company.tables)
    run_review(s, Settings(), date(2025, 6, 30))
    run_review(s, Settings(), date(2026, 6, 30))
    yield s
    s.close()
