"""Changing a contact's role, department or active flag between CRM exports.

The CRM stays the source: the next import of a contacts file replaces a changed row by the
CRM's version (rows are merged by their key). An edit here is for what the CRM lacks until
it is corrected there.
"""

from __future__ import annotations

from typing import Any

from kundenwert.contacts.text import TEXT
from kundenwert.errors import InputError, NotFoundError
from kundenwert.i18n import translate
from kundenwert.schema import CONTACT_ROLES
from kundenwert.store import Store


def update_contact(
    store: Store,
    contact_id: str,
    *,
    role: str | None = None,
    department: str | None = None,
    active: bool | None = None,
    lang: str = "de",
) -> dict[str, Any]:
    """Set the given fields of one contact; returns the contact's row."""
    con = store.con
    if role is not None and role not in CONTACT_ROLES:
        raise InputError(
            translate(TEXT, "role_invalid", lang, value=role, roles=", ".join(CONTACT_ROLES))
        )
    row = con.execute("SELECT 1 FROM contacts WHERE contact_id = ?", [contact_id]).fetchone()
    if row is None:
        raise NotFoundError(
            translate(TEXT, "contact_unknown", lang, id=contact_id),
            hint=translate(TEXT, "contact_unknown_hint", lang),
        )
    changes = {"role": role, "department": department, "active": active}
    for column, value in changes.items():
        if value is not None:
            con.execute(
                f"UPDATE contacts SET {column} = ? WHERE contact_id = ?",  # fixed names above
                [value.strip() or None if isinstance(value, str) else value, contact_id],
            )
    return contact_row(store, contact_id, lang)


def contact_row(store: Store, contact_id: str, lang: str = "de") -> dict[str, Any]:
    cur = store.con.execute(
        "SELECT contact_id, customer_id, name, role, department, active FROM contacts "
        "WHERE contact_id = ?",
        [contact_id],
    )
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise NotFoundError(
            translate(TEXT, "contact_unknown", lang, id=contact_id),
            hint=translate(TEXT, "contact_unknown_hint", lang),
        )
    return dict(zip(names, row, strict=True))
