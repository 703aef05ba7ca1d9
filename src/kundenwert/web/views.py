"""Assemble what a page shows from the library's reads (:mod:`kundenwert.reads`).

Kept apart from the routers so that a route handler stays: check rights, call one function,
render. No figures are computed here beyond arranging stored results for display.
"""

from __future__ import annotations

from typing import Any

from kundenwert.dynamics.labels import ALERT_NAMES, name_of
from kundenwert.errors import NotFoundError
from kundenwert.headers import value_names
from kundenwert.reads import ReviewFrame, class_migrations, monthly_history
from kundenwert.reads.units import unit_rows
from kundenwert.review import audit_trail, list_overrides, list_reviews
from kundenwert.review.service import commitment
from kundenwert.review.snapshots import review_header
from kundenwert.web import charts, handling
from kundenwert.web.contacts_view import customer_contacts
from kundenwert.web.state import AppState, RequestStore
from kundenwert.web.text import t
from kundenwert.web.users import User


def frame(app: AppState, store: RequestStore, user: User, review_id: int | None = None):
    """The visible rows of a review (the latest by default); None when there is no review."""
    review_id = review_id or app.latest_review(store)
    if review_id is None:
        return None, None
    snapshot = app.review_table(store, review_id)
    header = snapshot.memo(("header",), lambda: review_header(store, review_id))
    return ReviewFrame(snapshot, user.scope, review_id), header


def review_list(store: RequestStore, user: User) -> list[dict[str, Any]]:
    """Stored reviews; an account manager sees when and by whom, not the company's size."""
    reviews = list_reviews(store)
    if user.own_customers_only:
        return [{k: v for k, v in r.items() if k != "customer_count"} for r in reviews]
    return reviews


def overview(app: AppState, store: RequestStore, user: User, lang: str) -> dict[str, Any]:
    f, header = frame(app, store, user)
    if f is None:
        return {"header": None}
    try:
        # The same for everyone with the same rights as long as the snapshot stands.
        data = f.snapshot.memo(
            ("overview", f.scope_key, lang), lambda: _overview(app, store, user, lang, f, header)
        )
    finally:
        f.close()
    # Statuses change without a new snapshot: handled alerts are left out on every request.
    alerts = handling.for_page(app, store, "alert", data["alerts"], lang, with_handled=False)
    return {**data, "alerts": alerts, "may_handle": handling.may_handle(user)}


def _overview(app, store, user, lang, f, header) -> dict[str, Any]:
    labels = {k: v.get(lang) for k, v in app.settings.review.matrix.labels.items()}
    totals = f.totals()
    points = f.scatter(app.file_settings.web.scatter_points)
    splits = header["splits"]
    reviews = list_reviews(store)
    previous = reviews[1]["review_id"] if len(reviews) > 1 else None
    return {
        "header": header,
        "totals": totals,
        "classes": f.counts("abc_class_effective"),
        "quadrants": f.counts("quadrant_effective"),
        "labels": labels,
        "pareto": charts.pareto(f.pareto(), t("pareto_x", lang), t("pareto_y", lang), lang),
        "scatter": charts.scatter(
            points,
            splits.get("x"),
            splits.get("y"),
            labels,
            t("revenue", lang),
            t("potential", lang),
            lang,
        ),
        "shown": len(points),
        "without_potential": sum(1 for p in points if p["potential"] is None),
        # The largest customers' alerts first; the counts cover all of them.
        "alerts": f.dynamics("alerts", limit=50),
        "alert_counts": f.alert_counts(),
        "alert_names": {k: name_of(ALERT_NAMES, k, lang) for k in ALERT_NAMES},
        "migrations": class_migrations(store, user.scope, previous, header["review_id"])
        if previous
        else None,
    }


def customer_page(
    app: AppState, store: RequestStore, user: User, customer_id: str, lang: str
) -> dict[str, Any]:
    f, header = frame(app, store, user)
    if f is None:
        raise NotFoundError("Es gibt noch kein Review.", hint="Starten Sie ein Review.")
    try:
        row = f.customer(customer_id)
        alerts = f.dynamics("alerts", customer_id)
        actions = f.dynamics("actions", customer_id)
        activities = f.activities(customer_id)
        surveys = f.surveys(customer_id)
    finally:
        f.close()
    cfg = app.settings.review
    indicators = header["indicators"]
    words = value_names(cfg, lang)
    score = [
        {
            "indicator": words["indicator"].get(name, name),
            "contribution": row.get(f"contribution_{name}"),
        }
        for name in indicators
    ]
    amount = {k: float(row[k] or 0) for k in ("revenue", "cogs", "deductions")}
    m1, m2, m3 = (float(row[k]) for k in ("margin_1", "margin_2", "margin_3"))
    steps = [
        (t("revenue", lang), amount["revenue"], True),
        (t("cogs", lang), m1 - amount["revenue"], False),
        (t("margin_1", lang), m1, True),
        (t("deductions", lang), m2 - m1, False),
        (t("margin_2", lang), m2, True),
        (t("cost_to_serve", lang), m3 - m2, False),
        (t("margin_3", lang), m3, True),
    ]
    # Margin III by the review's rules, month by month, up to the review's as-of date.
    history = monthly_history(store, app.settings, customer_id, as_of=header["as_of"])
    try:
        promise = commitment(
            cfg.service,
            row["service_level_effective"],
            customer_id=customer_id,
            name=row["name"] or customer_id,
            lang=lang,
        )
    except Exception:  # a level removed from the catalogue since the review
        promise = None
    return {
        "row": row,
        "header": header,
        "score": score,
        "waterfall": charts.waterfall(steps, lang),
        "history": charts.lines(
            history, {"revenue": t("revenue", lang), "margin_3": t("margin_3", lang)}, lang=lang
        ),
        "commitment": promise,
        # The customer's page shows handled rows too, with their status, to change it.
        "alerts": handling.for_page(app, store, "alert", alerts, lang, with_handled=True),
        "actions": handling.for_page(app, store, "action", actions, lang, with_handled=True),
        "status_log": handling.status_log(app, store, customer_id, lang),
        "may_handle": handling.may_handle(user),
        "overrides": list_overrides(store, customer_id=customer_id, include_ended=True),
        "audit": audit_trail(store, customer_id=customer_id),
        "activities": activities,
        "surveys": surveys,
        "labels": {k: v.get(lang) for k, v in cfg.matrix.labels.items()},
        "levels": [(lv.key, lv.label.get(lang)) for lv in cfg.service.levels],
        "words": words,
        "contacts": customer_contacts(store, user, row, header, lang),
        # The customer per business unit beside the company view (kundenwert.reads.units).
        "units": unit_rows(store, header["review_id"], customer_id=customer_id),
    }
