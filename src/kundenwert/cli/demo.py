"""`kundenwert demo`: generate, import, review and export a demo company."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kundenwert.cli.app import ConfigOption, app, console, settings
from kundenwert.cli.data import _print_run
from kundenwert.cli.dynamics import HEADERS, _cell
from kundenwert.i18n import format_number, translate


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
    _print_list("Warnungen", result.alerts, ("customer_id", "name", "alert", "stake", "reason"))
    _print_list(
        "Nächste Schritte", result.actions, ("owner", "due", "customer_id", "label", "because")
    )
    _print_contact_alerts(result.contact_alerts)
    console.print()
    console.print("[bold]Ergebnisse[/]")
    console.print(f"  Daten (CSV wie aus dem ERP): {result.data_dir}")
    console.print(f"  Datenbank:                    {result.database}")
    console.print(f"  Review:                       Nr. {result.review_id}")
    console.print(f"  Arbeitsmappe:                 [bold]{result.workbook}[/]")
    if result.chains:
        numbers = ", ".join(str(n) for n in result.chains)
        console.print(f"  Problemlöseketten:            Nr. {numbers} (kundenwert chain list)")
    console.print(f"Weiter zum Beispiel mit: kundenwert reviews --db {result.database}")


def _print_list(title: str, table, columns: tuple[str, ...], limit: int = 10) -> None:
    """The first rows of an alert or action list, with the total."""
    if table is None:
        return
    total = format_number(table.num_rows)
    shown = Table(title=f"{title} ({total} insgesamt, die ersten {limit})", title_justify="left")
    present = [c for c in columns if c in table.column_names]
    for column in present:  # headers and values in words, as `kundenwert alerts` shows them
        shown.add_column(translate(HEADERS, column, "de") if column in HEADERS else column)
    for row in table.slice(0, limit).to_pylist():
        shown.add_row(*(escape(_cell(c, row[c], "de")) for c in present))
    console.print(shown)


def _print_contact_alerts(alerts: list[dict], limit: int = 10) -> None:
    """The first contact-coverage alerts (key customers by value), with the total."""
    total = format_number(len(alerts))
    shown = Table(
        title=f"Kontaktabdeckung: Warnungen ({total} insgesamt, die ersten {limit})",
        title_justify="left",
    )
    for header in ("Kunde", "Name", "Warnung", "Begründung"):
        shown.add_column(header)
    for a in alerts[:limit]:
        shown.add_row(*(escape(str(a[k])) for k in ("customer_id", "name", "text", "because")))
    console.print(shown)
