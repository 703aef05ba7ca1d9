"""Commands of the customer dynamics: trajectories, alerts, actions, changes, surveys."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated

import pyarrow as pa
import typer
from rich.table import Table

from kundenwert.cli.app import (
    AccountManagerOption,
    ConfigOption,
    DbOption,
    JsonOption,
    ReviewOption,
    app,
    console,
    open_db,
    store_settings,
)
from kundenwert.cli.engine import EngineOption, SourceOption, SparkDatabaseOption, engine_inputs
from kundenwert.dates import parse_date
from kundenwert.dynamics.labels import ALERT_NAMES, PHASE_NAMES, TRAJECTORY_NAMES, name_of
from kundenwert.dynamics.lists import pick
from kundenwert.formatting import money, percent
from kundenwert.i18n import translate
from kundenwert.store.database import DEFAULT_DB

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Stichtag (Standard: Stichtag des Reviews)."),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", help="Höchstens so viele Zeilen (auch mit --json; ohne: alle)."),
]
HandledOption = Annotated[
    bool,
    typer.Option(
        "--with-handled",
        help="Auch bearbeitete (zur Kenntnis genommen, erledigt, verworfen) mit Status zeigen.",
    ),
]
AllOption = Annotated[
    bool,
    typer.Option(
        "--all", help="Alle zeigen statt der wichtigsten je Kundenbetreuer (Betrag im Spiel)."
    ),
]

#: Column headers and how the values read, per language: no internal code on a table.
HEADERS = {
    "customer_id": {"de": "Kunde", "en": "Customer"},
    "name": {"de": "Name", "en": "Name"},
    "owner": {"de": "Betreuer", "en": "Account manager"},
    "alert": {"de": "Warnung", "en": "Alert"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "stake": {"de": "Betrag im Spiel", "en": "Money at stake"},
    "trajectory": {"de": "Verlauf", "en": "Trajectory"},
    "confidence": {"de": "Sicherheit", "en": "Confidence"},
    "phase": {"de": "Phase", "en": "Phase"},
    "evidence": {"de": "Begründung", "en": "Evidence"},
    "label": {"de": "Schritt", "en": "Step"},
    "due": {"de": "Fällig", "en": "Due"},
    "because": {"de": "Weil", "en": "Because"},
    "status": {"de": "Bearbeitung", "en": "Handled"},
}
NAMES = {"alert": ALERT_NAMES, "trajectory": TRAJECTORY_NAMES, "phase": PHASE_NAMES}


def _cell(column: str, value, lang: str, words: dict | None = None) -> str:
    """One value in words and as ``lang`` writes numbers and dates (kundenwert.formatting)."""
    from kundenwert.formatting import day, number
    from kundenwert.headers import kind_of

    if value is None:
        return ""
    if column in NAMES:
        return name_of(NAMES[column], str(value), lang)
    if words and column in words and isinstance(value, str):
        return words[column].get(value, value)
    kind = kind_of(column)
    if kind == "money":
        return money(value, lang)
    if kind == "share":
        return percent(value, lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value, lang, 0 if kind == "int" else 2)
    if isinstance(value, int):
        return number(value, lang)
    if hasattr(value, "isoformat"):
        return day(value, lang)
    return str(value)


def _print(
    table: pa.Table, title: str, as_json: bool, lang: str = "de", words: dict | None = None
) -> None:
    """The rows as JSON (codes and raw numbers, for scripts) or as a table in ``lang``."""
    from kundenwert.headers import header_of

    if as_json:
        print(json.dumps(table.to_pylist(), ensure_ascii=False, default=str))
        return
    headers = [
        translate(HEADERS, c, lang) if c in HEADERS else header_of(c, lang)
        for c in table.column_names
    ]
    out = Table(*headers, title=f"{title} ({table.num_rows})")
    for row in table.to_pylist():
        out.add_row(*(_cell(c, v, lang, words) for c, v in row.items()))
    console.print(out)


def _print_skipped(result, lang: str) -> None:
    """The alert rules that could not run, and why (their inputs were never imported)."""
    for rule, reason in result.skipped.items():
        console.print(translate(SKIPPED, "line", lang, rule=name_of(ALERT_NAMES, rule, lang),
                                reason=translate(SKIPPED, reason, lang)))  # fmt: skip


SKIPPED = {
    "line": {"de": "Nicht geprüft: {rule} – {reason}.", "en": "Not checked: {rule} – {reason}."},
    "no_activities": {
        "de": "es wurden nie Aktivitäten importiert",
        "en": "no activities were ever imported",
    },
    "no_response_times": {
        "de": "keine Aktivität hat Anfrage- und Antwortzeit",
        "en": "no activity has a request and a response time",
    },
    "no_surveys": {"de": "es wurden nie Befragungen importiert", "en": "no surveys were imported"},
    "no_review": {"de": "es gibt noch kein Review", "en": "there is no review yet"},
}


#: The input tables the dynamics read (on Spark: Parquet files or tables of these names);
#: without surveys in the lake the survey alert is not checked, as in a store without them.
DYNAMICS_INPUTS = ("customers", "invoices", "activities")
DYNAMICS_OPTIONAL = ("surveys",)


@dataclass(frozen=True)
class Engine:
    """Where the aggregates run: the store (duckdb) or Spark with its source."""

    name: str = "duckdb"
    source: str | None = None
    database: str | None = None


def _analyse(
    db, config, as_of, review, with_handled: bool | None = None, engine: Engine | None = None
):
    """The analysis; with ``with_handled`` given, its alerts and actions carry their status
    (handled ones left out unless ``with_handled``). With the engine spark the aggregates of
    the input tables run there; reviews, overrides and the status are the store's."""
    from kundenwert.dynamics import analyse
    from kundenwert.dynamics.status import Hold, with_status

    with open_db(db) as store:
        cfg = store_settings(store, config).settings
        where = engine or Engine()
        inputs = engine_inputs(
            where.name, where.source, where.database, cfg, DYNAMICS_INPUTS, DYNAMICS_OPTIONAL
        )
        day = parse_date(as_of) if as_of else None
        result = analyse(store, cfg, day, review, inputs=inputs)
        if with_handled is not None:
            result = with_status(store, result, with_handled=with_handled, hold=Hold.of(cfg))
        return result, cfg


def _status_in_words(table: pa.Table, lang: str) -> pa.Table:
    """The status columns as one column in words, when any row has a status."""
    from kundenwert.dynamics.status import STATUS_SCHEMA, describe

    texts = [describe(row, lang) for row in table.select(STATUS_SCHEMA.names).to_pylist()]
    table = table.drop_columns(STATUS_SCHEMA.names)
    return table.append_column("status", pa.array(texts, pa.string())) if any(texts) else table


@app.command("trajectories")
def trajectories_command(
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    trajectory: Annotated[
        str | None, typer.Option("--type", help="Nur diesen Verlaufstyp, z. B. growth.")
    ] = None,
    limit: LimitOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Wertverlauf (Typ, Sicherheit, Begründung) und Beziehungsphase je Kunde."""
    where = Engine(engine, source, spark_database)
    result, cfg = _analyse(db, config, as_of, review, engine=where)
    table = pick(result.customers(cfg.language), column="trajectory", value=trajectory)
    if not as_json:
        cols = ["customer_id", "name", "trajectory", "confidence", "phase", "evidence"]
        table, limit = table.select(cols), 30 if limit is None else limit
    _print(pick(table, limit=limit), "Wertverläufe", as_json, cfg.language)


@app.command("alerts")
def alerts_command(
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    alert: Annotated[str | None, typer.Option("--alert", help="Nur diese Warnung.")] = None,
    limit: LimitOption = None,
    show_all: AllOption = False,
    with_handled: HandledOption = False,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Warnungen mit Begründung und Zahlen, nach Betrag im Spiel geordnet; bearbeitete erst
    wieder, wenn sich ihre Zahlen ändern."""
    where = Engine(engine, source, spark_database)
    result, cfg = _analyse(db, config, as_of, review, with_handled, where)
    per_owner = None if show_all or as_json else cfg.dynamics.alerts.per_owner
    table = pick(result.alerts, column="alert", value=alert, owner_limit=per_owner, limit=limit)
    if not as_json:
        table = _status_in_words(table, cfg.language)
    _print(table, "Warnungen", as_json, cfg.language)
    if not as_json:
        _print_skipped(result, cfg.language)


@app.command("actions")
def actions_command(
    owner: Annotated[
        str | None, typer.Option("--owner", help="Nur Aufgaben dieses Kundenbetreuers.")
    ] = None,
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    limit: LimitOption = None,
    show_all: AllOption = False,
    with_handled: HandledOption = False,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Nächste Schritte je Kunde, mit Verantwortlichem und Fälligkeit; bearbeitete erst
    wieder, wenn sich ihre Bedingungen oder ihre Fälligkeit ändern."""
    where = Engine(engine, source, spark_database)
    result, cfg = _analyse(db, config, as_of, review, with_handled, where)
    per_owner = None if show_all or as_json else cfg.dynamics.alerts.per_owner
    table = pick(result.actions, column="owner", value=owner, owner_limit=per_owner, limit=limit)
    if not as_json:
        keep = ["customer_id", "name", "owner", "label", "due", "because"]
        table = _status_in_words(table, cfg.language)
        table = table.select([c for c in table.column_names if c in (*keep, "status")])
    _print(table, "Nächste Schritte", as_json, cfg.language)


@app.command("changes")
def changes_command(
    from_id: Annotated[int | None, typer.Option("--from", help="Älteres Review.")] = None,
    to_id: Annotated[int | None, typer.Option("--to", help="Neueres Review.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Höchstens so viele Zeilen.")] = 20,
    rank: Annotated[
        str,
        typer.Option(
            "--rank",
            help="Ordnen nach der Änderung des Kundenwerts (score) oder des Umsatzes (revenue).",
        ),
    ] = "score",
    account_manager: AccountManagerOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Wanderungen zwischen Klassen und Quadranten von Review zu Review."""
    from kundenwert.headers import value_names
    from kundenwert.reads import Scope, review_changes

    with open_db(db) as store:
        cfg = store_settings(store, config).settings
        ch = review_changes(
            store, from_id, to_id, top=limit, scope=Scope(account_manager), rank=rank
        )
    lang = cfg.language
    quadrants = value_names(cfg.review, lang)["quadrant"]
    absent = {
        "new": "neu" if lang == "de" else "new",
        "gone": "nicht mehr" if lang == "de" else "gone",
    }
    words = {c: {**quadrants, **absent} for c in ("quadrant_from", "quadrant_to")}
    words |= {c: absent for c in ("class_from", "class_to")}
    if as_json:
        print(json.dumps(ch.to_dict(), ensure_ascii=False, default=str))
        return
    for title, matrix, a, b in (
        ("ABC", ch.class_matrix, "class_from", "class_to"),
        ("Quadrant", ch.quadrant_matrix, "quadrant_from", "quadrant_to"),
    ):
        names = words.get(a, {})
        console.print(_matrix(matrix, a, b, f"{title}: Review {ch.from_id} → {ch.to_id}", names))
    change = "score_change" if rank == "score" else "revenue_change"
    cols = ["customer_id", "name", "class_from", "class_to", "quadrant_from", "quadrant_to"]
    _print(ch.moved.select(cols).slice(0, limit), "Gewechselt", False, lang, words)
    what = "score" if rank == "score" else "revenue"
    cols = ["customer_id", "name", f"{what}_from", f"{what}_to", change]
    _print(ch.top_movers.select(cols).slice(0, limit), "Größte Bewegung", False, lang, words)


def _matrix(counts: pa.Table, a: str, b: str, title: str, names: dict | None = None) -> Table:
    names = names or {}
    rows = counts.to_pylist()
    froms = sorted({r[a] for r in rows})
    tos = sorted({r[b] for r in rows})
    cell = {(r[a], r[b]): r["customers"] for r in rows}
    out = Table("von \\ nach", *(names.get(t, t) for t in tos), title=title)
    for f in froms:
        out.add_row(names.get(f, f), *(str(cell.get((f, t), "")) for t in tos))
    return out


@app.command("surveys")
def surveys_command(
    customer: Annotated[str, typer.Option("--customer", help="Kundennummer.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Zufriedenheit, Weiterempfehlung und Loyalitätsfragen eines Kunden über die Zeit."""
    from kundenwert.dynamics import customer_surveys

    with open_db(db) as store:
        table = customer_surveys(store, customer)
    _print(table, f"Befragungen {customer}", as_json)
