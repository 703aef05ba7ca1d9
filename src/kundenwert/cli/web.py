"""Commands of the web application: serve; users and API tokens (add, list, token, disable,
enable, tokens, revoke)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import typer
from rich.table import Table

from kundenwert.cli.app import (
    ConfigOption,
    DbOption,
    app,
    console,
    console_err,
    open_db,
    settings,
)
from kundenwert.store.database import DEFAULT_DB

user_app = typer.Typer(help="Benutzer der Web-Anwendung und API-Token.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Adresse (Standard 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (Standard 8000).")] = None,
    demo_user: Annotated[
        bool,
        typer.Option(
            "--demo-user",
            help="Benutzer demo (Manager) mit neuem, angezeigtem Passwort anlegen.",
        ),
    ] = False,
) -> None:
    """Web-Anwendung und REST-API starten (Strg-C beendet)."""
    from kundenwert.web import serve

    open_db(db).close()  # the start-up check's findings on stderr, as for every command
    serve(db, settings(config), host, port, demo_login=demo_user)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Anmeldename.")],
    role: Annotated[
        str, typer.Option("--role", help="admin | manager | account-manager | viewer")
    ] = "viewer",
    password: Annotated[
        str | None, typer.Option("--password", help="Passwort (sonst wird gefragt).")
    ] = None,
    account_manager: Annotated[
        str | None,
        typer.Option("--account-manager", help="Name in customers.account_manager, falls anders."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Bestehenden Benutzer ändern.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Benutzer anlegen (Passwort wird gehasht gespeichert)."""
    from kundenwert.web.users import add_user

    secret = password or typer.prompt("Passwort", hide_input=True, confirmation_prompt=True)
    with open_db(db) as store:
        user = add_user(store, name, role, secret, account_manager=account_manager, replace=replace)
    console.print(f"Benutzer [bold]{user.name}[/] ({user.role}) gespeichert.")


@user_app.command("list")
def user_list(db: DbOption = DEFAULT_DB) -> None:
    """Benutzer auflisten."""
    from kundenwert.web.users import list_users

    with open_db(db) as store:
        users = list_users(store)
    table = Table("Name", "Rolle", "Kundenbetreuer-Name")
    for u in users:
        table.add_row(u.name, u.role, u.account_manager or "")
    console.print(table)


@user_app.command("token")
def user_token(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Benutzer, dessen Rechte der Token hat.")
    ],
    label: Annotated[str | None, typer.Option("--label", help="Wofür, z. B. CRM.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """API-Token für Integrationen erzeugen (wird nur einmal angezeigt)."""
    from kundenwert.web.users import create_token

    with open_db(db) as store:
        token = create_token(store, name, label)
    print(token)


ACTOR = "Kommandozeile"  # who disabled a user, when it was done from the command line
STATES = {"valid": "gültig", "expired": "abgelaufen", "revoked": "widerrufen"}


def _administer(db: Path, local: Callable[[Any], Any], method: str, path: str) -> Any:
    """Run ``local`` on the database, or, while `kundenwert serve` holds it, send the same
    change to that server (web/control.py): a user must be stoppable at once, server or not."""
    from kundenwert.errors import DatabaseBusyError

    try:
        store = open_db(db)
    except DatabaseBusyError:
        from kundenwert.web import control

        console_err.print("Die Datenbank hält ein laufender Server; Änderung über ihn.")
        return control.call(db, method, path)
    with store:
        return local(store)


@user_app.command("disable")
def user_disable(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Anmeldename.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Benutzer sperren: seine Sitzungen und Token gelten sofort nicht mehr (auch während
    `kundenwert serve` läuft)."""
    from kundenwert.web.accounts import set_active

    path = f"/users/{quote(name, safe='')}/disable"
    _administer(db, lambda store: set_active(store, name, False, by=ACTOR), "POST", path)
    console.print(f"Benutzer [bold]{name}[/] gesperrt.")


@user_app.command("enable")
def user_enable(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Anmeldename.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Gesperrten Benutzer wieder freigeben."""
    from kundenwert.web.accounts import set_active

    path = f"/users/{quote(name, safe='')}/enable"
    _administer(db, lambda store: set_active(store, name, True, by=ACTOR), "POST", path)
    console.print(f"Benutzer [bold]{name}[/] freigegeben.")


@user_app.command("tokens")
def user_tokens(db: DbOption = DEFAULT_DB, config: ConfigOption = None) -> None:
    """API-Token auflisten (Kennung, Benutzer, Zweck, Ablauf, Zustand; nie der Token selbst)."""
    from kundenwert.web.accounts import tokens

    days = settings(config).web.token_days
    rows = _administer(db, lambda store: {"items": tokens(store, days)}, "GET", "/tokens")
    table = Table("Kennung", "Benutzer", "Zweck", "Läuft ab", "Zustand")
    for row in rows["items"]:
        expires = str(row["expires_at"])[:10]
        state = STATES.get(row["state"], row["state"])
        table.add_row(row["token_id"], row["user"], row["label"] or "", expires, state)
    console.print(table)


@user_app.command("revoke")
def user_revoke(
    token_id: Annotated[
        str, typer.Argument(metavar="TOKEN", help="Kennung des Tokens (aus `user tokens`).")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """API-Token widerrufen: er gilt sofort nicht mehr (auch während `kundenwert serve` läuft)."""
    from kundenwert.web.accounts import revoke_token

    path = f"/tokens/{quote(token_id, safe='')}/revoke"
    _administer(db, lambda store: revoke_token(store, token_id), "POST", path)
    console.print(f"Token [bold]{token_id}[/] widerrufen.")
