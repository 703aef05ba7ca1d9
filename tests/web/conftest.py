"""Fixtures of the web tests: a built company database, the app, logged-in clients."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient
from web_helpers import FrozenClock, build_company, login

from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store
from kundenwert.web import create_app


@pytest.fixture(scope="session")
def company(tmp_path_factory):
    """The company database, built once; each test works on a copy."""
    path = tmp_path_factory.mktemp("company") / "template.duckdb"
    with open_store(path, create=True) as store:
        tokens = build_company(store)
    return path, tokens


@pytest.fixture
def tokens(company):
    return company[1]


@pytest.fixture
def web_store(company, tmp_path):
    path = tmp_path / "web.duckdb"
    shutil.copy(company[0], path)
    store = open_store(path)
    yield store
    store.close()


@pytest.fixture
def app(web_store):
    app = create_app(web_store, settings_from_dict({"web": {"login_attempts": 3}}))
    app.state.kw.limiter.clock = FrozenClock()
    yield app
    # Background work (reviews, dynamics) must end before the database closes.
    app.state.kw.shutdown()


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def as_user(app):
    """A logged-in browser-like client for a user name: as_user("chef")."""
    clients = []

    def make(name: str) -> TestClient:
        c = TestClient(app)
        response = login(c, name)
        assert response.status_code == 200, response.text
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def api(app, tokens):
    """An API client authenticated with a user's token: api("anna").get(...)."""
    clients = []

    def make(name: str) -> TestClient:
        c = TestClient(app, headers={"Authorization": f"Bearer {tokens[name]}"})
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
