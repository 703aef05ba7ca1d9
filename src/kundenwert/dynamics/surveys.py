"""Surveys: satisfaction and recommendation over time and the loyalty answers
(DOMAIN.md point 13), shown with the customer."""

from __future__ import annotations

from datetime import date

import ibis
import pyarrow as pa

LOYALTY_QUESTIONS = ("why_chosen", "early_hesitation", "would_miss", "would_recommend_to")


def customer_surveys(store, customer_id: str, as_of: date | None = None) -> pa.Table:
    """Every survey answer of one customer, oldest first, with the change of satisfaction and
    recommendation since the answer before."""
    t = store.ibis().table("surveys")
    t = t.filter(t.customer_id == customer_id)
    if as_of is not None:
        t = t.filter(t.date <= as_of)
    w = ibis.window(order_by=t.date)
    t = t.mutate(
        satisfaction_change=t.satisfaction - t.satisfaction.lag().over(w),
        recommend_change=t.recommend - t.recommend.lag().over(w),
    )
    cols = ["date", "satisfaction", "satisfaction_change", "recommend", "recommend_change"]
    return store.ibis().to_pyarrow(t.select(*cols, *LOYALTY_QUESTIONS, "comment").order_by("date"))
