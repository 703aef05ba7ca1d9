"""The pages everyone with a log-in sees: overview, customer list, customer."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from kundenwert.errors import InputError
from kundenwert.reads import FILTERS, CustomerQuery
from kundenwert.reads.listfile import to_csv, to_xlsx, value_names
from kundenwert.review import end_override, set_override
from kundenwert.web import handling, views
from kundenwert.web.deps import (
    SHORT,
    TEXT,
    csrf_checked,
    db,
    language,
    page_user,
    render,
    require,
    state,
)
from kundenwert.web.state import RequestStore
from kundenwert.web.users import User

router = APIRouter()
MAX_PAGE = 100_000  # as in the API


@router.get("/")
def overview(request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)):
    data = views.overview(state(request), store, user, language(request))
    return render(request, "overview.html", **data)


@router.get("/commitments")
def commitments(
    request: Request,
    by: str = "service_level",
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    """Service commitments measured, per service level or matrix field."""
    data = views.commitments_page(state(request), store, user, language(request), by)
    return render(request, "commitments.html", **data)


def customer_query(request: Request) -> CustomerQuery:
    p = request.query_params
    try:
        page = max(int(p.get("page", "1")), 1)
    except ValueError:
        page = 1
    if page > MAX_PAGE:
        raise InputError(f"Seite {page} gibt es nicht.", hint=f"Höchstens Seite {MAX_PAGE}.")
    return CustomerQuery(
        q=p.get("q", ""),
        filters={k: p[k] for k in FILTERS if p.get(k)},
        sort=p.get("sort", "revenue"),
        desc=p.get("dir", "desc") != "asc",
        page=page,
        page_size=state(request).file_settings.web.page_size,
    )


@router.get("/customers")
def customers(
    request: Request,
    query: CustomerQuery = Depends(customer_query),
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    f, header = views.frame(state(request), store, user)
    if f is None:
        return render(request, "customers.html", header=None)
    try:
        rows, total = f.customers(query)
        choices = {k: f.choices(k) for k in FILTERS}
    finally:
        f.close()
    template = "customers_table.html" if request.query_params.get("partial") else "customers.html"
    args = "&".join(
        f"{k}={quote(v)}" for k, v in request.query_params.items() if k not in ("page", "partial")
    )
    return render(
        request,
        template,
        header=header,
        rows=rows,
        total=total,
        query=query,
        choices=choices,
        args=args,
        pages=max((total + query.page_size - 1) // query.page_size, 1),
    )


@router.get("/customers/export.{fmt}")
def export(
    request: Request,
    fmt: str,
    query: CustomerQuery = Depends(customer_query),
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    f, header = views.frame(state(request), store, user)
    if f is None or fmt not in ("csv", "xlsx"):
        return Response(status_code=404)
    try:
        table = f.export(query)
    finally:
        f.close()
    lang = language(request)
    names = value_names(state(request).settings.review, lang)
    name = f"kunden-review-{header['review_id']}.{fmt}"
    body, media = (
        (to_csv(table, lang, names), "text/csv; charset=utf-8")
        if fmt == "csv"
        else (
            to_xlsx(table, lang, names),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/customers/{customer_id}")
def customer(
    request: Request,
    customer_id: str,
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    data = views.customer_page(state(request), store, user, customer_id, language(request))
    return render(request, "customer.html", **data)


@router.post("/customers/{customer_id}/overrides")
def add_override(
    request: Request,
    customer_id: str,
    field: str = Form(..., max_length=SHORT),
    value: str = Form(..., max_length=SHORT),
    reason: str = Form("", max_length=TEXT),
    until: str = Form("", max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    app = state(request)
    views.customer_page(app, store, user, customer_id, language(request))  # visible at all?
    valid_until = date.fromisoformat(until) if until else None
    set_override(
        store,
        app.settings,
        customer_id,
        field,
        value,
        reason=reason,
        by=user.name,
        until=valid_until,
    )
    app.changed()
    return RedirectResponse(f"/customers/{quote(customer_id, safe='')}#overrides", 303)


@router.post("/overrides/{override_id}/end")
def stop_override(
    request: Request,
    override_id: int,
    customer_id: str = Form(..., max_length=SHORT),
    reason: str = Form("", max_length=TEXT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.can_override)
    end_override(store, override_id, by=user.name, reason=reason or None)
    state(request).changed()
    return RedirectResponse(f"/customers/{quote(customer_id, safe='')}#overrides", 303)


@router.post("/customers/{customer_id}/status")
def set_list_status(
    request: Request,
    customer_id: str,
    kind: str = Form(..., max_length=SHORT),
    code: str = Form(..., max_length=SHORT),
    status: str = Form(..., max_length=SHORT),
    note: str = Form("", max_length=TEXT),
    back: str = Form("", max_length=SHORT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    """Acknowledge, finish or dismiss (with a note) an alert or a next action."""
    handling.give_status(state(request), store, user, kind, customer_id, code, status, note)
    if back == "overview":
        return RedirectResponse("/#alerts", 303)
    return RedirectResponse(f"/customers/{quote(customer_id, safe='')}#customer-{kind}s", 303)
