"""Issue 12: log-in throttling and password length, tried as an attacker would."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, FrozenClock, login

from kundenwert.cli import main
from kundenwert.errors import InputError
from kundenwert.settings import settings_from_dict
from kundenwert.store import open_store
from kundenwert.web import create_app
from kundenwert.web.throttle import LoginThrottle
from kundenwert.web.users import add_user, authenticate


def test_padding_the_name_with_spaces_gets_no_extra_tries(client):
    answers = [login(client, " " * i + "chef", "falsch").status_code for i in range(6)]
    assert answers == [401, 401, 401, 429, 429, 429]
    # Nor does the padded name let the throttled user in.
    assert login(client, "   chef", PASSWORD).status_code == 429


def test_throttled_answer_says_when_to_try_again(client):
    for _ in range(3):
        login(client, "chef", "falsch")
    response = login(client, "chef", PASSWORD)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert "warten" in response.text


def test_many_names_from_one_address_are_slowed_down(web_store):
    settings = settings_from_dict({"web": {"login_attempts_per_address": 4}})
    app = create_app(web_store, settings)
    app.state.kw.limiter.clock = FrozenClock()
    with TestClient(app) as c:
        answers = [login(c, name, "falsch").status_code for name in ("a", "b", "c", "d", "e")]
        assert answers == [401, 401, 401, 401, 429]
        assert login(c, "chef", PASSWORD).status_code == 429


def test_delays_grow_and_end_without_lock_out():
    clock = FrozenClock()
    throttle = LoginThrottle(attempts=2, per_address=100, max_delay=60, clock=clock)
    waits = []
    for _ in range(10):
        throttle.failed("chef", "1.2.3.4")
        waits.append(throttle.wait("chef", "1.2.3.4"))
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    clock.now += 60
    assert throttle.wait("chef", "1.2.3.4") == 0
    # Another address is slowed down for the same name, too.
    throttle.failed("chef", "1.2.3.4")
    assert throttle.wait("chef", "5.6.7.8") == 60
    throttle.succeeded("chef", "1.2.3.4")
    assert throttle.wait("chef", "5.6.7.8") == 0


def test_passwords_under_15_characters_are_refused(web_store):
    with pytest.raises(InputError, match="mindestens 15 Zeichen"):
        add_user(web_store, "neu", "viewer", "vierzehn-zeich")
    assert add_user(web_store, "neu", "viewer", "fünfzehn-zeich!").name == "neu"


def test_cli_user_add_refuses_a_short_password(tmp_path, capsys):
    db = tmp_path / "k.duckdb"
    open_store(db, create=True).close()
    with pytest.raises(SystemExit) as exit_:
        main(["user", "add", "maria", "--password", "s3cret", "--db", str(db)])
    assert exit_.value.code != 0
    assert "mindestens 15 Zeichen" in capsys.readouterr().err


def test_demo_user_gets_a_generated_printed_password(tmp_path, capsys, monkeypatch):
    import uvicorn

    from kundenwert.web.app import serve

    db = tmp_path / "k.duckdb"
    open_store(db, create=True).close()
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: app.state.kw.store.close())
    serve(db, demo_login=True)
    line = next(x for x in capsys.readouterr().out.splitlines() if "Demo-Anmeldung" in x)
    password = line.rsplit(" ", 1)[1]
    assert len(password) >= 15
    with open_store(db) as store:
        assert authenticate(store, "demo", password).role == "manager"
        assert authenticate(store, "demo", "demo") is None


def test_huge_names_are_refused_and_not_remembered(app, client):
    response = login(client, "x" * 1_000_000, "falsch")
    assert response.status_code == 422
    assert len(app.state.kw.limiter) == 0


def test_throttle_memory_is_bounded():
    throttle = LoginThrottle(5, 5, 60, clock=FrozenClock(), max_entries=100)
    for i in range(1000):
        throttle.failed(f"name-{i}", f"10.0.{i // 256}.{i % 256}")
    assert len(throttle) == 100
    # The newest are kept.
    assert throttle.wait("name-999", "10.0.3.231") == 0
    throttle.failed("name-999", "x")
    assert len(throttle) == 100
