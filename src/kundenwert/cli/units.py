"""`kundenwert units`: a review per business unit beside the company view
(:mod:`kundenwert.reads.units`, the same reads as the web's customer page and the API)."""

from __future__ import annotations

import json
from typing import Annotated

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
from kundenwert.store.database import DEFAULT_DB

#: What the row table shows (the JSON carries every column).
ROW_SHOWN = ("customer_id", "business_unit", "home", "revenue", "value_score", "abc_class",
             "quadrant", "service_level", "company_value_score", "company_abc_class",
             "company_quadrant")  # fmt: skip


@app.command("units")
def units_command(
    customer: Annotated[
        str | None, typer.Option("--customer", help="Nur dieser Kunde, je Geschäftsbereich.")
    ] = None,
    business_unit: Annotated[
        str | None, typer.Option("--business-unit", help="Nur dieser Geschäftsbereich.")
    ] = None,
    shared: Annotated[
        bool,
        typer.Option("--shared", help="Nur Kunden, die zwei oder mehr Bereiche bedienen."),
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Zeilen höchstens.")] = 50,
    account_manager: AccountManagerOption = None,
    review_id: ReviewOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Kundenwert je Geschäftsbereich neben der Unternehmenssicht: ohne Optionen eine Übersicht
    je Bereich; mit --customer, --business-unit oder --shared die Zeilen je Kunde und Bereich."""
    from kundenwert.headers import value_names
    from kundenwert.reads import Scope
    from kundenwert.reads.units import SUMMARY_COLUMNS, has_units, unit_rows, unit_summary

    scope = Scope(account_manager)
    rows_wanted = customer is not None or business_unit is not None or shared
    with open_db(db) as store:
        cfg = store_settings(store, config).settings
        lang, names = cfg.language, value_names(cfg.review, cfg.language)
        available = has_units(store, review_id)
        if not rows_wanted:
            data = unit_summary(store, review_id, scope=scope) if available else []
        else:
            data = (
                unit_rows(
                    store,
                    review_id,
                    customer_id=customer,
                    business_unit=business_unit,
                    shared_only=shared,
                    scope=scope,
                    limit=None if customer else limit,
                )
                if available
                else []
            )
    if as_json:
        print(json.dumps({"available": available, "items": data}, ensure_ascii=False, default=str))
        return
    if not available:
        console.print(
            "Dieses Review hat keine Sicht je Geschäftsbereich (review.units.enabled war aus "
            "oder das Review ist älter)."
        )
        return
    _print(data, ROW_SHOWN if rows_wanted else SUMMARY_COLUMNS, lang, names)


def _print(rows: list[dict], columns: tuple[str, ...], lang: str, names: dict) -> None:
    from kundenwert.reads.listfile import header_of, text_column

    table = Table(*(header_of(c, lang) for c in columns), title=str(len(rows)))
    texts = [text_column(c, [r.get(c) for r in rows], lang, names) for c in columns]
    for cells in zip(*texts, strict=True):
        table.add_row(*cells)
    console.print(table)
