"""Users and API tokens for administrators: the page /users and the API /api/v1/users, /tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from kundenwert.web import accounts
from kundenwert.web.deps import SHORT, api_user, csrf_checked, db, page_user, render, require, state
from kundenwert.web.state import RequestStore
from kundenwert.web.users import User

router = APIRouter()
api_router = APIRouter(prefix="/api/v1", tags=["kundenwert"])


def _token_days(request: Request) -> int:
    return state(request).file_settings.web.token_days


def _set_active(request: Request, store: RequestStore, user: User, name: str, active: bool):
    require(user, user.is_admin)
    accounts.set_active(store, name, active, by=user.name)
    state(request).sessions.clear()


def _revoke(request: Request, store: RequestStore, user: User, token_id: str) -> None:
    require(user, user.is_admin)
    accounts.revoke_token(store, token_id)


@router.get("/users")
def users_page(
    request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)
):
    require(user, user.is_admin)
    return render(
        request,
        "users.html",
        accounts=accounts.accounts(store),
        tokens=accounts.tokens(store, _token_days(request)),
    )


@router.post("/users/{name}/active")
def set_active_page(
    request: Request,
    name: str,
    active: str = Form(..., max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    _set_active(request, store, user, name, active == "true")
    return RedirectResponse("/users", status_code=303)


@router.post("/tokens/{token_id}/revoke")
def revoke_page(
    request: Request,
    token_id: str,
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    _revoke(request, store, user, token_id)
    return RedirectResponse("/users", status_code=303)


@api_router.get("/users")
def users(user: User = Depends(api_user), store: RequestStore = Depends(db)) -> dict[str, Any]:
    """Every user with role and state; administrators only."""
    require(user, user.is_admin)
    return {"items": accounts.accounts(store)}


@api_router.post("/users/{name}/disable")
def disable(
    request: Request, name: str, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict[str, Any]:
    """Disable a user: their sessions and tokens stop working at once; administrators only."""
    _set_active(request, store, user, name, False)
    return {"name": name, "active": False}


@api_router.post("/users/{name}/enable")
def enable(
    request: Request, name: str, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict[str, Any]:
    """Enable a disabled user again; administrators only."""
    _set_active(request, store, user, name, True)
    return {"name": name, "active": True}


@api_router.get("/tokens")
def tokens(
    request: Request, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict[str, Any]:
    """Every API token (id, user, purpose, expiry, state; never the token); administrators."""
    require(user, user.is_admin)
    return {"items": accounts.tokens(store, _token_days(request))}


@api_router.post("/tokens/{token_id}/revoke")
def revoke(
    request: Request,
    token_id: str,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Revoke a token by its id (first 12 hex digits of its hash); administrators only."""
    _revoke(request, store, user, token_id)
    return {"token_id": token_id, "state": "revoked"}
