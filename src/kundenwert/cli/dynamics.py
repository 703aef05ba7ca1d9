"""Commands of the customer dynamics: trajectories, alerts, actions, changes, surveys."""

from __future__ import annotations

import json
from typing import Annotated

import pyarrow as pa
import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, JsonOption, app, console, open_db, settings
from kundenwert.dates import parse_date
from kundenwert.store.database import DEFAULT_DB

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Stichtag (Standard: Stichtag des Reviews)."),
]
ReviewOption = Annotated[
    int | None, typer.Option("--review", help="Review-Nummer (Standard: das neueste).")
]
LimitOption = Annotated[int, typer.Option("--limit", help="Höchstens so viele Zeilen zeigen.")]


def _print(table: pa.Table, title: str, as_json: bool, limit: int) -> None:
    if as_json:
        print(json.dumps(table.to_pylist(), ensure_ascii=False, default=str))
        return
    out = Table(*table.column_names, title=f"{title} ({table.num_rows})")
    for row in table.slice(0, limit).to_pylist():
        out.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(out)


def _analyse(db, config, as_of, review):
    from kundenwert.dynamics import analyse

    cfg = settings(config)
    with open_db(db) as store:
        return analyse(store, cfg, parse_date(as_of) if as_of else None, review), cfg


@app.command("trajectories")
def trajectories_command(
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    trajectory: Annotated[
        str | None, typer.Option("--type", help="Nur diesen Verlaufstyp, z. B. growth.")
    ] = None,
    limit: LimitOption = 30,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Wertverlauf (Typ, Sicherheit, Begründung) und Beziehungsphase je Kunde."""
    result, cfg = _analyse(db, config, as_of, review)
    table = result.customers(cfg.language)
    if trajectory:
        table = table.filter(pa.compute.equal(table["trajectory"], trajectory))
    cols = ["customer_id", "name", "trajectory", "confidence", "phase", "evidence"]
    _print(table if as_json else table.select(cols), "Wertverläufe", as_json, limit)


@app.command("alerts")
def alerts_command(
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    alert: Annotated[str | None, typer.Option("--alert", help="Nur diese Warnung.")] = None,
    limit: LimitOption = 50,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Warnungen mit Begründung und Zahlen."""
    result, _ = _analyse(db, config, as_of, review)
    table = result.alerts
    if alert:
        table = table.filter(pa.compute.equal(table["alert"], alert))
    _print(table, "Warnungen", as_json, limit)


@app.command("actions")
def actions_command(
    owner: Annotated[
        str | None, typer.Option("--owner", help="Nur Aufgaben dieses Kundenbetreuers.")
    ] = None,
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    limit: LimitOption = 50,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Nächste Schritte je Kunde, mit Verantwortlichem und Fälligkeit."""
    result, _ = _analyse(db, config, as_of, review)
    table = result.actions
    if owner:
        table = table.filter(pa.compute.equal(table["owner"], owner))
    table = table.sort_by([("due", "ascending"), ("customer_id", "ascending")])
    _print(table, "Nächste Schritte", as_json, limit)


@app.command("changes")
def changes_command(
    from_id: Annotated[int | None, typer.Option("--from", help="Älteres Review.")] = None,
    to_id: Annotated[int | None, typer.Option("--to", help="Neueres Review.")] = None,
    limit: LimitOption = 20,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Wanderungen zwischen Klassen und Quadranten von Review zu Review."""
    from kundenwert.dynamics import review_changes

    with open_db(db) as store:
        ch = review_changes(store, from_id, to_id, top=limit)
    if as_json:
        print(
            json.dumps(
                {
                    "from": ch.from_id,
                    "to": ch.to_id,
                    "class_matrix": ch.class_matrix.to_pylist(),
                    "quadrant_matrix": ch.quadrant_matrix.to_pylist(),
                    "moved": ch.moved.to_pylist(),
                    "top_movers": ch.top_movers.to_pylist(),
                },
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for title, matrix, a, b in (
        ("ABC", ch.class_matrix, "class_from", "class_to"),
        ("Quadrant", ch.quadrant_matrix, "quadrant_from", "quadrant_to"),
    ):
        console.print(_matrix(matrix, a, b, f"{title}: Review {ch.from_id} → {ch.to_id}"))
    cols = ["customer_id", "name", "class_from", "class_to", "quadrant_from", "quadrant_to"]
    _print(ch.moved.select(cols), "Gewechselt", False, limit)
    cols = ["customer_id", "name", "score_from", "score_to", "score_change"]
    _print(ch.top_movers.select(cols), "Größte Bewegung", False, limit)


def _matrix(counts: pa.Table, a: str, b: str, title: str) -> Table:
    rows = counts.to_pylist()
    froms = sorted({r[a] for r in rows})
    tos = sorted({r[b] for r in rows})
    cell = {(r[a], r[b]): r["customers"] for r in rows}
    out = Table("von \\ nach", *tos, title=title)
    for f in froms:
        out.add_row(f, *(str(cell.get((f, t), "")) for t in tos))
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
    _print(table, f"Befragungen {customer}", as_json, 100)
