"""Erasing a person (GDPR article 17): their personal data goes, the aggregates stay.

What is removed: the contact row; the person's id on activities (the activities themselves,
with their cost and hours, stay); their name, phone and e-mail wherever free text holds it
(activity descriptions, comments, survey answers, rejected rows, chains and their versions,
rejected-rows files of past imports). Only the id is kept, in ``erased_contacts`` (with who,
when, why), so that the next import refuses the person (see ``schema.Erasure``). The
database file is then rewritten by the caller (:func:`kundenwert.store.rewrite.rewrite_file`),
because DuckDB leaves deleted values in its free blocks.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from kundenwert.contacts.text import TEXT
from kundenwert.errors import InputError, NotFoundError
from kundenwert.i18n import translate
from kundenwert.importing.parsing import quote_ident
from kundenwert.schema import CONTACTS, TABLES
from kundenwert.store import Store
from kundenwert.store.queries import one_row, scalar

#: What an erased name is replaced with in free text.
ERASED = "[gelöscht]"
#: Where an RE2 pattern needs a backslash before a literal character.
_RE2_SPECIAL = set("\\.^$|?*+()[]{}")


@dataclass
class Erasure:
    """What one erasure changed, counted per place (no personal data in it)."""

    contact_id: str
    customer_id: str | None
    contacts_deleted: int = 0
    activities_unlinked: int = 0
    texts_cleaned: dict[str, int] = field(default_factory=dict)
    rejected_rows_deleted: int = 0
    rejected_rows_cleaned: int = 0
    chain_versions_cleaned: int = 0
    files_cleaned: list[str] = field(default_factory=list)
    file_bytes: int | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def erase_contact(
    store: Store,
    contact_id: str,
    *,
    by: str,
    reason: str,
    report_dirs: list[Path] | tuple[Path, ...] = (),
    lang: str = "de",
    now: datetime | None = None,
) -> Erasure:
    """Erase one person from the database and from the rejected-rows files under the
    ``report_dirs``; returns what changed. Rewrite the file afterwards (see module doc)."""
    contact_id = contact_id.strip()
    if not contact_id or not by.strip() or not reason.strip():
        raise InputError(
            translate(TEXT, "erase_needs", lang), hint=translate(TEXT, "erase_needs_hint", lang)
        )
    con = store.con
    if con.execute("SELECT 1 FROM erased_contacts WHERE contact_id = ?", [contact_id]).fetchone():
        raise InputError(translate(TEXT, "already_erased", lang, id=contact_id))
    person = con.execute(
        "SELECT customer_id, name, phone, email FROM contacts WHERE contact_id = ?", [contact_id]
    ).fetchone()
    linked = one_row(
        con,
        "SELECT any_value(customer_id), count(*) FROM activities WHERE contact_id = ?",
        [contact_id],
    )
    if person is None and not linked[1] and not _in_rejected(store, contact_id):
        raise NotFoundError(
            translate(TEXT, "contact_unknown", lang, id=contact_id),
            hint=translate(TEXT, "contact_unknown_hint", lang),
        )
    customer_id = person[0] if person else linked[0]
    name = person[1] if person else None
    # Phone, e-mail and id name this one person; the id is replaced in free text too.
    unique = [s for s in (*(person[2:] if person else ()), contact_id) if s]
    secrets = [*unique, name] if name else unique
    result = Erasure(contact_id, customer_id)
    con.execute("BEGIN TRANSACTION")
    try:
        result.contacts_deleted = _count(
            con.execute("DELETE FROM contacts WHERE contact_id = ?", [contact_id])
        )
        result.activities_unlinked = _count(
            con.execute(
                "UPDATE activities SET contact_id = NULL WHERE contact_id = ?", [contact_id]
            )
        )
        result.texts_cleaned = _clean_texts(store, unique, name, customer_id)
        result.rejected_rows_deleted, result.rejected_rows_cleaned = _clean_rejected(
            store, contact_id, secrets
        )
        result.chain_versions_cleaned = _clean_chains(store, contact_id, unique, name, customer_id)
        con.execute(
            "INSERT INTO erased_contacts VALUES (?, ?, ?, ?, ?)",
            [contact_id, customer_id, now or datetime.now(), by.strip(), reason.strip()],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for folder in report_dirs:
        result.files_cleaned += [str(p) for p in clean_report_files(Path(folder), secrets)]
    return result


def _count(cursor) -> int:
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _literal(text: str) -> str:
    return "".join("\\" + c if c in _RE2_SPECIAL else c for c in text)


def _pattern(secrets: list[str]) -> str:
    """An RE2 pattern (DuckDB) of the literal strings, each standing alone: not next to a
    letter or digit, so that an id "P1" does not hit "AP12". Group 1 and 3 are the neighbours,
    kept by :data:`_KEEP`. RE2's ``\\b`` knows only ASCII letters: "Özdemir" would never
    match, hence the Unicode classes."""
    alternatives = "|".join(_literal(s) for s in secrets)
    return rf"(^|[^\pL\pN])({alternatives})([^\pL\pN]|$)"


#: The replacement of a match of :func:`_pattern`: the neighbours stay.
_KEEP = rf"\1{ERASED}\3"


def _replace_sql(expr: str) -> str:
    """SQL replacing the pattern (parameter 1) in ``expr`` twice: two occurrences separated
    by one blank share it, and the first match consumes it."""
    once = f"regexp_replace({expr}, $pattern, $keep, 'gi')"
    return f"regexp_replace({once}, $pattern, $keep, 'gi')"


def python_pattern(secrets: list[str]) -> re.Pattern[str]:
    """The same search for Python (report files): ``[^\\W_]`` is a Unicode letter or digit."""
    alternatives = "|".join(re.escape(s) for s in secrets)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def _in_rejected(store: Store, contact_id: str) -> bool:
    return bool(
        scalar(
            store.con,
            "SELECT count(*) FROM rejected_rows WHERE contains(CAST(record AS VARCHAR), ?)",
            [contact_id],
        )
    )


#: Tables cleaned by their own rule (or holding nothing a person could be named in).
_OWN_RULE = {"contacts", "erased_contacts", "rejected_rows", "chain_versions", "schema_migrations",
             "users", "api_tokens", "web_sessions"}  # fmt: skip


def _clean_texts(
    store: Store, unique: list[str], name: str | None, customer_id: str | None
) -> dict[str, int]:
    """Replace the person's name, phone, e-mail and id in every text column of every table:
    activity descriptions, comments and survey answers, but also notes on alerts, reasons of
    overrides and the names in review snapshots. Id columns (``*_id``, keys) are left alone.

    Phone, e-mail and id name one person wherever they stand. A name may be a namesake's: in
    a table with customers it is replaced only in the rows of the person's customer."""
    cleaned: dict[str, int] = {}
    columns = store.con.execute(
        "SELECT c.table_name, c.column_name, c.table_name IN (SELECT table_name FROM "
        "information_schema.columns WHERE column_name = 'customer_id' AND table_schema = 'main') "
        "FROM information_schema.columns AS c "
        "JOIN information_schema.tables AS t USING (table_catalog, table_schema, table_name) "
        "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' "
        "AND c.data_type = 'VARCHAR' AND c.table_catalog = current_database() "
        "ORDER BY c.table_name, c.column_name"
    ).fetchall()
    for table_name, column, by_customer in columns:
        keys = TABLES[table_name].key if table_name in TABLES else ()
        if table_name in _OWN_RULE or column.endswith("_id") or column in keys:
            continue
        scoped = bool(by_customer and customer_id)
        passes = [(unique + ([name] if name and not scoped else []), "")]
        if name and scoped:
            passes.append(([name], " AND customer_id = $customer"))
        for secrets, where in passes:
            if not secrets:
                continue
            col = quote_ident(column)
            params: dict[str, str | None] = {"pattern": _pattern(secrets), "keep": _KEEP}
            if where:
                params["customer"] = customer_id
            n = _count(
                store.con.execute(
                    f"UPDATE {quote_ident(table_name)} SET {col} = {_replace_sql(col)} "
                    f"WHERE regexp_matches({col}, $pattern, 'i'){where}",
                    params,
                )
            )
            if n:
                key = f"{table_name}.{column}"
                cleaned[key] = cleaned.get(key, 0) + n
    return cleaned


def _clean_rejected(store: Store, contact_id: str, secrets: list[str]) -> tuple[int, int]:
    """Rejected contact rows of the person go; other rejected rows naming them are cleaned."""
    con, pattern = store.con, _pattern(secrets)
    deleted = _count(
        con.execute(
            "DELETE FROM rejected_rows WHERE table_name = ? AND regexp_matches("
            "CAST(record AS VARCHAR), ?, 'i')",
            [CONTACTS.name, _pattern([contact_id])],
        )
    )
    record = "CAST(record AS VARCHAR)"
    cleaned = _count(
        con.execute(
            f"UPDATE rejected_rows SET record = CAST({_replace_sql(record)} AS JSON), "
            f"reason = {_replace_sql('reason')} "
            f"WHERE regexp_matches({record} || ' ' || reason, $pattern, 'i')",
            {"pattern": pattern, "keep": _KEEP},
        )
    )
    return deleted, cleaned


def _clean_chains(
    store: Store, contact_id: str, unique: list[str], name: str | None, customer_id: str | None
) -> int:
    """Every version of every chain: the person leaves the actors' named persons. The name
    goes from chains that concern the person's customer (elsewhere it is a namesake's)."""
    con = store.con
    rows = con.execute(
        "SELECT chain_id, version, document FROM chain_versions "
        "WHERE regexp_matches(CAST(document AS VARCHAR) || ' ' || title, $pattern, 'i')",
        {"pattern": _pattern([*unique, name] if name else unique)},
    ).fetchall()
    changed = 0
    for chain_id, version, document in rows:
        doc = json.loads(document)
        concerned = customer_id in doc.get("focus", {}).get("customer_ids", [])
        secrets = [*unique, name] if name and concerned else unique
        for actor in doc.get("actors", []):
            actor["persons"] = [
                p
                for p in actor.get("persons", [])
                if p.get("contact_id") != contact_id
                and not (concerned and name and not p.get("contact_id") and p["name"] == name)
            ]
        text = json.dumps(doc, ensure_ascii=False)
        con.execute(
            f"UPDATE chain_versions SET document = CAST({_replace_sql('$text')} AS JSON), "
            f"title = {_replace_sql('title')} WHERE chain_id = $chain AND version = $version",
            {
                "text": text,
                "pattern": _pattern(secrets),
                "keep": _KEEP,
                "chain": chain_id,
                "version": version,
            },
        )
        after = scalar(
            con,
            "SELECT CAST(document AS VARCHAR) FROM chain_versions "
            "WHERE chain_id = ? AND version = ?",
            [chain_id, version],
        )
        changed += json.loads(after) != json.loads(document)
    return changed


def clean_report_files(report_dir: Path, secrets: list[str]) -> list[Path]:
    """Rejected-rows files (and summaries) of past imports: lines naming the person go.

    A rejected row is the row as read; a line that holds the person's data is dropped
    rather than patched, because its other fields may describe them too.
    """
    changed: list[Path] = []
    if not report_dir.exists():
        return changed
    names = python_pattern(secrets)
    for path in sorted(report_dir.rglob("*.rejected.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        kept = [r for r in rows if not any(names.search(cell) for cell in r)]
        if len(kept) != len(rows):
            # Written as write_rejected writes it: UTF-8 with BOM, semicolons.
            with path.open("w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh, delimiter=";").writerows(kept)
            changed.append(path)
    return changed
