"""The demo's inputs for measuring service commitments: who started a contact, and the
survey of importance and performance per service dimension (both optional inputs).

Drawn from a random stream of their own, so that every other table stays as it was.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.demo.customers import CustomerFacts
from kundenwert.demo.model import make_table

#: Share of activities whose initiator the demo's CRM recorded (the rest leaves it empty).
INITIATOR_SHARE = 0.85
#: Share of survey answers that also rated the service dimensions.
DIMENSION_SHARE = 0.7
#: The dimensions asked, with the mean importance a customer gives each (0–10).
DIMENSIONS = {
    "callback": 8.0,
    "response_time": 8.5,
    "yearly_check": 7.0,
    "contact": 5.5,
    "events": 3.5,
    "newsletter": 2.5,
    "goodwill": 6.0,
    "reachability": 7.5,
    "consultation": 6.5,
    "fixed_contact": 7.0,
}
_COMPANY_KINDS = ("visit", "event", "newsletter")


def with_initiators(rng: np.random.Generator, activities: pa.Table) -> pa.Table:
    """Activities with ``initiated_by`` for most rows: the customer where it asked (a request
    time), we for visits, events, newsletters and calls nobody asked for."""
    n = activities.num_rows
    asked = pc.is_valid(activities["requested_at"]).to_numpy(zero_copy_only=False)
    kind = activities["kind"].to_numpy(zero_copy_only=False)
    ours = np.isin(kind, _COMPANY_KINDS) | ((kind == "call") & ~asked)
    who = np.where(asked, "customer", np.where(ours, "company", ""))
    known = (who != "") & (rng.random(n) < INITIATOR_SHARE)
    column = pa.array(who, pa.string(), mask=~known)
    return activities.set_column(
        activities.schema.get_field_index("initiated_by"), "initiated_by", column
    )


def build_survey_dimensions(
    rng: np.random.Generator, surveys: pa.Table, facts: CustomerFacts
) -> pa.Table:
    """For most survey answers, importance and performance of five to ten dimensions: large
    customers care more about fast answers, performance follows the overall satisfaction."""
    answered = np.flatnonzero(rng.random(surveys.num_rows) < DIMENSION_SHARE)
    names = np.array(list(DIMENSIONS))
    mean = np.array(list(DIMENSIONS.values()))
    asked = rng.random((len(answered), len(names))) < rng.uniform(0.5, 1.0, (len(answered), 1))
    row, dim = np.nonzero(asked)
    source = answered[row]
    cust = pc.index_in(surveys["customer_id"], facts.ids).to_numpy(zero_copy_only=False)[source]
    rank = facts.size_rank[cust]
    fast = np.isin(names[dim], ("callback", "response_time", "reachability"))
    importance = mean[dim] + np.where(fast, 1.5 * (rank - 0.5), 0) + rng.normal(0, 1.2, len(dim))
    satisfaction = surveys["satisfaction"].to_numpy(zero_copy_only=False)[source]
    performance = np.nan_to_num(satisfaction, nan=7.0) + rng.normal(-0.3, 1.5, len(dim))
    return make_table(
        "survey_dimensions",
        {
            "customer_id": pc.take(surveys["customer_id"], pa.array(source, pa.int64())),
            "date": pc.take(surveys["date"], pa.array(source, pa.int64())),
            "dimension": pa.array(names[dim], pa.string()),
            "importance": pa.array(np.clip(np.rint(importance), 0, 10), pa.float64()),
            "performance": pa.array(np.clip(np.rint(performance), 0, 10), pa.float64()),
        },
    )
