"""The typer application object and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import typer.rich_utils
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from kundenwert.i18n import format_number
from kundenwert.settings import Settings, load_settings
from kundenwert.store.consistency import ORPHANS_HINT
from kundenwert.store.database import DEFAULT_DB, Store, open_store

HELP_TEXT = "Diese Hilfe zeigen und beenden."

# The help's fixed words in the CLI's language (Typer's module constants, made for this).
for _name, _text in {
    "DEFAULT_STRING": "[Standard: {}]",
    "ENVVAR_STRING": "[Umgebungsvariable: {}]",
    "REQUIRED_LONG_STRING": "[Pflicht]",
    "ARGUMENTS_PANEL_TITLE": "Argumente",
    "OPTIONS_PANEL_TITLE": "Optionen",
    "COMMANDS_PANEL_TITLE": "Befehle",
    "ERRORS_PANEL_TITLE": "Fehler",
    "ABORTED_TEXT": "Abgebrochen.",
    "RICH_HELP": "Hilfe: [blue]'{command_path} {help_option}'[/]",
}.items():
    setattr(typer.rich_utils, _name, _text)


def _german_help(command, ctx):
    """The help option in the CLI's language, without a type: Typer writes "Show this
    message and exit." and ``<bool>`` and has no setting for either."""
    option = command._help_option_base(ctx)
    if option is not None:
        option.help, option.metavar = HELP_TEXT, ""
    return option


def _german_usage(command, ctx, formatter) -> None:
    """The usage line in German (Click writes "Usage:" and has no setting for it)."""
    formatter.write_usage(
        ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix="Aufruf: "
    )


def _flags_without_type(params) -> None:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # a switch takes no value: no ``<bool>`` in the help


class Command(TyperCommand):
    """Every command: German help option, switches shown without a value type."""

    _help_option_base = TyperCommand.get_help_option

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.get("options_metavar") in (None, "[OPTIONS]"):
            kwargs["options_metavar"] = "[OPTIONEN]"
        super().__init__(*args, **kwargs)
        _flags_without_type(self.params)

    def get_help_option(self, ctx):
        return _german_help(self, ctx)

    def format_usage(self, ctx, formatter) -> None:
        _german_usage(self, ctx, formatter)


class Group(TyperGroup):
    """Every command group, as :class:`Command`."""

    _help_option_base = TyperGroup.get_help_option

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.get("options_metavar") in (None, "[OPTIONS]"):
            kwargs["options_metavar"] = "[OPTIONEN]"
        if kwargs.get("subcommand_metavar") is None:
            kwargs["subcommand_metavar"] = "BEFEHL [ARGUMENTE]..."
        super().__init__(*args, **kwargs)
        _flags_without_type(self.params)

    def get_help_option(self, ctx):
        return _german_help(self, ctx)

    def format_usage(self, ctx, formatter) -> None:
        _german_usage(self, ctx, formatter)


def use_cli_classes(typer_app: typer.Typer) -> None:
    """Give every command and group of ``typer_app`` the classes above (called once, after
    all command modules registered theirs)."""

    # Typer keeps an unset class as None, a Default(None) or its own default class.
    def unset(cls, own) -> bool:
        return not isinstance(cls, type) or cls is own

    if unset(typer_app.info.cls, TyperGroup):
        typer_app.info.cls = Group
    for info in typer_app.registered_commands:
        if unset(info.cls, TyperCommand):
            info.cls = Command
    for group in typer_app.registered_groups:
        if unset(group.cls, TyperGroup):
            group.cls = Group
        if group.typer_instance is not None:
            use_cli_classes(group.typer_instance)


app = typer.Typer(
    name="kundenwert",
    help="Kundenwert-Management für B2B: Werte, Klassen, Margen, Servicelevel und Prognosen.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
console_err = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="KUNDENWERT_DB", help="Datenbankdatei (DuckDB)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="KUNDENWERT_CONFIG",
        help="Konfigurationsdatei (Standard: ./kundenwert.toml, falls vorhanden).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Ausgabe als JSON für Skripte.")]
ReviewOption = Annotated[
    int | None, typer.Option("--review", help="Review-Nummer (Standard: das neueste).")
]
LangOption = Annotated[str | None, typer.Option("--lang", help="de oder en.")]
AccountManagerOption = Annotated[
    str | None, typer.Option("--account-manager", help="Nur die Kunden dieses Kundenbetreuers.")
]
DEFAULT_DB_PATH = DEFAULT_DB


def settings(config: Path | None) -> Settings:
    """The configuration file alone (for commands that work without a database)."""
    return load_settings(config)


def store_settings(store: Store, config: Path | None):
    """The settings in the one order the web uses too (kundenwert.settings_source): the
    configuration file, with the sections edited in the browser from the database's latest
    saved version. Says on stderr when such a version applies."""
    from kundenwert.settings_source import resolve_settings

    resolved = resolve_settings(store, load_settings(config))
    if resolved.version_id is not None:
        console_err.print(resolved.describe(), highlight=False)
    return resolved


def open_db(db: Path, *, create: bool = False) -> Store:
    """Open the database for a command and say on stderr what the start-up check found."""
    store = open_store(db, create=create)
    for gone in store.repaired:
        console_err.print(
            f"[yellow]Hinweis:[/] Import Nr. {gone.batch_id} wurde abgebrochen; seine "
            f"{format_number(gone.rows)} Zeilen in {gone.table} wurden entfernt. "
            "Importieren Sie die Datei erneut.",
            highlight=False,
        )
    for orphans in store.orphans:
        console_err.print(f"[bold yellow]Warnung:[/] {orphans.message}", highlight=False)
    if store.orphans:
        console_err.print(ORPHANS_HINT, highlight=False)
    return store
