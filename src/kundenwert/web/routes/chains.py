"""Pages and API of the problem-solving chains and the contact network."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from kundenwert.contacts.chains import (
    chain_history,
    create_chain,
    delete_chain,
    update_chain,
)
from kundenwert.contacts.coverage import contact_coverage
from kundenwert.contacts.edit import contact_row, update_contact
from kundenwert.errors import InputError, NotFoundError
from kundenwert.web import contacts_view
from kundenwert.web.deps import (
    SHORT,
    api_user,
    csrf_checked,
    db,
    language,
    page_user,
    render,
    require,
)
from kundenwert.web.state import RequestStore
from kundenwert.web.users import User

router = APIRouter()
api_router = APIRouter(prefix="/api/v1", tags=["kundenwert"])
#: Most characters of a chain sent from the form (a chain is a page of text, not a file).
DOCUMENT = 200_000


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"Die Kette ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}).",
            hint="Vergleichen Sie mit der Vorlage (neue Kette).",
        ) from exc


# --- pages ---------------------------------------------------------------------------------


@router.get("/chains")
def chains(request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)):
    data = contacts_view.chains_page(store, user, language(request))
    return render(request, "chains.html", **data)


@router.get("/chains/new")
def new_chain(request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)):
    require(user, user.can_override)
    text = contacts_view.chain_json(store, user, None, language(request))
    return render(request, "chain_form.html", chain_id=None, document=text, **_labels(request))


@router.post("/chains")
def add_chain(
    request: Request,
    document: str = Form(..., max_length=DOCUMENT),
    reason: str = Form(..., max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    item = create_chain(
        store, _parse(document), by=user.name, reason=reason, lang=language(request)
    )
    return RedirectResponse(f"/chains/{item['chain_id']}", 303)


@router.get("/chains/{chain_id}")
def chain(
    request: Request,
    chain_id: int,
    version: int | None = None,
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    data = contacts_view.chain_page(store, user, chain_id, version, language(request))
    return render(request, "chain.html", **data)


@router.get("/chains/{chain_id}/edit")
def edit_chain(
    request: Request,
    chain_id: int,
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    text = contacts_view.chain_json(store, user, chain_id, language(request))
    return render(request, "chain_form.html", chain_id=chain_id, document=text, **_labels(request))


@router.post("/chains/{chain_id}")
def save_chain(
    request: Request,
    chain_id: int,
    document: str = Form(..., max_length=DOCUMENT),
    reason: str = Form(..., max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    update_chain(
        store, chain_id, _parse(document), by=user.name, reason=reason, lang=language(request)
    )
    return RedirectResponse(f"/chains/{chain_id}", 303)


@router.post("/chains/{chain_id}/delete")
def remove_chain(
    request: Request,
    chain_id: int,
    reason: str = Form(..., max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    delete_chain(store, chain_id, by=user.name, reason=reason, lang=language(request))
    return RedirectResponse("/chains", 303)


@router.post("/customers/{customer_id}/contacts/{contact_id}")
def change_contact(
    request: Request,
    customer_id: str,
    contact_id: str,
    role: str = Form(..., max_length=SHORT),
    department: str = Form("", max_length=SHORT),
    active: str = Form("", max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    _edit_contact(store, user, contact_id, customer_id)
    update_contact(
        store,
        contact_id,
        role=role,
        department=department,
        active=active == "on",
        lang=language(request),
    )
    return RedirectResponse(f"/customers/{customer_id}#contacts", 303)


def _edit_contact(store: RequestStore, user: User, contact_id: str, customer_id: str | None):
    """The contact's row, when ``user`` may edit it (else Forbidden or NotFound)."""
    row = contact_row(store, contact_id)
    if customer_id is not None and row["customer_id"] != customer_id:
        raise NotFoundError(f"Ansprechpartner {contact_id} gehört nicht zu {customer_id}.")
    if not contacts_view.may_edit_contacts(store, user, row["customer_id"]):
        if user.own_customers_only:
            raise NotFoundError(f"Ansprechpartner {contact_id} nicht gefunden.")
        require(user, False)
    return row


def _labels(request: Request) -> dict[str, Any]:
    from kundenwert.contacts.text import LABELS
    from kundenwert.i18n import translate

    lang = language(request)
    return {"label": lambda key, **kw: translate(LABELS, key, lang, **kw)}


# --- API -----------------------------------------------------------------------------------


class ChainIn(BaseModel):
    chain: dict[str, Any] = Field(description="The chain (see `kundenwert chain template`).")
    reason: str = Field(min_length=1, max_length=SHORT)


class ContactChange(BaseModel):
    role: str | None = None
    department: str | None = Field(None, max_length=SHORT)
    active: bool | None = None


@api_router.get("/chains")
def api_chains(user: User = Depends(api_user), store: RequestStore = Depends(db)) -> dict:
    """The current chains this user may see (an account manager: those of their customers)."""
    return {"items": contacts_view.visible_chains(store, user)}


@api_router.get("/chains/{chain_id}")
def api_chain(
    chain_id: int,
    version: int | None = None,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict:
    """One chain (its newest version or ``version``) with who changed it when and why."""
    return contacts_view.visible_chain(store, user, chain_id, version)


@api_router.get("/chains/{chain_id}/history")
def api_chain_history(
    chain_id: int, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict:
    contacts_view.visible_chain(store, user, chain_id)
    return {"items": chain_history(store, chain_id)}


@api_router.post("/chains", status_code=201)
def api_create_chain(
    body: ChainIn, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict:
    """Create a chain; managers and admins only."""
    require(user, user.can_override)
    return create_chain(store, body.chain, by=user.name, reason=body.reason)


@api_router.put("/chains/{chain_id}")
def api_update_chain(
    chain_id: int, body: ChainIn, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict:
    """Save a new version of a chain; managers and admins only."""
    require(user, user.can_override)
    return update_chain(store, chain_id, body.chain, by=user.name, reason=body.reason)


@api_router.delete("/chains/{chain_id}", status_code=204)
def api_delete_chain(
    chain_id: int,
    reason: str = Query(..., min_length=1, max_length=SHORT),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> None:
    require(user, user.can_override)
    delete_chain(store, chain_id, by=user.name, reason=reason)


@api_router.get("/contacts/coverage")
def api_coverage(
    months: int = Query(12, ge=1, le=120),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict:
    """Contact coverage of the customers this user may see, with the alerts by value."""
    mine = contacts_view.own_customers(store, user)
    return contact_coverage(store, months=months, customer_ids=mine).to_dict()


@api_router.get("/customers/{customer_id}/contacts")
def api_customer_contacts(
    customer_id: str,
    months: int = Query(12, ge=1, le=120),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict:
    """One customer's people, with whom there was direct contact, and its alerts."""
    mine = contacts_view.own_customers(store, user)
    if mine is not None and customer_id not in mine:
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.")
    cov = contact_coverage(store, months=months, customer_ids=[customer_id])
    return json.loads(json.dumps(cov.for_customer(customer_id), default=str))


@api_router.patch("/contacts/{contact_id}")
def api_change_contact(
    contact_id: str,
    body: ContactChange,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict:
    """Change a contact's role, department or active flag (an account manager: of their own
    customers; the next CRM import replaces it with the CRM's values)."""
    _edit_contact(store, user, contact_id, None)
    return update_contact(
        store, contact_id, role=body.role, department=body.department, active=body.active
    )
