"""`kundenwert commitments`: adherence to every service commitment and what customers need
against what they get, the same read as ``GET /api/v1/commitments`` and the web pages
(:func:`kundenwert.reads.commitments.service_commitments`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kundenwert.cli.app import (
    AccountManagerOption,
    ConfigOption,
    DbOption,
    JsonOption,
    LangOption,
    ReviewOption,
    app,
    console,
    open_db,
    store_settings,
)
from kundenwert.commitments.catalogue import HEADERS
from kundenwert.errors import InputError
from kundenwert.formatting import MISSING, money, number, percent
from kundenwert.i18n import translate
from kundenwert.store.database import DEFAULT_DB

_TITLES = {
    "service_level": {"de": "Servicezusagen je Servicelevel", "en": "Commitments per level"},
    "quadrant": {"de": "Servicezusagen je Matrixfeld", "en": "Commitments per matrix field"},
    "customer": {"de": "Servicezusagen von {name} ({id})", "en": "Commitments of {name} ({id})"},
    "ipa": {
        "de": "Wichtigkeit und Leistung je {segment}",
        "en": "Importance and performance per {segment}",
    },
    "ipa_customer": {"de": "Wichtigkeit und Leistung", "en": "Importance and performance"},
    "window": {
        "de": "Review {review}, {start} bis {as_of} ({months} Monate)",
        "en": "Review {review}, {start} to {as_of} ({months} months)",
    },
}


def _h(key: str, lang: str) -> str:
    return translate(HEADERS, key, lang)


def _note(row: dict) -> str:
    return row.get("missing_text") or ("" if row["status"] == "measured" else row["status_text"])


@app.command("commitments")
def commitments_command(
    customer: Annotated[
        str | None, typer.Option("--customer", help="Nur dieser Kunde, Zusage für Zusage.")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Segment: service_level (Servicelevel) oder quadrant.")
    ] = "service_level",
    account_manager: AccountManagerOption = None,
    with_customers: Annotated[
        bool, typer.Option("--customers", help="Mit --json: auch jede Zeile je Kunde.")
    ] = False,
    review_id: ReviewOption = None,
    lang: LangOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Servicezusagen gemessen: Anteil eingehalten je Servicelevel, Matrixfeld oder Kunde,
    mit Wichtigkeit und Leistung aus Befragungen."""
    from kundenwert.reads import Scope
    from kundenwert.reads.commitments import service_commitments

    if by not in ("service_level", "quadrant"):
        raise InputError(f"Unbekanntes Segment {by!r}.", hint="--by service_level oder quadrant.")
    with open_db(db) as store:
        language = lang or store_settings(store, config).settings.language
        view = service_commitments(store, review_id, Scope(account_manager), customer_id=customer)
    data = view.to_dict(language, customers=with_customers or customer is not None)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, default=str))
        return
    console.print(
        translate(
            _TITLES,
            "window",
            language,
            review=view.review_id,
            start=data["window_start"],
            as_of=data["as_of"],
            months=view.months,
        )
    )
    if customer is not None:
        _customer(data, language)
        return
    rows = data["service_levels" if by == "service_level" else "quadrants"]
    table = Table(title=translate(_TITLES, by, language), title_justify="left")
    for key in (by, "commitment", "promise", "customers", "due", "kept", "share", "missing"):
        table.add_column(_h(key, language))
    for r in rows:
        table.add_row(
            escape(r["segment_name"] or r["segment"]),
            r["commitment_name"],
            r.get("promise_text") or MISSING,
            number(r["customers"], language),
            number(r["due"], language),
            number(r["kept"], language),
            percent(r["share"], language),
            escape(_note(r)),
        )
    console.print(table)
    segment = _h(by, language)
    ipa = data["importance"]["service_levels" if by == "service_level" else "quadrants"]
    if ipa:
        names = {r["segment"]: r["segment_name"] for r in rows}
        _ipa(ipa, translate(_TITLES, "ipa", language, segment=segment), language, names)


def _customer(data: dict, lang: str) -> None:
    rows = data["customers"]
    first = rows[0]
    table = Table(
        title=translate(_TITLES, "customer", lang, name=first["name"], id=first["customer_id"]),
        title_justify="left",
    )
    for key in ("commitment", "promise", "due", "kept", "share", "missing"):
        table.add_column(_h(key, lang))
    for r in rows:
        promise = r.get("promise_text") or MISSING
        if r["commitment"] == "goodwill" and r["goodwill_cost"] is not None:
            promise += f" ({money(r['goodwill_cost'], lang)})"
        table.add_row(
            r["commitment_name"],
            escape(promise),
            number(r["due"], lang),
            number(r["kept"], lang),
            percent(r["share"], lang),
            escape(_note(r) if r["status"] != "not_promised" else r["status_text"]),
        )
    console.print(table)
    if data["importance"].get("customers"):
        _ipa(data["importance"]["customers"], translate(_TITLES, "ipa_customer", lang), lang, None)


def _ipa(rows: list[dict], title: str, lang: str, names: dict | None) -> None:
    table = Table(title=title, title_justify="left")
    keys = (["segment"] if names is not None else []) + [
        "dimension", "importance", "performance", "gap", "ipa", "adherence"]  # fmt: skip
    for key in keys:
        table.add_column(_h(key, lang))
    for r in rows:
        cells = [escape(names.get(r["segment"], r["segment"]))] if names is not None else []
        cells += [
            escape(r["dimension_name"]),
            number(r["importance"], lang, 1),
            number(r["performance"], lang, 1),
            number(r["gap"], lang, 1),
            r["ipa_text"] or MISSING,
            percent(r["adherence"], lang),
        ]
        table.add_row(*cells)
    console.print(table)
