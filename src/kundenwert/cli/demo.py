"""`kundenwert demo`: generate, import, review and export a demo company."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kundenwert.cli.app import ConfigOption, app, console, settings
from kundenwert.cli.data import _print_run


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Ordner für Daten und Ergebnisse.")] = Path(
        "demo-output"
    ),
    customers: Annotated[int, typer.Option("--customers", min=10)] = 2000,
    seed: Annotated[int, typer.Option("--seed")] = 42,
    config: ConfigOption = None,
) -> None:
    """Demo: Firma mit 2.000 Kunden erzeugen, importieren, bewerten und als Excel ausgeben."""
    from kundenwert.walkthrough import run_demo

    result = run_demo(
        out,
        customers=customers,
        seed=seed,
        settings=settings(config),
        step=lambda text: console.print(f"[bold cyan]▸[/] {text}"),
    )
    _print_run(result.import_run)
    console.print()
    console.print("[bold]Ergebnisse[/]")
    console.print(f"  Daten (CSV wie aus dem ERP): {result.data_dir}")
    console.print(f"  Datenbank:                    {result.database}")
    console.print(f"  Review:                       Nr. {result.review_id}")
    console.print(f"  Arbeitsmappe:                 [bold]{result.workbook}[/]")
    console.print(f"Weiter zum Beispiel mit: kundenwert reviews --db {result.database}")
