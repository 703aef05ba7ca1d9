"""Commands of the web application: serve, user add, user list, user token."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, app, console, open_db, settings
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

    serve(db, settings(config), host, port, demo_login=demo_user)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Anmeldename.")],
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
    name: Annotated[str, typer.Argument(help="Benutzer, dessen Rechte der Token hat.")],
    label: Annotated[str | None, typer.Option("--label", help="Wofür, z. B. CRM.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """API-Token für Integrationen erzeugen (wird nur einmal angezeigt)."""
    from kundenwert.web.users import create_token

    with open_db(db) as store:
        token = create_token(store, name, label)
    print(token)
