"""`kundenwert user add`, `user list`, `user token` and `serve --help`."""

from __future__ import annotations

from typer.testing import CliRunner

from kundenwert.cli import app
from kundenwert.store import open_store
from kundenwert.web.users import authenticate, token_user

runner = CliRunner()


def test_user_add_stores_a_hashed_password(tmp_path):
    db = tmp_path / "k.duckdb"
    open_store(db, create=True).close()  # `user add` creates no database (init does)
    result = runner.invoke(
        app,
        [
            "user",
            "add",
            "maria",
            "--role",
            "manager",
            "--password",
            "s3cret-s3cret-s3cret",
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "maria" in result.output
    with open_store(db) as store:
        assert authenticate(store, "maria", "s3cret-s3cret-s3cret").role == "manager"
    listed = runner.invoke(app, ["user", "list", "--db", str(db)])
    assert "maria" in listed.output and "manager" in listed.output


def test_user_add_refuses_unknown_role(tmp_path):
    db = tmp_path / "k.duckdb"
    result = runner.invoke(
        app,
        [
            "user",
            "add",
            "x",
            "--role",
            "chef",
            "--password",
            "abcd-abcd-abcd-abcd",
            "--db",
            str(db),
        ],
    )
    assert result.exit_code != 0


def test_user_token_authenticates_as_the_user(tmp_path):
    db = tmp_path / "k.duckdb"
    open_store(db, create=True).close()
    runner.invoke(
        app,
        [
            "user",
            "add",
            "crm",
            "--role",
            "viewer",
            "--password",
            "abcd-abcd-abcd-abcd",
            "--db",
            str(db),
        ],
    )
    result = runner.invoke(app, ["user", "token", "crm", "--db", str(db)])
    assert result.exit_code == 0
    token = result.output.strip()
    with open_store(db) as store:
        assert token_user(store, token).name == "crm"
        assert token_user(store, token + "x") is None


def test_serve_is_registered():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--demo-user" in result.output
