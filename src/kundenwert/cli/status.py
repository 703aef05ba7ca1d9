"""``kundenwert alert-status``: mark an alert or a next action as acknowledged, done or
dismissed, and read the history of what was done."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, JsonOption, app, console, open_db, settings
from kundenwert.cli.dynamics import AsOfOption, ReviewOption, _analyse
from kundenwert.dynamics.labels import ALERT_NAMES, STATUS_NAMES, name_of
from kundenwert.errors import InputError
from kundenwert.store.database import DEFAULT_DB

status_app = typer.Typer(
    help="Was mit Warnungen und nächsten Schritten geschah: zur Kenntnis genommen, erledigt, "
    "verworfen.",
    no_args_is_help=True,
)
app.add_typer(status_app, name="alert-status")


def _kind_and_code(alert: str | None, action: str | None) -> tuple[str, str]:
    if (alert is None) == (action is None):
        raise InputError(
            "Genau eines von --alert und --action angeben.",
            hint="Beispiel: kundenwert alert-status set --customer K1 --alert top_silent "
            "--status dismissed --note 'Betriebsferien' --by 'A. Muster'",
        )
    return ("alert", alert) if alert is not None else ("action", action)  # type: ignore[return-value]


@status_app.command("set")
def status_set(
    customer: Annotated[str, typer.Option("--customer", help="Kundennummer.")],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="acknowledged (zur Kenntnis genommen), done (erledigt), dismissed (verworfen).",
        ),
    ],
    by: Annotated[str, typer.Option("--by", help="Wer den Status gibt.")],
    alert: Annotated[
        str | None, typer.Option("--alert", help="Die Warnung, z. B. top_silent.")
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Der Schritt, z. B. visit.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Warum (Pflicht bei dismissed).")
    ] = None,
    as_of: AsOfOption = None,
    review: ReviewOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Status einer aktuellen Warnung oder eines nächsten Schritts setzen (mit Notiz)."""
    from kundenwert.dynamics.status import facts_of, set_status

    kind, code = _kind_and_code(alert, action)
    result, cfg = _analyse(db, config, as_of, review)
    rows = (result.alerts if kind == "alert" else result.actions).to_pylist()
    facts, stake = facts_of(rows, kind, customer, code)
    with open_db(db) as store:
        row = set_status(store, kind, customer, code, status, note, by, facts, stake=stake)
    if as_json:
        print(json.dumps(row, ensure_ascii=False, default=str))
        return
    status_name = name_of(STATUS_NAMES, row["status"], cfg.language)
    console.print(f"{customer}: {_what(kind, code, cfg)} – {status_name}.")


def _what(kind: str, code: str, cfg) -> str:
    """The alert's or the step's name (no code on a table)."""
    if kind == "alert":
        return name_of(ALERT_NAMES, code, cfg.language)
    labels = {r.action: getattr(r, cfg.language, r.de) for r in cfg.dynamics.actions}
    return labels.get(code, code)


@status_app.command("history")
def status_history_command(
    customer: Annotated[str | None, typer.Option("--customer", help="Nur dieser Kunde.")] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Protokoll aller Status (wer, wann, was, warum), älteste zuerst."""
    from kundenwert.dynamics.status import status_history

    cfg = settings(config)
    with open_db(db) as store:
        rows = status_history(store, customer_id=customer)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table(
        "Zeit", "Kunde", "Was", "Status", "Von", "Notiz", title=f"Bearbeitung ({len(rows)})"
    )
    for r in rows:
        table.add_row(
            r["at"].strftime("%d.%m.%Y %H:%M"),
            r["customer_id"],
            _what(r["kind"], r["code"], cfg),
            name_of(STATUS_NAMES, r["status"], cfg.language),
            r["by"],
            r["note"] or "",
        )
    console.print(table)
