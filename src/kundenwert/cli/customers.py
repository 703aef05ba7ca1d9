"""The customer list of a review: search, filter, sort, page, totals; the same reads as the
web's list and ``GET /api/v1/customers`` (:mod:`kundenwert.reads.customers`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kundenwert.cli.app import (
    ConfigOption,
    DbOption,
    JsonOption,
    ReviewOption,
    app,
    console,
    open_db,
    store_settings,
)
from kundenwert.errors import InputError
from kundenwert.store.database import DEFAULT_DB

#: What the table shows (the JSON carries every list column).
SHOWN = ("customer_id", "name", "account_manager", "revenue", "margin_3", "value_score",
         "abc_class_effective", "quadrant_effective", "service_level_effective")  # fmt: skip


@app.command("customers")
def customers_command(
    search: Annotated[str, typer.Option("--search", help="Teil von Kundennummer oder Name.")] = "",
    abc_class: Annotated[str | None, typer.Option("--class", help="ABC-Klasse (wirksam).")] = None,
    quadrant: Annotated[
        str | None, typer.Option("--quadrant", help="Matrixfeld, z. B. top.")
    ] = None,
    service_level: Annotated[
        str | None, typer.Option("--service-level", help="Servicelevel.")
    ] = None,
    business_unit: Annotated[
        str | None, typer.Option("--business-unit", help="Geschäftsbereich.")
    ] = None,
    account_manager: Annotated[
        str | None,
        typer.Option(
            "--account-manager", help="Nur die Kunden dieses Kundenbetreuers (seine Sicht)."
        ),
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="Sortierspalte, z. B. revenue.")] = "revenue",
    ascending: Annotated[bool, typer.Option("--ascending", help="Aufsteigend sortieren.")] = False,
    page: Annotated[int, typer.Option("--page", min=1, help="Seite.")] = 1,
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, max=100000, help="Zeilen je Seite.")
    ] = 50,
    totals: Annotated[bool, typer.Option("--totals", help="Summen statt der Liste.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Die ganze gefilterte Liste in eine Datei (.csv oder .xlsx)."),
    ] = None,
    review_id: ReviewOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Kunden eines Reviews suchen, filtern, sortieren und seitenweise zeigen (wie im Web)."""
    from kundenwert.reads import CustomerQuery, Scope, open_frame
    from kundenwert.reads.listfile import value_names, write_list

    filters = {
        "abc_class_effective": abc_class,
        "quadrant_effective": quadrant,
        "service_level_effective": service_level,
        "business_unit": business_unit,
    }
    query = CustomerQuery(
        q=search,
        filters={k: v for k, v in filters.items() if v},
        sort=sort,
        desc=not ascending,
        page=page,
        page_size=page_size,
    )
    with open_db(db) as store, open_frame(store, review_id, Scope(account_manager)) as frame:
        cfg = store_settings(store, config).settings
        lang, names = cfg.language, value_names(cfg.review, cfg.language)
        if out is not None:
            if out.suffix.lower() not in (".csv", ".xlsx"):
                raise InputError(
                    f"Unbekanntes Dateiformat {out.suffix!r}.", hint=".csv oder .xlsx."
                )
            path = write_list(frame.export(query), out, lang, names)
            console.print(f"Geschrieben: {path}")
            return
        if totals:
            data = frame.totals()
            if as_json:
                print(json.dumps(data, ensure_ascii=False, default=str))
            else:
                _print_totals(data, lang)
            return
        rows, total = frame.customers(query)
    if as_json:
        print(
            json.dumps(
                {
                    "review_id": frame.review_id,
                    "total": total,
                    "page": page,
                    "page_size": page_size,
                    "items": rows,
                },
                ensure_ascii=False,
                default=str,
            )
        )
        return
    _print_rows(rows, total, lang, names)


def _print_rows(rows, total, lang, names) -> None:
    from kundenwert.reads.listfile import header_of, text_column

    table = Table(*(header_of(c, lang) for c in SHOWN), title=f"{total}")
    columns = [text_column(c, [r.get(c) for r in rows], lang, names) for c in SHOWN]
    for cells in zip(*columns, strict=True):
        table.add_row(*cells)
    console.print(table)


def _print_totals(data, lang) -> None:
    from kundenwert.reads.listfile import header_of, text_column

    table = Table(header_of("figure", lang), header_of("value", lang))
    for key, value in data.items():
        table.add_row(header_of(key, lang), text_column(key, [value], lang)[0])
    console.print(table)
