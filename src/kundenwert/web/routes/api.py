"""REST API /api/v1: token authentication, the same rights as the token's user.

Every error answers with one JSON shape ``{error, message, hint?, details?}``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from kundenwert.dynamics.status import Hold, mark_rows, status_history
from kundenwert.errors import ImportFileError, NotFoundError
from kundenwert.importing import import_path, status
from kundenwert.reads import SORTABLE, CustomerQuery, customer_visible, review_changes
from kundenwert.reads.batches import rejected_rows
from kundenwert.review import end_override, list_overrides, set_override
from kundenwert.review._base import QUADRANTS
from kundenwert.review.snapshots import review_summary
from kundenwert.web import handling, views
from kundenwert.web.deps import api_user, db, require, state
from kundenwert.web.state import RequestStore
from kundenwert.web.uploads import hide_folder, save, upload_folder, uploaded_files
from kundenwert.web.users import User


class ErrorBody(BaseModel):
    error: str
    message: str
    hint: str | None = None
    details: dict[str, Any] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "Malformed request (a body that cannot be parsed)"),
        (401, "No or unknown token"),
        (403, "The token's user lacks the right"),
        (404, "Not found (or not visible to this user)"),
        (422, "Invalid input, or an import file that could not be read (details: the files)"),
        (413, "Request body larger than [web] max_body_mb"),
    )
}
SortKey = Literal[SORTABLE]  # type: ignore[valid-type]
Quadrant = Literal[QUADRANTS]  # type: ignore[valid-type]
router = APIRouter(prefix="/api/v1", tags=["kundenwert"], responses=ERRORS)


class CustomerPage(BaseModel):
    review_id: int | None
    total: int
    page: int
    page_size: int
    items: list[dict[str, Any]]


class OverrideIn(BaseModel):
    customer_id: str = Field(min_length=1)
    field: Literal["service_level", "quadrant", "abc_class"]
    value: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    valid_until: date | None = None


class OverrideEnd(BaseModel):
    reason: str | None = None


class Listing(BaseModel):
    available: bool = True
    items: list[dict[str, Any]]


def _visible_override(store: RequestStore, user: User, row: dict[str, Any]) -> bool:
    return customer_visible(store.con, user.scope, row["customer_id"])


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, user: User = Depends(api_user)) -> dict[str, Any]:
    """This description, for holders of a token (no browsable docs: nothing from a CDN)."""
    return request.app.openapi()


@router.get("/me")
def me(user: User = Depends(api_user)) -> dict[str, Any]:
    """The token's user and role."""
    return user.to_dict()


@router.get("/customers", response_model=CustomerPage)
def customers(
    request: Request,
    q: str = "",
    abc_class: Literal["A", "B", "C"] | None = Query(None, description="Effective class"),
    quadrant: Quadrant | None = None,
    service_level: str | None = None,
    business_unit: str | None = None,
    account_manager: str | None = None,
    sort: SortKey = "revenue",
    desc: bool = True,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(100, ge=1, le=1000),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
):
    """Customers of the latest review with their results, filtered, sorted and paged."""
    filters = {
        "abc_class_effective": abc_class,
        "quadrant_effective": quadrant,
        "service_level_effective": service_level,
        "business_unit": business_unit,
        "account_manager": account_manager,
    }
    query = CustomerQuery(
        q=q,
        filters={k: v for k, v in filters.items() if v},
        sort=sort,
        desc=desc,
        page=page,
        page_size=page_size,
    )
    f, header = views.frame(state(request), store, user)
    if f is None:
        return CustomerPage(review_id=None, total=0, page=page, page_size=page_size, items=[])
    try:
        rows, total = f.customers(query)
    finally:
        f.close()
    return CustomerPage(
        review_id=header["review_id"], total=total, page=page, page_size=page_size, items=rows
    )


@router.get("/customers/{customer_id}")
def customer(
    request: Request,
    customer_id: str,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """One customer of the latest review: all results, score contributions, overrides."""
    f, header = views.frame(state(request), store, user)
    if f is None:
        raise NotFoundError("Es gibt noch kein Review.", hint="Starten Sie ein Review.")
    try:
        row = f.customer(customer_id)
    finally:
        f.close()
    row["review_id"] = header["review_id"]
    row["overrides"] = list_overrides(store, customer_id=customer_id, include_ended=True)
    return row


@router.get("/customers/{customer_id}/surveys")
def customer_surveys(
    request: Request,
    customer_id: str,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """One customer's survey answers over time with the change since the answer before (as
    ``kundenwert surveys``)."""
    from kundenwert.dynamics import customer_surveys as surveys_of

    if not customer_visible(store.con, user.scope, customer_id):
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.", hint="Prüfen Sie die Nummer.")
    return Listing(items=surveys_of(store, customer_id).to_pylist())


@router.get("/customers/{customer_id}/commitment")
def customer_commitment(
    request: Request,
    customer_id: str,
    lang: Literal["de", "en"] = "de",
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """The customer's written service commitment at its effective level (as ``kundenwert
    commitment``)."""
    from kundenwert.review.service import commitment

    app = state(request)
    f, header = views.frame(app, store, user)
    if f is None:
        raise NotFoundError("Es gibt noch kein Review.", hint="Starten Sie ein Review.")
    try:
        row = f.customer(customer_id)
    finally:
        f.close()
    level = row["service_level_effective"]
    text = commitment(
        app.settings.review.service, level, customer_id=customer_id,
        name=row["name"] or customer_id, lang=lang,
    )  # fmt: skip
    return {"review_id": header["review_id"], "customer_id": customer_id,
            "service_level": level, "text": text}  # fmt: skip


@router.get("/customers/{customer_id}/units")
def customer_units(
    request: Request,
    customer_id: str,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """The customer per business unit of the latest review: one row per unit that serves it
    (score, classes, quadrant, service level from the unit's lines and customers), the
    company view beside each (``company_*``), as ``kundenwert units --customer``;
    ``available: false`` when the review has no per-unit view (``review.units.enabled``)."""
    from kundenwert.reads.units import has_units, unit_rows

    review_id = state(request).latest_review(store)
    if review_id is None:
        raise NotFoundError("Es gibt noch kein Review.", hint="Starten Sie ein Review.")
    if not customer_visible(store.con, user.scope, customer_id):
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.", hint="Prüfen Sie die Nummer.")
    if not has_units(store, review_id):
        return Listing(available=False, items=[])
    return Listing(items=unit_rows(store, review_id, customer_id=customer_id))


@router.get("/units")
def units(
    request: Request,
    business_unit: str | None = Query(None, description="Rows of this unit only"),
    shared: bool = Query(False, description="Rows of customers served by two or more units"),
    limit: int = Query(1000, ge=1, le=100000, description="Rows at most (not the summary)"),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """The latest review per business unit (the token's customers only): without parameters
    a summary per unit (customers, customers shared with another unit, revenue, margin III,
    customers per ABC class and quadrant); with ``business_unit`` or ``shared`` the rows per
    customer and unit, largest unit revenue first (as ``kundenwert units``)."""
    from kundenwert.reads.units import has_units, unit_rows, unit_summary

    review_id = state(request).latest_review(store)
    if review_id is None or not has_units(store, review_id):
        return Listing(available=False, items=[])
    if business_unit is None and not shared:
        return Listing(items=unit_summary(store, review_id, scope=user.scope))
    rows = unit_rows(
        store,
        review_id,
        business_unit=business_unit,
        shared_only=shared,
        scope=user.scope,
        limit=limit,
    )
    return Listing(items=rows)


@router.get("/commitments")
def commitments(
    customer_id: str | None = Query(None, description="Only this customer"),
    customers: bool = Query(False, description="Also the customers' rows, one page of them"),
    page: int = Query(1, ge=1, le=100000, description="With customers: the page, from 1"),
    page_size: int = Query(100, ge=1, le=1000, description="With customers: customers a page"),
    review_id: int | None = Query(None, alias="review", description="Review (default: latest)"),
    lang: Literal["de", "en"] = "de",
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Adherence to every service commitment (share kept per service level, matrix field and,
    with ``customers`` (paged, with ``customers_total``) or ``customer_id``, per customer;
    what input is missing where one cannot be measured) and importance against performance
    per service dimension, as ``kundenwert commitments --json`` (the token's customers
    only)."""
    from kundenwert.reads.commitments import service_commitments

    if customer_id is not None and not customer_visible(store.con, user.scope, customer_id):
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.", hint="Prüfen Sie die Nummer.")
    view = service_commitments(store, review_id, user.scope, customer_id=customer_id)
    if customer_id is not None:
        return view.to_dict(lang, customers=True)
    return view.to_dict(lang, customers=customers, page=(page, page_size))


@router.get("/trajectories")
def trajectories(
    request: Request,
    trajectory: str | None = Query(None, description="Only this trajectory type"),
    phase: str | None = Query(None, description="Only this relationship phase"),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Trajectory type, confidence, relationship phase and evidence per customer of the
    latest review (as ``kundenwert trajectories``; ``available: false`` while computing)."""
    f, _ = views.frame(state(request), store, user)
    if f is None:
        return Listing(available=False, items=[])
    try:
        rows = f.trajectories(trajectory, phase)
    finally:
        f.close()
    return Listing(available=rows is not None, items=rows or [])


@router.get("/phases")
def phases(
    request: Request, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict[str, Any]:
    """How many visible customers are in each relationship phase and trajectory type
    (``available: false`` while computing)."""
    f, _ = views.frame(state(request), store, user)
    if f is None or not f.snapshot.has_dynamics:
        if f is not None:
            f.close()
        return {"available": False, "phases": {}, "trajectories": {}}
    try:
        return {"available": True, "phases": f.counts("phase"),
                "trajectories": f.counts("trajectory")}  # fmt: skip
    finally:
        f.close()


@router.get("/reviews")
def reviews(user: User = Depends(api_user), store: RequestStore = Depends(db)) -> Listing:
    """All stored reviews, newest first (for account managers without the company-wide
    customer count)."""
    return Listing(items=views.review_list(store, user))


@router.get("/reviews/{review_id}")
def review(
    review_id: int, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> dict[str, Any]:
    """A review's summary (totals and counts over all customers; managers and admins)."""
    require(user, not user.own_customers_only)
    return review_summary(store, review_id).to_dict()


@router.get("/changes")
def changes(
    from_id: int | None = Query(
        None, alias="from", description="Older review (default: the one before the newer)"
    ),
    to_id: int | None = Query(None, alias="to", description="Newer review (default: latest)"),
    rank: Literal["score", "revenue"] = Query(
        "score", description="Order by the absolute change of the value score or the revenue"
    ),
    top: int = Query(20, ge=0, le=10000),
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Two reviews compared: class and quadrant matrices, the customers who moved and those
    who changed most, as ``kundenwert changes --json`` (the token's customers only)."""
    return review_changes(store, from_id, to_id, top=top, scope=user.scope, rank=rank).to_dict()


def _dynamics(
    request: Request, store: RequestStore, user: User, kind: str, with_handled: bool
) -> Listing:
    # Alerts and actions come from the dynamics analysis; until it has run (it starts in the
    # background on first use) the answer says so instead of pretending none exist.
    f, _ = views.frame(state(request), store, user)
    if f is None:
        return Listing(available=False, items=[])
    try:
        rows = f.dynamics(f"{kind}s")
    finally:
        f.close()
    if rows is None:
        return Listing(available=False, items=[])
    hold = Hold.of(state(request).settings)
    return Listing(items=mark_rows(store, kind, rows, with_handled=with_handled, hold=hold))


HANDLED = Query(False, description="Also rows handled on their current facts, with status")


@router.get("/alerts")
def alerts(
    request: Request,
    with_handled: bool = HANDLED,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Alerts of the latest review with their reasons and status fields (``available: false``
    while computing); alerts handled on their current figures only ``with_handled``."""
    return _dynamics(request, store, user, "alert", with_handled)


@router.get("/actions")
def actions(
    request: Request,
    with_handled: bool = HANDLED,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Next actions with owner, due date and status fields (``available: false`` while
    computing); actions handled on their current facts only ``with_handled``."""
    return _dynamics(request, store, user, "action", with_handled)


Status = Literal["acknowledged", "done", "dismissed"]


class AlertStatusIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=200)
    alert: str = Field(min_length=1, max_length=200)
    status: Status
    note: str | None = Field(None, max_length=2000, description="Required for dismissed")


class ActionStatusIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=200)
    action: str = Field(min_length=1, max_length=200)
    status: Status
    note: str | None = Field(None, max_length=2000, description="Required for dismissed")


@router.post("/alerts/status", status_code=201)
def alert_status(
    body: AlertStatusIn,
    request: Request,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Acknowledge, finish or dismiss (with a note) a current alert; it comes back when its
    figures change. Admins and managers: every customer; account managers: their own."""
    return handling.give_status(
        state(request), store, user, "alert", body.customer_id, body.alert, body.status, body.note
    )


@router.post("/actions/status", status_code=201)
def action_status(
    body: ActionStatusIn,
    request: Request,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Acknowledge, finish or dismiss (with a note) a current next action."""
    return handling.give_status(
        state(request), store, user, "action", body.customer_id, body.action, body.status, body.note
    )


def _history(store: RequestStore, user: User, kind: str, customer_id: str | None) -> Listing:
    if customer_id is not None and not customer_visible(store.con, user.scope, customer_id):
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.", hint="Prüfen Sie die Nummer.")
    rows = status_history(store, kind=kind, customer_id=customer_id)
    if user.own_customers_only:
        rows = [r for r in rows if customer_visible(store.con, user.scope, r["customer_id"])]
    return Listing(items=rows)


@router.get("/alerts/status")
def alert_status_history(
    customer_id: str | None = None,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Every status given to alerts (who, when, status, note, facts), oldest first."""
    return _history(store, user, "alert", customer_id)


@router.get("/actions/status")
def action_status_history(
    customer_id: str | None = None,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Every status given to next actions, oldest first."""
    return _history(store, user, "action", customer_id)


@router.get("/overrides")
def overrides(
    customer_id: str | None = None,
    include_ended: bool = False,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> Listing:
    """Overrides with their status; an account manager sees those of their customers."""
    if customer_id is not None and not customer_visible(store.con, user.scope, customer_id):
        raise NotFoundError(f"Kunde {customer_id} nicht gefunden.", hint="Prüfen Sie die Nummer.")
    rows = list_overrides(store, customer_id=customer_id, include_ended=include_ended)
    if user.own_customers_only:
        rows = [r for r in rows if _visible_override(store, user, r)]
    return Listing(items=rows)


@router.post("/overrides", status_code=201)
def create_override(
    body: OverrideIn,
    request: Request,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """Set (or replace) an override; managers and admins only."""
    require(user, user.can_override)
    app = state(request)
    result = set_override(
        store,
        app.settings,
        body.customer_id,
        body.field,
        body.value,
        reason=body.reason,
        by=user.name,
        until=body.valid_until,
    )
    app.changed()
    return result


@router.post("/overrides/{override_id}/end")
def finish_override(
    override_id: int,
    request: Request,
    body: OverrideEnd | None = None,
    user: User = Depends(api_user),
    store: RequestStore = Depends(db),
) -> dict[str, Any]:
    """End an override now; managers and admins only."""
    require(user, user.can_override)
    result = end_override(store, override_id, by=user.name, reason=body.reason if body else None)
    state(request).changed()
    return result


@router.get("/imports")
def imports(user: User = Depends(api_user), store: RequestStore = Depends(db)) -> dict[str, Any]:
    """Row counts per table and the latest import batches; managers and admins."""
    require(user, user.role in ("admin", "manager"))
    return status(store, last=50)


@router.get("/imports/{batch_id}/rejected")
def rejected(
    batch_id: int, user: User = Depends(api_user), store: RequestStore = Depends(db)
) -> Listing:
    """The rejected rows of one import batch with their reasons."""
    require(user, user.role in ("admin", "manager"))
    return Listing(items=rejected_rows(store.con, batch_id, limit=10000))


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


@router.post("/imports", status_code=201, openapi_extra={"requestBody": _UPLOAD_BODY})
async def upload(
    request: Request, table: str | None = None, user: User = Depends(api_user)
) -> dict[str, Any]:
    """Import one file (CSV, xlsx, Parquet); the table is named by the file or ``table``.

    The token is checked before the body is read; the body is limited by
    ``[web] max_body_mb`` (413)."""
    require(user, user.role in ("admin", "manager"))
    app = state(request)
    store = app.cursor()
    try:
        with upload_folder() as tmp:
            async with uploaded_files(request) as files:
                path = save(files[0], tmp)
            with app.write_lock:
                run = import_path(store, path, app.settings, table=table, report_dir=tmp / "r")
            hide_folder(run, tmp)
            out: dict[str, Any] = run.to_dict()
    finally:
        store.close()
    app.changed()
    out.pop("report_dir", None)
    out.pop("summary_file", None)
    for f in out["files"]:
        f["file"] = Path(f["file"]).name
        f.pop("rejected_file", None)
    if run.exit_code == ImportFileError.exit_code:
        failed = next(f for f in out["files"] if f["status"] == "failed")
        raise ImportFileError(
            f"Der Import ist fehlgeschlagen: {failed['error']}",
            hint=failed.get("hint") or "Prüfen Sie die Datei.",
            **out,
        )
    return out
