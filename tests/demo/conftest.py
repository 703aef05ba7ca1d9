"""Shared small demo companies (generated once per test session: generation is pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kundenwert.demo import DemoCompany, generate, write

SEED = 7
CUSTOMERS = 4000


@pytest.fixture(scope="session")
def company() -> DemoCompany:
    return generate(customers=CUSTOMERS, years=3, seed=SEED)


@pytest.fixture(scope="session")
def csv_dir(company: DemoCompany, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-csv")
    write(company, out, format="csv")
    return out


@pytest.fixture(scope="session")
def parquet_dir(company: DemoCompany, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-parquet")
    write(company, out, format="parquet")
    return out
