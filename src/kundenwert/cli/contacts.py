"""Commands of the contact network: list a customer's people, coverage, erase a person."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, JsonOption, app, console, open_db, settings
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
        result = erase_contact(
            store, contact_id, by=by, reason=reason, report_dir=cfg.import_.report_dir, lang=lang
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
