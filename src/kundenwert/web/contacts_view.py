"""What the chain pages and the customer page's contact card show, and who may see it.

Rights: managers and admins create and edit chains and see all of them; an account manager
sees the chains that concern their customers and edits the contacts of their own customers.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pyarrow as pa

from kundenwert.contacts.chains import chain_history, get_chain, list_chains
from kundenwert.contacts.coverage import REVIEWED, coverage_of, roles_missing
from kundenwert.contacts.text import ACTIONS, FOCUS_KINDS, LABELS, actor_name, role_name
from kundenwert.errors import NotFoundError
from kundenwert.i18n import translate
from kundenwert.reads.scope import customer_visible, visible_ids_sql
from kundenwert.schema import CONTACT_ROLES
from kundenwert.web.chain_svg import chain_svg
from kundenwert.web.users import User

#: Months of direct contact the customer page looks back.
PAGE_MONTHS = 12


def own_customers(store, user: User) -> list[str] | None:
    """The customers ``user`` is limited to, or None (sees all)."""
    if not user.own_customers_only:
        return None
    sql, params = visible_ids_sql(user.scope)
    return [r[0] for r in store.con.execute(sql, params).fetchall()]


def visible_chains(store, user: User) -> list[dict[str, Any]]:
    return list_chains(store, customer_ids=own_customers(store, user))


def visible_chain(
    store, user: User, chain_id: int, version: int | None = None, lang: str = "de"
) -> dict[str, Any]:
    """One chain, or NotFoundError when it does not exist or does not concern the user."""
    item = get_chain(store, chain_id, version=version, lang=lang)
    mine = own_customers(store, user)
    if mine is not None and not set(mine).intersection(item["chain"]["focus"]["customer_ids"]):
        raise NotFoundError(f"Kette {chain_id} nicht gefunden.")
    return item


def may_edit_contacts(store, user: User, customer_id: str) -> bool:
    return user.can_override or (
        user.own_customers_only and customer_visible(store.con, user.scope, customer_id)
    )


def chain_page(store, user: User, chain_id: int, version: int | None, lang: str) -> dict[str, Any]:
    item = visible_chain(store, user, chain_id, version, lang)
    chain = item["chain"]
    names = dict(
        store.con.execute(
            "SELECT customer_id, name FROM customers WHERE customer_id IN (SELECT unnest(?))",
            [chain["focus"]["customer_ids"]],
        ).fetchall()
    )
    linked = [p["contact_id"] for a in chain["actors"] for p in a["persons"] if p["contact_id"]]
    # What the activities say beside what the chain's author said: the last direct contact.
    last_contact = dict(
        store.con.execute(
            "SELECT contact_id, max(date) FROM activities "
            "WHERE contact_id IN (SELECT unnest(?)) GROUP BY contact_id",
            [linked],
        ).fetchall()
    )
    actors = [
        {
            **a,
            "kind_name": actor_name(a["kind"], lang),
            "direct": a["direct_contact"] or any(p["direct_contact"] for p in a["persons"]),
        }
        for a in chain["actors"]
    ]
    return {
        "item": item,
        "chain": chain,
        "actors": actors,
        "focus_kind": translate(FOCUS_KINDS, chain["focus"]["kind"], lang),
        "customers": [(c, names.get(c, "")) for c in chain["focus"]["customer_ids"]],
        "svg": chain_svg(chain, lang),
        "last_contact": last_contact,
        "history": [
            {**h, "action_name": translate(ACTIONS, h["action"], lang)}
            for h in chain_history(store, chain_id, lang)
        ],
        "may_edit": user.can_override,
        "label": lambda key, **kw: translate(LABELS, key, lang, **kw),
    }


def chains_page(store, user: User, lang: str) -> dict[str, Any]:
    items = visible_chains(store, user)
    for item in items:
        item["focus_text"] = (
            translate(FOCUS_KINDS, item["chain"]["focus"]["kind"], lang)
            + ": "
            + item["chain"]["focus"]["name"]
        )
    return {
        "items": items,
        "may_edit": user.can_override,
        "label": lambda key, **kw: translate(LABELS, key, lang, **kw),
    }


def chain_json(store, user: User, chain_id: int | None, lang: str) -> str:
    """The text of the edit form: the chain's newest version, or the template."""
    from kundenwert.contacts.chains import template

    if chain_id is None:
        return template(lang).model_dump_json(indent=2)
    return json.dumps(visible_chain(store, user, chain_id, lang=lang)["chain"], indent=2,
                      ensure_ascii=False)  # fmt: skip


def customer_contacts(
    store, user: User, row: dict[str, Any], header: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The contact card of the customer page: people, coverage and its alerts."""
    reviewed = pa.Table.from_pylist([{k: row.get(k) for k in REVIEWED}])
    as_of = header["as_of"]
    cov = coverage_of(
        store,
        reviewed,
        review_id=int(header["review_id"]),
        as_of=as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of)),
        months=PAGE_MONTHS,
        lang=lang,
    )
    one = cov.for_customer(row["customer_id"])
    people = [
        {**p, "role_name": role_name(p["role"], lang)}
        for p in sorted(one["people"], key=lambda p: (not p["active"], p["role"], p["name"]))
    ]
    return {
        "summary": one,
        "people": people,
        "roles_known": [role_name(r, lang) for r in one["roles_known"] or []],
        "roles_missing": [role_name(r, lang) for r in roles_missing(one["roles_known"])],
        "alerts": one["alerts"],
        "months": PAGE_MONTHS,
        "since": cov.since,
        "as_of": cov.as_of,
        "chains": [c for c in list_chains(store, customer_ids=[row["customer_id"]])],
        "may_edit": may_edit_contacts(store, user, row["customer_id"]),
        "roles": [(r, role_name(r, lang)) for r in CONTACT_ROLES],
        "label": lambda key, **kw: translate(LABELS, key, lang, **kw),
    }
