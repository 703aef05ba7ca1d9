"""Commands for data: init, import, status, demo-data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kundenwert import importing
from kundenwert.cli.app import (
    ConfigOption,
    DbOption,
    JsonOption,
    app,
    console,
    console_err,
    open_db,
    settings,
)
from kundenwert.formatting import money
from kundenwert.i18n import format_number
from kundenwert.store import consistency, maintenance
from kundenwert.store.consistency import ORPHANS_HINT
from kundenwert.store.database import DEFAULT_DB


@app.command()
def init(
    db: DbOption = DEFAULT_DB,
    config: Annotated[
        Path, typer.Option("--config", help="Wohin die Konfigurationsvorlage geschrieben wird.")
    ] = Path("kundenwert.toml"),
) -> None:
    """Datenbank anlegen (oder aktualisieren) und eine Konfigurationsvorlage schreiben."""
    from kundenwert.docs import config_template

    with open_db(db, create=True) as store:
        console.print(f"Datenbank: [bold]{db}[/] (Schema-Version {store.schema_version})")
    if config.exists():
        console.print(f"Konfiguration: {config} besteht schon, unverändert.")
    else:
        config.write_text(config_template(), encoding="utf-8")
        console.print(f"Konfiguration: Vorlage nach [bold]{config}[/] geschrieben.")


class _RichImportProgress:
    """Shows a progress bar per file on stderr (so that --json output stays clean)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def file_started(self, path: Path, table: str, estimated_rows: int) -> None:
        self.task = self.progress.add_task(f"{path.name} → {table}", total=estimated_rows or None)

    def rows_read(self, n: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)

    def file_finished(self) -> None:
        if self.task is not None:
            self.progress.update(self.task, total=self.progress.tasks[-1].completed or 1)
            self.progress.remove_task(self.task)
        self.task = None


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console_err,
        transient=True,
    )


@app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(metavar="PFAD", help="Exportdatei oder Ordner mit Exportdateien.")
    ],
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    table: Annotated[
        str | None,
        typer.Option("--table", help="Tabelle der Datei, wenn ihr Name sie nicht nennt."),
    ] = None,
    report_dir: Annotated[
        Path | None,
        typer.Option("--report-dir", help="Ordner für Zusammenfassung und abgelehnte Zeilen."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Exportdateien importieren: gute Zeilen speichern, fehlerhafte mit Grund beiseitelegen.

    Exit-Code 0: alle Zeilen gespeichert; 3: einige Zeilen abgelehnt (die guten sind gespeichert);
    2: eine Datei war gar nicht lesbar.
    """
    cfg = settings(config)
    with open_db(db, create=True) as store, _progress() as progress:
        run = importing.import_path(
            store,
            path,
            cfg,
            table=table,
            report_dir=report_dir,
            progress=None if as_json else _RichImportProgress(progress),
        )
    if as_json:
        print(json.dumps(run.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_run(run)
    raise typer.Exit(run.exit_code)


_STATUS_TEXT = {
    "stored": "[green]gespeichert[/]",
    "partial": "[yellow]teilweise[/]",
    "unchanged": "[green]unverändert[/]",
    "failed": "[red]nicht lesbar[/]",
    "skipped": "[yellow]übersprungen[/]",
}


def _print_invoice_extras(f: importing.FileResult) -> None:
    name = escape(f.path.name)
    if f.customers_created:
        created = format_number(f.customers_created)
        console.print(f"{name}: {created} Kunden aus den Zeilen angelegt")
    if f.credit_notes:
        console.print(
            f"{name}: {format_number(f.credit_notes)} Gutschriftzeilen, davon "
            f"{format_number(f.credit_notes_linked)} mit ihrer Rechnung verknüpft"
        )
    if f.uncosted_lines:
        amount = format_number(float(f.uncosted_amount or 0), "de", 2)
        console.print(
            f"[yellow]{name}:[/] {format_number(f.uncosted_lines)} Zeilen ohne Wareneinsatz "
            f"({amount} € Umsatz): ihr Deckungsbeitrag I ist überhöht, das Review markiert "
            "die Kunden als unvollständig"
        )
    if f.uncosted_activities:
        console.print(
            f"[yellow]{name}:[/] {format_number(f.uncosted_activities)} Aktivitäten mit Stunden, "
            "aber ohne Kosten zählen 0 €: review.margins.cost_per_hour in kundenwert.toml "
            "festlegen"
        )
    if f.unassigned:
        amount = money(f.unassigned_amount or 0, "de", 2)
        console.print(
            f"{name}: {format_number(f.unassigned)} Zeilen ohne Kunde gespeichert "
            f"(Umsatz ohne Kunde: {amount})"
        )


def _print_run(run: importing.ImportRun) -> None:
    table = Table(title="Import", title_justify="left")
    for header, justify in (
        ("Datei", "left"),
        ("Tabelle", "left"),
        ("Status", "left"),
        ("gelesen", "right"),
        ("neu", "right"),
        ("geändert", "right"),
        ("unverändert", "right"),
        ("abgelehnt", "right"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for f in run.files:
        table.add_row(
            f.path.name,
            f.table or "?",
            _STATUS_TEXT.get(f.status, f.status),
            format_number(f.rows_read),
            format_number(f.inserted),
            format_number(f.updated),
            format_number(f.unchanged),
            format_number(f.rejected),
        )
    console.print(table)
    for f in run.files:
        if f.error:
            console.print(f"[red]{escape(f.error)}[/]", highlight=False)
            if f.hint:
                console.print(f"  {escape(f.hint)}", highlight=False)
        if f.rejected_file:
            console.print(f"Abgelehnte Zeilen aus {f.path.name}: [bold]{f.rejected_file}[/]")
        _print_invoice_extras(f)
        if f.suggestions:
            pairs = ", ".join(f"{ours} ← '{theirs}'" for ours, theirs in f.suggestions.items())
            console.print(
                f"[yellow]{escape(f.path.name)}:[/] nicht zugeordnet, aber ähnlich: {escape(pairs)}"
            )
        if f.ignored_columns and f.status != "failed":
            unused = escape(", ".join(f.ignored_columns))
            console.print(f"{escape(f.path.name)}: nicht verwendete Spalten: {unused}")
    if run.summary_file:
        console.print(f"Zusammenfassung: [bold]{run.summary_file}[/]")


@app.command()
def status(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Was die Datenbank enthält: Zeilen je Tabelle und die letzten Importe.

    Abgelehnte Zeilen zählen je Datei nur aus ihrem letzten Import: eine erneut importierte
    Datei ersetzt die abgelehnten Zeilen ihres früheren Imports.
    """
    with open_db(db) as store:
        info = importing.status(store)
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    console.print(f"Datenbank [bold]{info['database']}[/], Schema-Version {info['schema_version']}")
    counts = Table(title="Tabellen", title_justify="left")
    counts.add_column("Tabelle")
    counts.add_column("Zeilen", justify="right")
    for name, n in info["tables"].items():
        counts.add_row(name, format_number(n))
    for name, n in info["rejected_rows_by_table"].items():
        counts.add_row(f"[dim]{name}: abgelehnt[/]", format_number(n))
    counts.add_row(
        "[dim]abgelehnte Zeilen (letzter Import je Datei)[/]", format_number(info["rejected_rows"])
    )
    console.print(counts)
    batches = Table(title="Letzte Importe", title_justify="left")
    for header in ("Nr.", "Tabelle", "Datei", "Zeit", "gelesen", "abgelehnt"):
        batches.add_column(header)
    for b in info["batches"]:
        batches.add_row(
            str(b["batch_id"]),
            b["table_name"],
            b["file_name"],
            str(b["started_at"])[:19],
            str(b["rows_read"]),
            str(b["rows_rejected"]),
        )
    console.print(batches)
    for orphans in info["orphan_rows"]:
        console.print(f"[bold yellow]Zeilen ohne Import:[/] {orphans['message']}", highlight=False)
    if info["orphan_rows"]:
        console.print(ORPHANS_HINT, highlight=False)
    optimized = info["optimized"]
    if optimized is None:
        console.print(
            "Noch nie sortiert: [bold]kundenwert optimize[/] beschleunigt die Auswertungen "
            "großer Datenbestände."
        )
    else:
        console.print(
            f"Zuletzt sortiert (kundenwert optimize): {optimized['finished_at']}; seitdem "
            f"importierte Rechnungszeilen und Aktivitäten: "
            f"{format_number(optimized['rows_imported_since'])}."
        )


@app.command()
def optimize(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Rechnungszeilen und Aktivitäten nach Kunde und Datum sortiert neu schreiben.

    Auswertungen je Kunde (Review, Prognose, Verläufe) werden dadurch bei großen Beständen
    deutlich schneller. Sinnvoll nach dem ersten großen Import und nach vielen weiteren.
    """
    with open_db(db) as store, console_err.status("Sortiere nach Kunde und Datum …"):
        result = maintenance.optimize(store)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    labels = {"invoices": "Rechnungszeilen", "activities": "Aktivitäten"}
    rows = ", ".join(f"{format_number(n)} {labels[t]}" for t, n in result.rows.items())
    console.print(f"Nach Kunde und Datum sortiert: {rows}, in {result.seconds:.1f} s.")


@app.command()
def repair(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Zeilen entfernen, die zu keinem verzeichneten Import gehören (Reste abgebrochener Importe).

    Danach die betroffenen Dateien erneut importieren. status zeigt, ob es solche Zeilen gibt.
    """
    with open_db(db) as store:
        removed = consistency.remove_orphans(store)
    if as_json:
        print(json.dumps([o.to_dict() for o in removed], ensure_ascii=False))
        return
    for orphans in removed:
        console.print(f"Entfernt: {orphans.message}", highlight=False)
    if not removed:
        console.print("Alle Zeilen gehören zu einem verzeichneten Import; nichts zu tun.")


@app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Option("--out", help="Zielordner.")] = Path("demo-data"),
    customers: Annotated[int, typer.Option("--customers", min=1)] = 2000,
    years: Annotated[int, typer.Option("--years", min=1, max=30)] = 3,
    seed: Annotated[int, typer.Option("--seed")] = 42,
    format: Annotated[
        str, typer.Option("--format", help="csv (deutsches Excel-Format) oder parquet.")
    ] = "csv",
) -> None:
    """Eine Demo-Firma erzeugen: Maschinenbauer mit Kunden, Rechnungen, Aktivitäten, Bewertungen."""
    from kundenwert.demo import generate_to
    from kundenwert.errors import InputError

    if format not in ("csv", "parquet"):
        raise InputError(f"Unbekanntes Format {format!r}.", hint="Erlaubt: csv, parquet.")
    fmt: Literal["csv", "parquet"] = "csv" if format == "csv" else "parquet"
    with _progress() as progress:
        task = progress.add_task("Demo-Firma", total=customers)
        paths = generate_to(
            out,
            customers=customers,
            years=years,
            seed=seed,
            format=fmt,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    for name, path in paths.items():
        console.print(f"{name}: {path}")
