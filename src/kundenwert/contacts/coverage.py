"""Contact coverage: whom we know at each customer, whom we spoke to, where it is thin.

Seed 001: a relationship rests on decision makers, influencers and users, not on one buyer.
Per customer: the roles known by name (active contacts), with whom there was direct contact in
the last N months (activities naming the person), with whom none. Alerts, ranked by the
customer's value (the ABC measure of the review): key customers (class A or strategic,
overrides applied) that have no known contact, with none of whose people we spoke in N months,
that hang on one person (one active contact, or direct contact with one person only), or
whose decision makers (roles decision maker and management) were not contacted in N months.

Ibis expressions over the store's tables; the review's customers join as an in-memory table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pyarrow as pa

from kundenwert.contacts.text import ALERTS, TEXT, role_name
from kundenwert.errors import InputError, NotFoundError
from kundenwert.i18n import translate
from kundenwert.review.period import months_before
from kundenwert.schema import CONTACT_ROLES
from kundenwert.store import Store

#: Up to this many customers their ids filter the scans as a list (a customer page: one).
_FEW = 1000
#: Roles that decide a purchase: the no-decision-maker alert looks at these.
DECIDING = ("decision_maker", "management")
ALERT_KINDS = ("no_contacts", "no_recent_contact", "single_contact", "no_decision_maker")


@dataclass
class Coverage:
    """Contact coverage of the customers of one review, as of a date."""

    review_id: int
    as_of: date
    months: int
    since: date
    customers: pa.Table  # one row per customer, ranked by value
    people: pa.Table  # one row per contact: role, active, contacts in the period, last contact
    alerts: list[dict[str, Any]]  # ranked by value, each with its rule in words

    def for_customer(self, customer_id: str) -> dict[str, Any]:
        rows = self.customers.filter(pa.compute.equal(self.customers["customer_id"], customer_id))
        if not rows.num_rows:
            raise NotFoundError(f"Kunde {customer_id} ist nicht im Review {self.review_id}.")
        people = self.people.filter(pa.compute.equal(self.people["customer_id"], customer_id))
        return {
            **rows.to_pylist()[0],
            "people": people.to_pylist(),
            "alerts": [a for a in self.alerts if a["customer_id"] == customer_id],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id,
            "as_of": self.as_of.isoformat(),
            "months": self.months,
            "since": self.since.isoformat(),
            "customers": _plain(self.customers.to_pylist()),
            "people": _plain(self.people.to_pylist()),
            "alerts": _plain(self.alerts),
        }


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows]


def contact_coverage(
    store: Store,
    *,
    months: int = 12,
    as_of: date | None = None,
    review_id: int | None = None,
    customer_ids: list[str] | None = None,
    lang: str = "de",
) -> Coverage:
    """Coverage of the review's customers (``customer_ids``: only these, e.g. one's own)."""
    from kundenwert.review.snapshots import load_review

    _check_months(months, lang)
    try:
        loaded = load_review(store, review_id)
    except NotFoundError as exc:
        raise NotFoundError(
            translate(TEXT, "no_review", lang), hint=translate(TEXT, "no_review_hint", lang)
        ) from exc
    reviewed = loaded.customers.select(list(REVIEWED))
    if customer_ids is not None:
        wanted = pa.array(sorted(set(customer_ids)), pa.string())
        reviewed = reviewed.filter(pa.compute.is_in(reviewed["customer_id"], wanted))
    return coverage_of(
        store,
        reviewed,
        review_id=loaded.review_id,
        as_of=as_of or loaded.header["as_of"],
        months=months,
        lang=lang,
    )


#: The review's columns coverage reads (effective values: overrides applied).
REVIEWED = ("customer_id", "name", "abc_class_effective", "strategic", "abc_measure")


def coverage_of(
    store: Store,
    reviewed: pa.Table,
    *,
    review_id: int,
    as_of: date,
    months: int = 12,
    lang: str = "de",
) -> Coverage:
    """Coverage of the customers in ``reviewed`` (the REVIEWED columns of a review's rows):
    for a page that already holds the customer's row, without loading the whole review."""
    _check_months(months, lang)
    since = months_before(as_of, months)
    # The people once from the store; the per-customer figures from them in memory.
    people_table = _people(store, reviewed, since, as_of).to_pyarrow()
    people_table = people_table.sort_by([("customer_id", "ascending"), ("contact_id", "ascending")])
    customers = _customers(store, reviewed, ibis.memtable(people_table)).to_pyarrow()
    customers = customers.sort_by([("value", "descending"), ("customer_id", "ascending")])
    return Coverage(
        review_id=review_id,
        as_of=as_of,
        months=months,
        since=since,
        customers=customers,
        people=people_table,
        alerts=_alerts(customers, months, lang),
    )


def _check_months(months: int, lang: str) -> None:
    if not 1 <= months <= 120:
        raise InputError(translate(TEXT, "months_invalid", lang, value=months))


def _people(store: Store, reviewed: pa.Table, since: date, as_of: date) -> ibis.Table:
    backend = store.ibis()
    contacts = backend.table("contacts")
    keys = ibis.memtable(reviewed.select(["customer_id"]))
    acts = backend.table("activities")
    # The customers' own activities first: a customer page must not aggregate all of them.
    acts = acts.filter(acts.contact_id.notnull() & (acts.date <= as_of))
    if reviewed.num_rows <= _FEW:
        # A literal list is a filter the engine pushes into the scan (with the table sorted
        # by customer, `kundenwert optimize`, it skips most blocks); a join reads them all.
        ids = reviewed["customer_id"].to_pylist()
        acts = acts.filter(acts.customer_id.isin(ids))
        contacts = contacts.filter(contacts.customer_id.isin(ids))
    else:
        acts = acts.semi_join(keys, "customer_id")
    per_person = acts.group_by("contact_id").aggregate(
        last_contact=acts.date.max(),
        contacts_in_period=acts.count(where=acts.date >= since),
    )
    mine = contacts.semi_join(keys, "customer_id")
    joined = mine.left_join(per_person, "contact_id")
    return joined.select(
        "customer_id",
        "contact_id",
        "name",
        "role",
        "department",
        active=joined.active.fill_null(True),
        contacts_in_period=joined.contacts_in_period.fill_null(0),
        last_contact=joined.last_contact,
    )


def _customers(store: Store, reviewed: pa.Table, people: ibis.Table) -> ibis.Table:
    active = people.filter(people.active)
    spoken = active.contacts_in_period > 0
    deciding = active.role.isin(DECIDING)
    per = active.group_by("customer_id").aggregate(
        active_contacts=active.count(),
        contacted=active.count(where=spoken),
        roles_known=active.role.collect(distinct=True),
        decision_makers=active.count(where=deciding),
        decision_makers_contacted=active.count(where=deciding & spoken),
        last_contact=active.last_contact.max(),
    )
    base = ibis.memtable(reviewed)
    t = base.left_join(per, "customer_id")
    key = (t.abc_class_effective == "A") | t.strategic.fill_null(False)
    return t.select(
        "customer_id",
        "name",
        abc_class=t.abc_class_effective,
        key_customer=key,
        value=t.abc_measure,
        active_contacts=t.active_contacts.fill_null(0),
        contacted=t.contacted.fill_null(0),
        not_contacted=t.active_contacts.fill_null(0) - t.contacted.fill_null(0),
        roles_known=t.roles_known,
        decision_makers=t.decision_makers.fill_null(0),
        decision_makers_contacted=t.decision_makers_contacted.fill_null(0),
        last_contact=t.last_contact,
    )


def _alerts(customers: pa.Table, months: int, lang: str) -> list[dict[str, Any]]:
    """The alerts of the key customers, in the order of their value (highest first)."""
    out = []
    # Only the key customers become Python rows: a million customers stay in Arrow.
    key = customers.filter(pa.compute.fill_null(customers["key_customer"], False))
    for row in key.to_pylist():
        kinds = []
        if row["active_contacts"] == 0:
            kinds.append("no_contacts")
        elif row["contacted"] == 0:
            kinds.append("no_recent_contact")
        if row["active_contacts"] == 1 or row["contacted"] == 1:
            kinds.append("single_contact")
        if row["active_contacts"] and row["decision_makers_contacted"] == 0:
            kinds.append("no_decision_maker")
        for kind in kinds:
            out.append(
                {
                    "customer_id": row["customer_id"],
                    "name": row["name"],
                    "value": row["value"],
                    "alert": kind,
                    "text": translate(ALERTS, kind, lang, months=months),
                    "because": _because(kind, row, months, lang),
                }
            )
    return out


_BECAUSE = {
    "no_contacts": {
        "de": "Klasse {cls}, kein aktiver Ansprechpartner bekannt",
        "en": "class {cls}, no active contact known",
    },
    "no_recent_contact": {
        "de": "Klasse {cls}, {known} aktive Ansprechpartner, mit keinem in {months} Monaten "
        "gesprochen",
        "en": "class {cls}, {known} active contacts, none contacted in {months} months",
    },
    "single_contact": {
        "de": "Klasse {cls}, {known} aktive Ansprechpartner, in {months} Monaten mit "
        "{spoken} gesprochen",
        "en": "class {cls}, {known} active contacts, {spoken} contacted in {months} months",
    },
    "no_decision_maker": {
        "de": "Klasse {cls}, {dm} Entscheider bzw. Geschäftsleitung bekannt, keiner in "
        "{months} Monaten gesprochen; bekannte Rollen: {roles}",
        "en": "class {cls}, {dm} decision makers or management known, none contacted in "
        "{months} months; roles known: {roles}",
    },
}


def _because(kind: str, row: dict[str, Any], months: int, lang: str) -> str:
    roles = ", ".join(role_name(r, lang) for r in CONTACT_ROLES if r in (row["roles_known"] or []))
    return translate(
        _BECAUSE,
        kind,
        lang,
        cls=row["abc_class"],
        known=row["active_contacts"],
        spoken=row["contacted"],
        months=months,
        dm=row["decision_makers"],
        roles=roles or "–",
    )


def roles_missing(roles_known: list[str] | None) -> list[str]:
    """The roles of CONTACT_ROLES (other than 'other') that no active contact holds."""
    known = set(roles_known or [])
    return [r for r in CONTACT_ROLES if r != "other" and r not in known]
