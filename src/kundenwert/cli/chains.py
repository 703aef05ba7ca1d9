"""`kundenwert chain …`: the problem-solving chains, stored in versions (who, when, why)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, JsonOption, app, console, open_db, settings
from kundenwert.errors import InputError
from kundenwert.i18n import translate
from kundenwert.store.database import DEFAULT_DB

chain_app = typer.Typer(
    help="Problemlöseketten: Akteure vom Lieferanten bis zum Kunden des Kunden, Personen, "
    "direkter Kontakt, geplante Aktivitäten.",
    no_args_is_help=True,
)
app.add_typer(chain_app, name="chain")

ByOption = Annotated[str, typer.Option("--by", help="Wer ändert.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Warum.")]
FileArgument = Annotated[
    Path, typer.Argument(help="Die Kette als JSON-Datei (Vorlage: kundenwert chain template).")
]


def _json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str, indent=2))


def _read(path: Path, lang: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: {exc}",
            hint="kundenwert chain template > kette.json" if lang == "de" else None,
        ) from exc


@chain_app.command("template")
def template_command(config: ConfigOption = None) -> None:
    """Eine Vorlage mit den Akteuren des Beispiels als JSON ausgeben."""
    from kundenwert.contacts.chains import template

    print(template(settings(config).language).model_dump_json(indent=2))


@chain_app.command("create")
def create_command(
    file: FileArgument,
    by: ByOption,
    reason: ReasonOption,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Eine neue Kette anlegen (Version 1)."""
    from kundenwert.contacts.chains import create_chain

    lang = settings(config).language
    with open_db(db) as store:
        item = create_chain(store, _read(file, lang), by=by, reason=reason, lang=lang)
    _done(item, lang, as_json)


@chain_app.command("edit")
def edit_command(
    chain_id: Annotated[int, typer.Argument(help="Nummer der Kette.")],
    file: FileArgument,
    by: ByOption,
    reason: ReasonOption,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Eine Kette ändern: speichert eine neue Version, die alten bleiben."""
    from kundenwert.contacts.chains import update_chain

    lang = settings(config).language
    with open_db(db) as store:
        item = update_chain(store, chain_id, _read(file, lang), by=by, reason=reason, lang=lang)
    _done(item, lang, as_json)


@chain_app.command("delete")
def delete_command(
    chain_id: Annotated[int, typer.Argument(help="Nummer der Kette.")],
    by: ByOption,
    reason: ReasonOption,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
) -> None:
    """Eine Kette löschen (ihre Versionen bleiben nachvollziehbar)."""
    from kundenwert.contacts.chains import delete_chain

    lang = settings(config).language
    with open_db(db) as store:
        delete_chain(store, chain_id, by=by, reason=reason, lang=lang)
    console.print(f"{chain_id}: " + ("gelöscht" if lang == "de" else "deleted"))


def _done(item: dict[str, Any], lang: str, as_json: bool) -> None:
    if as_json:
        _json(item)
        return
    word = "gespeichert als Version" if lang == "de" else "saved as version"
    console.print(f"{item['chain_id']} {item['title']}: {word} {item['version']}", highlight=False)


@chain_app.command("list")
def list_command(
    customer: Annotated[
        list[str] | None,
        typer.Option("--customer", help="Nur Ketten, die diesen Kunden betreffen (mehrfach)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Die Ketten mit Fokus, Akteuren und letzter Änderung."""
    from kundenwert.contacts.chains import list_chains
    from kundenwert.contacts.text import FOCUS_KINDS, LABELS

    lang = settings(config).language
    with open_db(db) as store:
        items = list_chains(store, customer_ids=customer)
    if as_json:
        _json(items)
        return

    def label(key: str) -> str:
        return translate(LABELS, key, lang)

    table = Table("Nr.", label("title"), label("focus"), label("actors"), label("concerns"),
                  label("version"), label("changed_by"))  # fmt: skip
    for item in items:
        focus = item["chain"]["focus"]
        table.add_row(
            str(item["chain_id"]),
            item["title"],
            f"{translate(FOCUS_KINDS, focus['kind'], lang)}: {focus['name']}",
            str(len(item["chain"]["actors"])),
            ", ".join(focus["customer_ids"]),
            str(item["version"]),
            item["changed_by"],
        )
    console.print(table)


@chain_app.command("show")
def show_command(
    chain_id: Annotated[int, typer.Argument(help="Nummer der Kette.")],
    version: Annotated[int | None, typer.Option("--version", help="Eine frühere Version.")] = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Eine Kette: Fokus, Akteure mit Merkmalen und Personen, geplante Aktivitäten."""
    from kundenwert.contacts.chains import get_chain
    from kundenwert.contacts.text import FOCUS_KINDS, LABELS, actor_name

    lang = settings(config).language
    with open_db(db) as store:
        item = get_chain(store, chain_id, version=version, lang=lang)
    if as_json:
        _json(item)
        return

    def label(key: str) -> str:
        return translate(LABELS, key, lang)

    chain, yes, no = item["chain"], label("yes"), label("no")
    focus = chain["focus"]
    console.print(
        f"[bold]{item['title']}[/] ({label('version')} {item['version']}, "
        f"{item['changed_by']}, {item['changed_at']:%d.%m.%Y %H:%M}: {item['reason']})",
        highlight=False,
    )
    console.print(
        f"{label('focus')}: {translate(FOCUS_KINDS, focus['kind'], lang)} – {focus['name']}\n"
        f"{label('reasons')}: {'; '.join(focus['reasons']) or '–'}\n"
        f"{label('concerns')}: {', '.join(focus['customer_ids']) or '–'}",
        highlight=False,
    )
    actors = Table("#", label("actor"), label("size"), label("importance"),
                   label("competitive_position"), label("number"), label("relationship"),
                   label("success_factors"), label("persons"), label("direct_contact"))  # fmt: skip
    for i, a in enumerate(chain["actors"]):
        direct = a["direct_contact"] or any(p["direct_contact"] for p in a["persons"])
        actors.add_row(
            str(i),
            f"{actor_name(a['kind'], lang)}: {a['name']}",
            a["size"],
            a["importance"],
            a["competitive_position"],
            "" if a["number"] is None else str(a["number"]),
            a["relationship"],
            "; ".join(a["success_factors"]),
            "; ".join(
                p["name"] + (f" ({p['function']})" if p["function"] else "") for p in a["persons"]
            ),
            yes if direct else no,
        )
    console.print(actors)
    if chain["activities"]:
        acts = Table(label("what"), label("actor"), label("owner"), label("due"))
        for act in chain["activities"]:
            actor = chain["actors"][act["actor"]]["name"] if act["actor"] is not None else "–"
            acts.add_row(act["what"], actor, act["owner"], str(act["due"]))
        console.print(acts)


@chain_app.command("history")
def history_command(
    chain_id: Annotated[int, typer.Argument(help="Nummer der Kette.")],
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Alle Versionen einer Kette: wer, wann, warum."""
    from kundenwert.contacts.chains import chain_history
    from kundenwert.contacts.text import ACTIONS, LABELS

    lang = settings(config).language
    with open_db(db) as store:
        rows = chain_history(store, chain_id, lang)
    if as_json:
        _json(rows)
        return
    keys = ("version", "action", "title", "changed_by", "changed_at", "reason")
    table = Table(*(translate(LABELS, k, lang) for k in keys))
    for r in rows:
        table.add_row(
            str(r["version"]),
            translate(ACTIONS, r["action"], lang),
            r["title"],
            r["changed_by"],
            f"{r['changed_at']:%d.%m.%Y %H:%M}",
            r["reason"],
        )
    console.print(table)
