"""Commands of the customer value review: review, reviews, export, commitment, override."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kundenwert.cli.app import (
    ConfigOption,
    DbOption,
    JsonOption,
    LangOption,
    ReviewOption,
    app,
    console,
    console_err,
    open_db,
    settings,
    store_settings,
)
from kundenwert.cli.engine import (
    EngineOption,
    SourceOption,
    SparkDatabaseOption,
    engine_inputs,
)
from kundenwert.dates import parse_date
from kundenwert.errors import InputError
from kundenwert.formatting import money, number, percent
from kundenwert.review.findings import finding_text
from kundenwert.review.period import parse_window
from kundenwert.store.database import DEFAULT_DB

#: The input tables the review reads (on Spark: Parquet files or tables of these names).
REVIEW_INPUTS = ("customers", "invoices", "activities", "installed_base", "ratings")

override_app = typer.Typer(
    help="Dokumentierte Ausnahmen (Klasse, Quadrant, Servicelevel).", no_args_is_help=True
)
app.add_typer(override_app, name="override")


def _json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


@app.command("review")
def review_command(
    as_of: Annotated[str, typer.Option("--as-of", help="Stichtag, z. B. 2025-12-31.")],
    window: Annotated[str | None, typer.Option("--window", help="Zeitfenster, z. B. 12m.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Wer das Review ausführt.")] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Kundenwert-Review zum Stichtag berechnen und als Snapshot speichern."""
    from kundenwert.review import run_review
    from kundenwert.review.xlsx import forecast_text

    # The steps on stderr, so that --json output stays clean.
    with open_db(db) as store:
        resolved = store_settings(store, config)
        cfg = resolved.settings
        inputs = engine_inputs(engine, source, spark_database, cfg, REVIEW_INPUTS)
        months = parse_window(window) if window else cfg.review.window_months
        with console_err.status("Review …") as shown:

            def progress(step: str) -> None:
                shown.update(f"Review: {_STEPS[step]} …")

            result = run_review(
                store,
                cfg,
                parse_date(as_of),
                months,
                created_by=by,
                progress=progress,
                settings_version=resolved.version_id,
                inputs=inputs,
            )
    if as_json:
        _json(result.to_dict())
        return
    console.print(
        f"Review [bold]{result.review_id}[/] gespeichert "
        f"({result.window_start} – {result.as_of}, {result.customer_count} Kunden)."
    )
    table = Table("Kennzahl", "Wert")
    for key, value in result.totals.items():
        table.add_row(TOTALS.get(key, key), money(value, "de", 2))
    quadrants = {k: v.de for k, v in cfg.review.matrix.labels.items()}
    levels = {lv.key: lv.label.de for lv in cfg.review.service.levels}
    score_classes = {k: v.de for k, v in cfg.review.score_classes.labels.items()}
    score_classes["none"] = "ohne Kundenwert"
    for title, counts, names in (
        ("ABC-Klasse", result.classes, {}),
        ("Kundenwert-Klasse", result.score_classes, score_classes),
        ("Matrixfeld", result.quadrants, quadrants),
        ("Servicelevel", result.service_levels, levels),
    ):
        table.add_row(title, ", ".join(f"{names.get(k, k)}: {v}" for k, v in counts.items()))
    if result.complete_revenue_share is not None:
        share = percent(result.complete_revenue_share, "de", 1)
        table.add_row("Umsatz mit vollständigen DB", share)
    table.add_row("Betreuung > Ertrag", str(result.flagged))
    table.add_row("Strategisch", str(result.strategic))
    table.add_row("Prognose", forecast_text(result.forecast, "de"))
    if result.units:  # customers per business unit (kundenwert units)
        units = ", ".join(f"{k or '(ohne)'}: {v}" for k, v in result.units.items())
        table.add_row("Kunden je Geschäftsbereich", units)
    if result.unassigned_lines:
        table.add_row("Zeilen ohne Kunde", number(result.unassigned_lines))
    console.print(table)
    for finding in result.findings:
        console.print(f"[yellow]Achtung:[/] {escape(finding_text(finding, 'de'))}", highlight=False)


#: The review's totals as the summary names them.
TOTALS = {
    "revenue": "Umsatz der Kunden",
    "margin_1": "Deckungsbeitrag I",
    "margin_2": "Deckungsbeitrag II",
    "cost_to_serve": "Betreuungskosten",
    "margin_3": "Deckungsbeitrag III",
    "uncosted_revenue": "Umsatz ohne bekannten Wareneinsatz",
    "unassigned_revenue": "Umsatz ohne Kunde",
    "revenue_total": "Umsatz gesamt",
}

_STEPS = {
    "forecast": "Prognose anpassen",
    "base": "Umsätze, Kosten, Aktivitäten und Bewertungen je Kunde sammeln",
    "units": "je Geschäftsbereich bewerten",
    "store": "bewerten, klassifizieren und speichern",
}


@app.command("reviews")
def reviews_command(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Gespeicherte Reviews auflisten (neueste zuerst)."""
    from kundenwert.review import list_reviews

    with open_db(db) as store:
        rows = list_reviews(store)
    if as_json:
        _json(rows)
        return
    table = Table(
        "ID", "Stichtag", "Monate", "Erstellt", "Von", "Kunden", "Einstellungen", "Konfig-Hash"
    )
    for r in rows:
        table.add_row(
            str(r["review_id"]),
            str(r["as_of"]),
            str(r["window_months"]),
            r["created_at"].strftime("%Y-%m-%d %H:%M"),
            r["created_by"] or "",
            str(r["customer_count"]),
            f"Version {r['settings_version']}" if r["settings_version"] else "Datei",
            r["config_hash"][:12],
        )
    console.print(table)


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="Zieldatei.")],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="xlsx, csv (festes Maschinenformat, docs/export-columns.md), parquet oder "
            "tabelle (CSV für die Tabellenkalkulation der Sprache: deutsch mit Semikolon und "
            "Dezimalkomma, wie die Kundenliste im Web).",
        ),
    ] = "xlsx",
    review_id: ReviewOption = None,
    lang: LangOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
) -> None:
    """Ein Review exportieren (ohne --review das neueste), mit Verläufen und Warnungen."""
    from kundenwert.reporting import export_full

    with open_db(db) as store:
        cfg = store_settings(store, config).settings
        if format == "tabelle":
            path = _spreadsheet_csv(store, cfg, review_id, out, lang or cfg.language)
        else:
            path = export_full(store, cfg, review_id, format, out, lang or cfg.language)
    console.print(f"Geschrieben: {path}")


def _spreadsheet_csv(store, cfg, review_id: int | None, out: Path, lang: str) -> Path:
    """All customers of the review in the spreadsheet dialect of ``lang`` (the web's list
    export without filters)."""
    from kundenwert.reads import CustomerQuery, open_frame
    from kundenwert.reads.listfile import value_names, write_list

    with open_frame(store, review_id) as frame:
        table = frame.export(CustomerQuery(sort="customer_id", desc=False))
    return write_list(table, out.with_suffix(".csv"), lang, value_names(cfg.review, lang))


@app.command("commitment")
def commitment_command(
    customer: Annotated[str, typer.Argument(metavar="KUNDE", help="Kundennummer.")],
    review_id: ReviewOption = None,
    lang: LangOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="In diese Datei schreiben.")] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
) -> None:
    """Die schriftliche Servicezusage eines Kunden ausgeben (oder als Datei schreiben)."""
    from kundenwert.review.export import customer_commitment

    language = lang or settings(config).language
    with open_db(db) as store:
        text = customer_commitment(store, customer, review_id, language)
    if out is None:
        print(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", "utf-8")
        console.print(f"Geschrieben: {out}")


@override_app.command("set")
def override_set(
    customer: Annotated[str, typer.Argument(metavar="KUNDE", help="Kundennummer.")],
    reason: Annotated[str, typer.Option("--reason", help="Begründung.")],
    by: Annotated[str, typer.Option("--by", help="Wer die Ausnahme festlegt.")],
    service_level: Annotated[str | None, typer.Option("--service-level")] = None,
    quadrant: Annotated[str | None, typer.Option("--quadrant")] = None,
    abc_class: Annotated[str | None, typer.Option("--class")] = None,
    strategic: Annotated[
        str | None, typer.Option("--strategic", help="Strategischer Kunde: ja oder nein.")
    ] = None,
    purchased: Annotated[
        bool,
        typer.Option(
            "--purchased", help="Der Kunde kauft dieses Servicelevel (mit --service-level)."
        ),
    ] = False,
    note: Annotated[
        str | None, typer.Option("--note", help="Kostenteilung eines gekauften Servicelevels.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Gültig bis (Datum).")] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ausnahme setzen: --service-level, --quadrant, --class oder --strategic (genau eines).

    Ein Servicelevel, das der Kunde kauft: --service-level LEVEL --purchased --note TEXT.
    """
    from kundenwert.review import set_override

    given = {
        k: v
        for k, v in (
            ("service_level", service_level),
            ("quadrant", quadrant),
            ("abc_class", abc_class),
            ("strategic", strategic),
        )
        if v is not None
    }
    if len(given) != 1:
        raise InputError(
            "Genau eines von --service-level, --quadrant, --class, --strategic angeben.",
            hint="Beispiel: kundenwert override set K1 --service-level premium "
            "--reason '...' --by 'M. Muster'",
        )
    ((field, value),) = given.items()
    with open_db(db) as store:
        row = set_override(
            store,
            store_settings(store, config).settings,
            customer,
            field,
            value,
            reason=reason,
            by=by,
            until=parse_date(until) if until else None,
            kind="purchased" if purchased else "exception",
            note=note,
        )
    if as_json:
        _json(row)
    else:
        console.print(f"Ausnahme {row['override_id']}: {customer} {field} = {row['value']}")


@override_app.command("list")
def override_list(
    customer: Annotated[str | None, typer.Option("--customer")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Auch beendete.")] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Ausnahmen auflisten (Status aktiv, abgelaufen, beendet)."""
    from kundenwert.review import list_overrides

    with open_db(db) as store:
        rows = list_overrides(store, customer_id=customer, include_ended=all_)
    if as_json:
        _json(rows)
        return
    table = Table("ID", "Kunde", "Feld", "Wert", "Status", "Bis", "Von", "Grund")
    for r in rows:
        reason = r["reason"]
        if r.get("kind") == "purchased":
            reason = f"{reason} (gekauft; Kosten: {r['note']})"
        table.add_row(
            str(r["override_id"]),
            r["customer_id"],
            r["field"],
            r["value"],
            r["status"],
            str(r["valid_until"] or ""),
            r["created_by"],
            reason,
        )
    console.print(table)


@override_app.command("end")
def override_end(
    override_id: Annotated[int, typer.Argument(metavar="NR", help="ID der Ausnahme.")],
    by: Annotated[str, typer.Option("--by", help="Wer die Ausnahme beendet.")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Ausnahme beenden; danach gilt wieder der berechnete Wert."""
    from kundenwert.review import end_override

    with open_db(db) as store:
        end_override(store, override_id, by=by, reason=reason)
    console.print(f"Ausnahme {override_id} beendet.")


@override_app.command("audit")
def override_audit(
    customer: Annotated[str | None, typer.Option("--customer")] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Protokoll aller Änderungen an Ausnahmen (wer, wann, alt, neu, Grund)."""
    from kundenwert.review import audit_trail

    with open_db(db) as store:
        rows = audit_trail(store, customer_id=customer)
    if as_json:
        _json(rows)
        return
    table = Table("Zeit", "Kunde", "Feld", "Aktion", "Alt", "Neu", "Von", "Grund")
    for r in rows:
        table.add_row(
            r["changed_at"].strftime("%Y-%m-%d %H:%M"),
            r["customer_id"],
            r["field"],
            r["action"],
            r["old_value"] or "",
            r["new_value"] or "",
            r["changed_by"],
            r["reason"] or "",
        )
    console.print(table)
