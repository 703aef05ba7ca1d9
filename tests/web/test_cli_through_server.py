"""Issue 12: users and tokens are stopped from the command line while `serve` holds the
database (DuckDB allows one writing process, so the CLI sends the change to the server)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from kundenwert.cli import main
from kundenwert.store import open_store
from kundenwert.web import control
from kundenwert.web.users import add_user, create_token


def run(capsys, *args: str) -> tuple[int, str]:
    """The CLI as a user runs it (exit codes from the error hierarchy); code and output."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out + out.err


PASSWORD = "geheim-und-lang-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status
    except (urllib.error.URLError, ConnectionError):
        return 0


@pytest.fixture
def served(tmp_path):
    db = tmp_path / "k.duckdb"
    with open_store(db, create=True) as store:
        add_user(store, "chefin", "admin", PASSWORD)
        add_user(store, "maria", "viewer", PASSWORD)
        token = create_token(store, "maria", "CRM")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kundenwert.cli import main; main(sys.argv[1:])",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while control.running(db) is None or _status(url + "/login") != 200:
        assert server.poll() is None, server.stderr.read().decode()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    try:
        yield db, url, token
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert not control.control_path(db).exists()  # withdrawn when the server stopped


def test_disable_and_revoke_reach_the_running_server(served, capsys):
    db, url, token = served
    assert _get(url + "/api/v1/customers", token) == 200
    # The CLI cannot open the database itself while the server runs ...
    code, out = run(capsys, "user", "tokens", "--db", str(db))
    assert code == 0, out
    assert "über ihn" in out and "gültig" in out
    token_id = next(line.split("│")[1].strip() for line in out.splitlines() if "maria" in line)
    # ... and revokes through it: the token stops working at once.
    code, out = run(capsys, "user", "revoke", token_id, "--db", str(db))
    assert code == 0, out
    assert _get(url + "/api/v1/customers", token) == 401
    code, out = run(capsys, "user", "disable", "maria", "--db", str(db))
    assert code == 0 and "gesperrt" in out, out
    code, out = run(capsys, "user", "disable", "niemand", "--db", str(db))
    assert code == 4 and "niemand" in out


def test_the_control_file_is_private_and_its_secret_is_needed(served):
    db, url, _ = served
    path = control.control_path(db)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert _get(url + "/api/v1/users", control.PREFIX + "geraten") == 401
    secret = json.loads(path.read_text())["secret"]
    assert _get(url + "/api/v1/users", control.PREFIX + secret) == 200


def test_without_a_server_the_cli_changes_the_database_itself(tmp_path, capsys):
    db = tmp_path / "k.duckdb"
    with open_store(db, create=True) as store:
        add_user(store, "maria", "viewer", PASSWORD)
    code, out = run(capsys, "user", "disable", "maria", "--db", str(db))
    assert code == 0, out
    with open_store(db) as store:
        active = store.con.execute("SELECT active FROM users WHERE name = 'maria'").fetchone()
    assert active == (False,)
