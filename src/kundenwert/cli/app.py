"""The typer application object and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kundenwert.settings import Settings, load_settings
from kundenwert.store.database import DEFAULT_DB

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
DEFAULT_DB_PATH = DEFAULT_DB


def settings(config: Path | None) -> Settings:
    return load_settings(config)
