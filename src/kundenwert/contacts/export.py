"""The contact coverage and the problem-solving chains as export tables (workbook sheets,
or files beside a CSV/Parquet export), headed in words of the export's language."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from kundenwert.contacts.chains import list_chains
from kundenwert.contacts.coverage import contact_coverage, roles_missing
from kundenwert.contacts.text import FOCUS_KINDS, LABELS, actor_name, role_name
from kundenwert.errors import NotFoundError
from kundenwert.i18n import translate
from kundenwert.store import Store
from kundenwert.store.queries import scalar

_SHEETS = {
    "contacts": {"de": "Kontaktabdeckung", "en": "Contact coverage"},
    "chains": {"de": "Problemlöseketten", "en": "Problem-solving chains"},
    "alerts": {"de": "Warnungen", "en": "Alerts"},
    "key": {"de": "Schlüsselkunde", "en": "Key customer"},
    "number_in_chain": {"de": "Nr.", "en": "No."},
}


def contact_tables(
    store: Store, review_id: int | None, lang: str, months: int = 12
) -> dict[str, tuple[str, pa.Table]]:
    """{key: (title, table)}: coverage of key customers and customers with contacts, and one
    row per actor of every current chain. Empty when there is no contact and no chain."""
    has_contacts = scalar(store.con, "SELECT count(*) FROM contacts")
    chains = list_chains(store)
    out: dict[str, tuple[str, pa.Table]] = {}
    if has_contacts:
        try:
            cov = contact_coverage(store, months=months, review_id=review_id, lang=lang)
        except NotFoundError:
            cov = None
        if cov is not None:
            title = translate(_SHEETS, "contacts", lang)
            out["contacts"] = (title, _coverage_table(cov, lang))
    if chains:
        out["chains"] = (translate(_SHEETS, "chains", lang), _chains_table(chains, lang))
    return out


def _coverage_table(cov, lang: str) -> pa.Table:
    def label(key: str) -> str:
        return translate(LABELS, key, lang)

    alerts: dict[str, list[str]] = {}
    for a in cov.alerts:
        alerts.setdefault(a["customer_id"], []).append(f"{a['text']}: {a['because']}")
    rows = []
    for r in cov.customers.to_pylist():
        if not (r["key_customer"] or r["active_contacts"]):
            continue
        rows.append(
            {
                label("customer_id"): r["customer_id"],
                label("customer_name"): r["name"],
                label("abc_class"): r["abc_class"],
                translate(_SHEETS, "key", lang): label("yes") if r["key_customer"] else label("no"),
                label("value"): float(r["value"]) if r["value"] is not None else None,
                label("contacts"): r["active_contacts"],
                label("contacted"): r["contacted"],
                label("not_contacted"): r["not_contacted"],
                label("roles_known"): ", ".join(role_name(x, lang) for x in r["roles_known"] or []),
                label("roles_missing"): ", ".join(
                    role_name(x, lang) for x in roles_missing(r["roles_known"])
                ),
                label("last_contact"): r["last_contact"],
                translate(_SHEETS, "alerts", lang): " | ".join(alerts.get(r["customer_id"], [])),
            }
        )
    kinds = {
        label("value"): "money",
        label("contacts"): "int",
        label("contacted"): "int",
        label("not_contacted"): "int",
        label("last_contact"): "date",
    }
    return _table(rows, kinds)


def _chains_table(chains: list[dict[str, Any]], lang: str) -> pa.Table:
    def label(key: str) -> str:
        return translate(LABELS, key, lang)

    rows = []
    for item in chains:
        chain = item["chain"]
        focus = chain["focus"]
        planned: dict[int | None, list[str]] = {}
        for act in chain["activities"]:
            planned.setdefault(act["actor"], []).append(
                f"{act['what']} ({act['owner']}, {act['due']})"
            )
        for i, a in enumerate(chain["actors"]):
            direct = a["direct_contact"] or any(p["direct_contact"] for p in a["persons"])
            rows.append(
                {
                    label("chain"): f"{item['chain_id']} {item['title']}",
                    label("version"): item["version"],
                    label("focus"): f"{translate(FOCUS_KINDS, focus['kind'], lang)}: "
                    f"{focus['name']}",
                    label("reasons"): "; ".join(focus["reasons"]),
                    label("concerns"): ", ".join(focus["customer_ids"]),
                    translate(_SHEETS, "number_in_chain", lang): i + 1,
                    label("kind"): actor_name(a["kind"], lang),
                    label("actor"): a["name"],
                    label("size"): a["size"],
                    label("importance"): a["importance"],
                    label("competitive_position"): a["competitive_position"],
                    label("number"): a["number"],
                    label("relationship"): a["relationship"],
                    label("success_factors"): "; ".join(a["success_factors"]),
                    label("persons"): "; ".join(p["name"] for p in a["persons"]),
                    label("direct_contact"): label("yes") if direct else label("no"),
                    label("activities_planned"): "; ".join(
                        planned.get(i, []) + (planned.get(None, []) if i == 0 else [])
                    ),
                }
            )
    kinds = {label("version"): "int", translate(_SHEETS, "number_in_chain", lang): "int"}
    return _table(rows, kinds)


def _table(rows: list[dict[str, Any]], kinds: dict[str, str] | None = None) -> pa.Table:
    """The rows as a table; ``kinds`` (header -> money, int, date, …) go into the fields'
    metadata, so the workbook writes those columns in their number or date format."""
    if not rows:
        return pa.table({})
    table = pa.Table.from_pylist(rows)
    fields = [
        f.with_metadata({"kind": kinds[f.name]}) if kinds and f.name in kinds else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))
