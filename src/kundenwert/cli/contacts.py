"""Commands of the contact network: list a customer's people, coverage, erase a person."""

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
    settings,
)
from kundenwert.i18n import translate
from kundenwert.store.database import DEFAULT_DB

contacts_app = typer.Typer(
    help="Ansprechpartner der Kunden: Abdeckung, Löschen einer Person (DSGVO).",
    no_args_is_help=True,
)
app.add_typer(contacts_app, name="contacts")


def _json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


@contacts_app.command("erase")
def erase_command(
    contact_id: Annotated[str, typer.Argument(help="Kontaktnummer der Person.")],
    by: Annotated[str, typer.Option("--by", help="Wer löscht.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Grund, z. B. 'Antrag nach Art. 17 DSGVO vom …'.")
    ],
    report_dir: Annotated[
        list[Path] | None,
        typer.Option(
            "--report-dir",
            help="Weitere Ordner mit Berichten früherer Importe (mehrfach; der konfigurierte "
            "Ordner import.report_dir wird immer bereinigt).",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Eine Person löschen (DSGVO Art. 17): personenbezogene Daten weg, Summen bleiben.

    Auch aus abgewiesenen Zeilen, Dateien abgewiesener Zeilen, Freitexten, Ketten und dem
    freien Speicher der Datenbankdatei; der nächste Import nimmt die Person nicht wieder auf.
    """
    from kundenwert.contacts.erase import erase_contact
    from kundenwert.contacts.text import TEXT
    from kundenwert.store.rewrite import rewrite_file

    cfg = settings(config)
    lang = cfg.language
    with open_db(db) as store:
        folders = [cfg.import_.report_dir, *(report_dir or [])]
        result = erase_contact(
            store, contact_id, by=by, reason=reason, report_dirs=folders, lang=lang
        )
        result.file_bytes = rewrite_file(store)
    if as_json:
        _json(result.to_dict())
        return
    console.print(
        translate(
            TEXT,
            "erased",
            lang,
            contacts=result.contacts_deleted,
            activities=result.activities_unlinked,
            texts=sum(result.texts_cleaned.values()),
            rejected=result.rejected_rows_deleted + result.rejected_rows_cleaned,
            chains=result.chain_versions_cleaned,
            files=len(result.files_cleaned),
        ),
        highlight=False,
    )
    if result.file_bytes is not None:
        console.print(translate(TEXT, "rewritten", lang, size=result.file_bytes), highlight=False)


def _table(headers: list[str]) -> Table:
    return Table(*headers)


MonthsOption = Annotated[
    int, typer.Option("--months", help="Direkter Kontakt in so vielen Monaten (Standard 12).")
]


@contacts_app.command("coverage")
def coverage_command(
    months: MonthsOption = 12,
    review: ReviewOption = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Höchstens so viele Kunden in der Tabelle.")
    ] = 30,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Kontaktabdeckung je Kunde und Warnungen nach Kundenwert (Schlüsselkunden)."""
    from kundenwert.contacts.coverage import contact_coverage, roles_missing
    from kundenwert.contacts.text import LABELS, role_name

    lang = settings(config).language
    with open_db(db) as store:
        cov = contact_coverage(store, months=months, review_id=review, lang=lang)
    if as_json:
        _json(cov.to_dict())
        return

    def label(key: str, **kw: object) -> str:
        return translate(LABELS, key, lang, **kw)

    console.print(label("coverage_title", months=months, as_of=cov.as_of), highlight=False)
    alerts = _table([label("customer_id"), label("customer_name"), label("alert"), label("reason")])
    for a in cov.alerts:
        alerts.add_row(a["customer_id"], a["name"], a["text"], a["because"])
    console.print(alerts if cov.alerts else label("no_alerts"))
    table = _table(
        [
            label("customer_id"),
            label("customer_name"),
            label("abc_class"),
            label("contacts"),
            label("contacted"),
            label("not_contacted"),
            label("roles_known"),
            label("roles_missing"),
        ]
    )
    for row in cov.customers.slice(0, limit).to_pylist():
        table.add_row(
            row["customer_id"],
            row["name"],
            row["abc_class"],
            str(row["active_contacts"]),
            str(row["contacted"]),
            str(row["not_contacted"]),
            ", ".join(role_name(r, lang) for r in row["roles_known"] or []),
            ", ".join(role_name(r, lang) for r in roles_missing(row["roles_known"])),
        )
    console.print(table)


@contacts_app.command("list")
def list_command(
    customer_id: Annotated[str, typer.Argument(help="Kundennummer.")],
    months: MonthsOption = 12,
    review: ReviewOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Die Ansprechpartner eines Kunden mit Rolle und letztem direkten Kontakt."""
    from kundenwert.contacts.coverage import contact_coverage
    from kundenwert.contacts.text import LABELS, role_name

    lang = settings(config).language
    with open_db(db) as store:
        cov = contact_coverage(
            store, months=months, review_id=review, customer_ids=[customer_id], lang=lang
        )
    one = cov.for_customer(customer_id)
    if as_json:
        _json(one)
        return

    def label(key: str) -> str:
        return translate(LABELS, key, lang)

    table = _table(
        [label("name"), label("role"), label("department"), label("active"),
         label("activities"), label("last_contact")]
    )  # fmt: skip
    for p in one["people"]:
        table.add_row(
            p["name"],
            role_name(p["role"], lang),
            p["department"] or "",
            label("yes") if p["active"] else label("no"),
            str(p["contacts_in_period"]),
            p["last_contact"].strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")
            if p["last_contact"]
            else "–",
        )
    console.print(f"{one['customer_id']} {one['name']}", highlight=False)
    console.print(table)
    for a in one["alerts"]:
        console.print(f"[yellow]{a['text']}[/]: {a['because']}", highlight=False)
