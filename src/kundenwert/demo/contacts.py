"""The customer's people (seed 001) and the person each activity was with.

Drawn from a random stream of their own, so that the other tables stay exactly what they were
before contacts existed. Larger customers have more contacts; some key customers hang on one
person, which the contact coverage is meant to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo import catalogues as cat
from kundenwert.demo.arrays import numbered, strings
from kundenwert.demo.customers import CustomerFacts
from kundenwert.demo.invoices import Counters
from kundenwert.demo.model import make_table
from kundenwert.schema import ACTIVITY_KINDS, CONTACT_ROLES

#: Department of each role (index as in CONTACT_ROLES).
_DEPARTMENTS = ("Geschäftsleitung", "Produktion", "Einkauf", "Produktion", "Instandhaltung",
                "Geschäftsleitung", "Qualitätssicherung")  # fmt: skip
#: Roles of the second and further contacts: users and technicians most often.
_LATER_ROLES = np.array([0.12, 0.12, 0.14, 0.28, 0.22, 0.07, 0.05])
#: Kinds of activity that are a direct contact with a person (not newsletters, not events).
_PERSONAL = [ACTIVITY_KINDS.index(k) for k in ("visit", "call", "ticket", "service", "goodwill")]


@dataclass
class ContactFacts:
    """Per contact: the customer's row, and where each customer's contacts start."""

    owner: np.ndarray  # customer row of each contact
    first: np.ndarray  # per customer: index of its first contact
    count: np.ndarray  # per customer: number of contacts
    ids: pa.Array
    names: pa.Array


def build_contacts(
    rng: np.random.Generator, facts: CustomerFacts, counters: Counters
) -> tuple[pa.Table, ContactFacts]:
    n = len(facts.size_rank)
    count = 1 + rng.poisson(0.5 + 3.5 * facts.size_rank)
    # Some large customers hang on one person: the risk the coverage alerts name.
    count = np.where((facts.size_rank > 0.8) & (rng.random(n) < 0.15), 1, count)
    owner = np.repeat(np.arange(n), count)
    first = np.r_[0, np.cumsum(count)[:-1]]
    m = len(owner)
    position = np.arange(m) - first[owner]
    # The first person is the buyer or the decision maker; the others spread over all roles.
    lead = np.where(rng.random(m) < 0.6, CONTACT_ROLES.index("buyer"), 0)
    later = rng.choice(len(CONTACT_ROLES), size=m, p=_LATER_ROLES)
    role = np.where(position == 0, lead, later)
    given = rng.integers(0, len(cat.FIRST_NAMES), m)
    family = rng.integers(0, len(cat.SURNAMES), m)
    names = pc.binary_join_element_wise(
        strings(cat.FIRST_NAMES, given), strings(cat.SURNAMES, family), " "
    )
    number = counters.contact + 1 + np.arange(m)
    counters.contact += m
    ids = numbered("AP", number, 7)
    phone = pc.binary_join_element_wise(
        pa.scalar("+49 "), pc.cast(pa.array(rng.integers(2_000_000, 9_999_999, m)), pa.string()), ""
    )
    email = pc.binary_join_element_wise(pc.ascii_lower(ids), pa.scalar("@kunde.example"), "")
    table = make_table(
        "contacts",
        {
            "contact_id": ids,
            "customer_id": pc.take(facts.ids, pa.array(owner)),
            "name": names,
            "role": strings(CONTACT_ROLES, role),
            "department": strings(_DEPARTMENTS, role),
            "active": pa.array(rng.random(m) < 0.92),
            "phone": pc.if_else(pa.array(rng.random(m) < 0.7), phone, pa.scalar(None, pa.string())),
            "email": pc.if_else(pa.array(rng.random(m) < 0.8), email, pa.scalar(None, pa.string())),
        },
    )
    return table, ContactFacts(owner, first, count, ids, names)


def with_contacts(
    rng: np.random.Generator, activities: pa.Table, facts: CustomerFacts, people: ContactFacts
) -> pa.Table:
    """The activities with the person each personal one was with; some texts name them."""
    n = activities.num_rows
    cust = pc.index_in(activities["customer_id"], facts.ids).to_numpy(zero_copy_only=False)
    kind = pc.index_in(activities["kind"], pa.array(ACTIVITY_KINDS)).to_numpy(zero_copy_only=False)
    personal = np.isin(kind, _PERSONAL) & (rng.random(n) < 0.75)
    pick = people.first[cust] + (rng.random(n) * people.count[cust]).astype(np.int64)
    ids = pc.take(people.ids, pa.array(pick))
    contact = pc.if_else(pa.array(personal), ids, pa.scalar(None, pa.string()))
    named = personal & (rng.random(n) < 0.2)
    who = pc.take(people.names, pa.array(pick))
    text = pc.binary_join_element_wise(activities["description"], pa.scalar("mit"), who, " ")
    description = pc.if_else(pa.array(named), text, activities["description"])
    out = activities.set_column(
        activities.schema.get_field_index("contact_id"), "contact_id", contact
    )
    return out.set_column(out.schema.get_field_index("description"), "description", description)
