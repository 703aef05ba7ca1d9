"""The problem-solving chain (seed 003): who is involved along the customer's value chain.

A chain belongs to a focus (a customer type, product or service, with the reasons to improve
the relationships there and the customers it concerns), not to one customer. It lists the
actors in order, from our supplier to the customer's customer (more can be added), each with
the characteristics the seed names (size, importance, competitive position, number, business
relationship, success factors), the persons we know there and whether we have direct contact;
and the activities planned along the chain, each with an owner and a due date.

Stored like overrides: never changed in place. Every save writes a new version holding the
whole chain with who, when and why (``chain_versions``); the newest version is the chain.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kundenwert.contacts.text import TEXT
from kundenwert.errors import InputError, NotFoundError
from kundenwert.i18n import translate
from kundenwert.store import Store
from kundenwert.store.queries import scalar

ActorKind = Literal[
    "supplier", "manufacturer", "trade", "customer", "user", "customers_customer", "other"
]
#: The chain of the seed, in order: supplier, manufacturer (us), trade, user, customer's customer.
DEFAULT_ACTORS: tuple[str, ...] = (
    "supplier",
    "manufacturer",
    "trade",
    "customer",
    "user",
    "customers_customer",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Person(_Model):
    """A person we know at an actor; ``contact_id`` links a contact of the CRM."""

    name: str = Field(min_length=1, max_length=200)
    contact_id: str | None = None
    function: str = Field("", max_length=200, description="Role or function there.")
    direct_contact: bool = False


class Actor(_Model):
    kind: ActorKind
    name: str = Field(min_length=1, max_length=200)
    size: str = Field("", max_length=200)
    importance: str = Field("", max_length=200)
    competitive_position: str = Field("", max_length=500)
    number: int | None = Field(None, ge=0)
    relationship: str = Field("", max_length=500, description="Business relationship to us.")
    success_factors: list[str] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    direct_contact: bool = False

    @property
    def has_direct_contact(self) -> bool:
        return self.direct_contact or any(p.direct_contact for p in self.persons)


class PlannedActivity(_Model):
    what: str = Field(min_length=1, max_length=500)
    actor: int | None = Field(None, ge=0, description="Position of the actor in the chain.")
    owner: str = Field(min_length=1, max_length=200)
    due: date
    done: bool = False


class Focus(_Model):
    kind: Literal["customer_type", "product", "service"]
    name: str = Field(min_length=1, max_length=200)
    reasons: list[str] = Field(default_factory=list)
    customer_ids: list[str] = Field(default_factory=list)

    @field_validator("customer_ids")
    @classmethod
    def _distinct(cls, ids: list[str]) -> list[str]:
        return list(dict.fromkeys(i.strip() for i in ids if i.strip()))


class Chain(_Model):
    title: str = Field(min_length=1, max_length=200)
    focus: Focus
    actors: list[Actor] = Field(min_length=1)
    activities: list[PlannedActivity] = Field(default_factory=list)

    @field_validator("activities")
    @classmethod
    def _actor_exists(cls, acts: list[PlannedActivity], info: Any) -> list[PlannedActivity]:
        count = len(info.data.get("actors") or [])
        for act in acts:
            if act.actor is not None and act.actor >= count:
                raise ValueError(f"activity {act.what!r}: actor {act.actor} does not exist")
        return acts


def template(lang: str = "de") -> Chain:
    """An example chain with the seed's actors, to copy and fill in."""
    from kundenwert.contacts.text import actor_name

    return Chain(
        title="Beispiel" if lang == "de" else "Example",
        focus=Focus(kind="product", name="…", reasons=["…"], customer_ids=[]),
        actors=[Actor(kind=k, name=actor_name(k, lang)) for k in DEFAULT_ACTORS],
        activities=[],
    )


def parse_chain(data: Any, lang: str = "de") -> Chain:
    """A chain from JSON data, or InputError naming each faulty field."""
    try:
        return data if isinstance(data, Chain) else Chain.model_validate(data)
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(
            translate(TEXT, "chain_invalid", lang, errors=errors),
            hint=translate(TEXT, "chain_invalid_hint", lang),
        ) from exc


def _check_references(store: Store, chain: Chain, lang: str) -> None:
    con = store.con
    ids = chain.focus.customer_ids
    if ids:
        known = {r[0] for r in con.execute(
            "SELECT customer_id FROM customers WHERE customer_id IN (SELECT unnest(?))", [ids]
        ).fetchall()}  # fmt: skip
        missing = [i for i in ids if i not in known]
        if missing:
            raise InputError(
                translate(TEXT, "chain_customer_unknown", lang, ids=", ".join(missing))
            )
    contact_ids = [p.contact_id for a in chain.actors for p in a.persons if p.contact_id]
    if contact_ids:
        known = {r[0] for r in con.execute(
            "SELECT contact_id FROM contacts WHERE contact_id IN (SELECT unnest(?))", [contact_ids]
        ).fetchall()}  # fmt: skip
        missing = [i for i in contact_ids if i not in known]
        if missing:
            raise InputError(translate(TEXT, "chain_contact_unknown", lang, ids=", ".join(missing)))


def _needs(by: str, reason: str, lang: str) -> None:
    if not by.strip() or not reason.strip():
        raise InputError(
            translate(TEXT, "chain_needs", lang), hint=translate(TEXT, "chain_needs_hint", lang)
        )


def _write(store, chain_id, version, action, chain: Chain, by, reason, now) -> dict[str, Any]:
    store.con.execute(
        "INSERT INTO chain_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            chain_id,
            version,
            action,
            chain.title,
            chain.model_dump_json(),
            by.strip(),
            now or datetime.now(),
            reason.strip(),
        ],
    )
    return get_chain(store, chain_id)


def create_chain(
    store: Store,
    data: Any,
    *,
    by: str,
    reason: str,
    lang: str = "de",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Store a new chain as version 1; returns it as :func:`get_chain` does."""
    _needs(by, reason, lang)
    chain = parse_chain(data, lang)
    _check_references(store, chain, lang)
    chain_id = int(scalar(store.con, "SELECT nextval('chain_seq')"))
    return _write(store, chain_id, 1, "create", chain, by, reason, now)


def update_chain(
    store: Store,
    chain_id: int,
    data: Any,
    *,
    by: str,
    reason: str,
    lang: str = "de",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Store a new version of a chain (the old versions stay)."""
    _needs(by, reason, lang)
    current = get_chain(store, chain_id, lang=lang)
    chain = parse_chain(data, lang)
    _check_references(store, chain, lang)
    return _write(store, chain_id, current["version"] + 1, "edit", chain, by, reason, now)


def delete_chain(
    store: Store,
    chain_id: int,
    *,
    by: str,
    reason: str,
    lang: str = "de",
    now: datetime | None = None,
) -> None:
    """Mark a chain deleted by a last version; its history stays."""
    _needs(by, reason, lang)
    current = get_chain(store, chain_id, lang=lang)
    chain = Chain.model_validate(current["chain"])
    store.con.execute(
        "INSERT INTO chain_versions VALUES (?, ?, 'delete', ?, ?, ?, ?, ?)",
        [
            chain_id,
            current["version"] + 1,
            chain.title,
            chain.model_dump_json(),
            by.strip(),
            now or datetime.now(),
            reason.strip(),
        ],
    )


_COLUMNS = "chain_id, version, action, title, document, changed_by, changed_at, reason"


def _row(row: tuple) -> dict[str, Any]:
    out = dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True))
    out["chain"] = json.loads(out.pop("document"))
    return out


def get_chain(
    store: Store, chain_id: int, *, version: int | None = None, lang: str = "de"
) -> dict[str, Any]:
    """A chain (its newest version, or ``version``) with who changed it when and why."""
    sql = f"SELECT {_COLUMNS} FROM chain_versions WHERE chain_id = ?"
    params: list[Any] = [chain_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = store.con.execute(sql + " ORDER BY version DESC LIMIT 1", params).fetchone()
    if row is None or (version is None and row[2] == "delete"):
        raise NotFoundError(
            translate(TEXT, "chain_unknown", lang, id=chain_id),
            hint=translate(TEXT, "chain_unknown_hint", lang),
        )
    return _row(row)


def chain_history(store: Store, chain_id: int, lang: str = "de") -> list[dict[str, Any]]:
    """Every version of a chain, oldest first, without the documents."""
    rows = store.con.execute(
        "SELECT version, action, title, changed_by, changed_at, reason FROM chain_versions "
        "WHERE chain_id = ? ORDER BY version",
        [chain_id],
    ).fetchall()
    if not rows:
        raise NotFoundError(
            translate(TEXT, "chain_unknown", lang, id=chain_id),
            hint=translate(TEXT, "chain_unknown_hint", lang),
        )
    keys = ("version", "action", "title", "changed_by", "changed_at", "reason")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def list_chains(store: Store, *, customer_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The current chains, newest first; with ``customer_ids`` only those concerning any of
    these customers (an account manager sees the chains of their customers)."""
    rows = store.con.execute(
        f"SELECT {_COLUMNS} FROM chain_versions QUALIFY "
        "version = max(version) OVER (PARTITION BY chain_id) ORDER BY chain_id DESC"
    ).fetchall()
    wanted = None if customer_ids is None else set(customer_ids)
    out = []
    for row in rows:
        item = _row(row)
        if item["action"] == "delete":
            continue
        concerns = item["chain"]["focus"]["customer_ids"]
        if wanted is not None and not wanted.intersection(concerns):
            continue
        out.append(item)
    return out


def concerns(item: dict[str, Any], customer_ids: set[str]) -> bool:
    """Whether a stored chain concerns any of ``customer_ids``."""
    return bool(customer_ids.intersection(item["chain"]["focus"]["customer_ids"]))
