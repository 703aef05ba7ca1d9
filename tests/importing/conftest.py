from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import CUSTOMERS_DE, write_text

from kundenwert.importing import import_path
from kundenwert.settings import Settings, settings_from_dict


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "export"
    d.mkdir()
    return d


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return tmp_path / "reports"


@pytest.fixture
def run_import(store, reports):
    """Import a path into the test store; returns the ImportRun."""

    def _run(path: Path, settings: Settings | dict | None = None, **kw):
        if isinstance(settings, dict):
            settings = settings_from_dict(settings)
        return import_path(store, path, settings or Settings(), report_dir=reports, **kw)

    return _run


@pytest.fixture
def with_customers(store, folder, run_import):
    """The store with three customers K1..K3 imported from a cp1252 German CSV."""
    path = write_text(folder / "customers.csv", CUSTOMERS_DE, "cp1252")
    run = run_import(path)
    assert run.exit_code == 0
    path.unlink()
    return store
