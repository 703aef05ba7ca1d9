"""The typer application object and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kundenwert.i18n import format_number
from kundenwert.settings import Settings, load_settings
from kundenwert.store.consistency import ORPHANS_HINT
from kundenwert.store.database import DEFAULT_DB, Store, open_store

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
