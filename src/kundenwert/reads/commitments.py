"""Service commitments of a review: measured adherence and the importance-performance view.

One function for every edge (``kundenwert commitments``, ``GET /api/v1/commitments``, the
customer and commitments pages, the workbook's sheets), within the scope of rights.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.commitments.importance import latest_answers
from kundenwert.commitments.measure import data_missing, measure
from kundenwert.commitments.view import CommitmentView
from kundenwert.errors import NotFoundError
from kundenwert.reads.scope import EVERYONE, Scope
from kundenwert.review.period import window_start


def service_commitments(
    store,
    review_id: int | None = None,
    scope: Scope = EVERYONE,
    *,
    customer_id: str | None = None,
    today: date | None = None,
) -> CommitmentView:
    """Adherence to every commitment of each visible customer's effective service level
    (overrides as of ``today``) over ``review.service.adherence.months`` up to the review's
    as-of date, and the customers' latest importance and performance per dimension.

    ``customer_id``: only this customer (NotFoundError when it is not in the review or not
    in the scope)."""
    from kundenwert.review.config import review_settings_from_json
    from kundenwert.review.effective import effective_sql
    from kundenwert.review.snapshots import latest_review_id, review_header

    review_id = review_id or latest_review_id(store.con)
    header = review_header(store, review_id)
    settings = review_settings_from_json(header["config_json"])
    as_of = header["as_of"]
    where, params = scope.where("cu")
    only = "AND e.customer_id = ?" if customer_id is not None else ""
    customers = store.con.execute(
        "SELECT e.customer_id, cu.name, cu.account_manager, cu.customer_since, "
        "e.service_level_effective AS service_level, e.quadrant_effective AS quadrant "
        f"FROM ({effective_sql(settings)}) e JOIN customers cu ON cu.customer_id = e.customer_id "
        f"WHERE {where.replace('?', '$manager')} {only.replace('?', '$customer')} "
        "ORDER BY e.customer_id",
        {
            "review_id": review_id,
            "today": today or date.today(),
            **({"manager": params[0]} if params else {}),
            **({"customer": customer_id} if customer_id is not None else {}),
        },
    ).to_arrow_table()
    if customer_id is not None and not customers.num_rows:
        raise NotFoundError(
            f"Kunde {customer_id} ist nicht im Review {review_id}.",
            hint="Prüfen Sie die Kundennummer.",
        )
    measured = measure(store.con, customers, settings.service, as_of)
    master = customers.select(["customer_id", "name", "account_manager", "service_level",
                               "quadrant"])  # fmt: skip
    rows = _join(master, measured)
    return CommitmentView(
        review_id=review_id,
        as_of=as_of,
        window_start=window_start(as_of, settings.service.adherence.months),
        months=settings.service.adherence.months,
        settings=settings,
        customers=rows,
        answers=latest_answers(store.con, customers, as_of),
        missing=data_missing(store.con),
    )


def _join(master: pa.Table, measured: pa.Table) -> pa.Table:
    """The measured rows with the customer's name, manager, level and quadrant in front."""
    pos = pc.index_in(measured["customer_id"], value_set=master["customer_id"])
    front = [master[c].take(pos) for c in master.column_names[1:]]
    out = measured
    for i, (name, column) in enumerate(zip(master.column_names[1:], front, strict=True)):
        out = out.add_column(1 + i, name, column)
    return out
