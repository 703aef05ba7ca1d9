"""What customers need against what they get: importance and performance per service
dimension (the optional input ``survey_dimensions``), per customer and per segment.

Each customer counts with its latest answer per dimension on or before the as-of date. A
segment (a service level or a matrix quadrant) shows the mean importance and performance of
its customers per dimension. The quadrant of the importance-performance view (Martilla and
James) splits both at the middle of the 0–10 scale, :data:`IPA_SPLIT`, a value at the split
counting as high: high importance and low performance is where to concentrate.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from kundenwert.commitments.catalogue import IPA_SPLIT


def ipa_quadrant(importance: float | None, performance: float | None) -> str | None:
    """concentrate, keep_up, low_priority or overkill (None when a value is unknown)."""
    if importance is None or performance is None:
        return None
    important, good = importance >= IPA_SPLIT, performance >= IPA_SPLIT
    if important:
        return "keep_up" if good else "concentrate"
    return "overkill" if good else "low_priority"


def latest_answers(con, customers: pa.Table, as_of: date) -> pa.Table:
    """One row per customer and dimension: ``customer_id``, ``dimension``, ``date``,
    ``importance``, ``performance``, ``gap`` (importance minus performance), ``ipa``."""
    cur = con.cursor()
    try:
        cur.register("kw_cust", customers.select(["customer_id"]))
        table = cur.execute(
            "SELECT s.customer_id, s.dimension, s.date, s.importance, s.performance, "
            "s.importance - s.performance AS gap FROM survey_dimensions s "
            "SEMI JOIN kw_cust c ON c.customer_id = s.customer_id WHERE s.date <= ? "
            "QUALIFY row_number() OVER (PARTITION BY s.customer_id, s.dimension "
            "ORDER BY s.date DESC) = 1 ORDER BY s.customer_id, s.dimension",
            [as_of],
        ).to_arrow_table()
    finally:
        cur.close()
    quadrants = [
        ipa_quadrant(i, p)
        for i, p in zip(
            table["importance"].to_pylist(), table["performance"].to_pylist(), strict=True
        )
    ]
    return table.append_column("ipa", pa.array(quadrants, pa.string()))


def segment_means(answers: list[dict], segment_of: dict[str, str]) -> list[dict]:
    """Per segment and dimension: ``customers``, mean ``importance`` and ``performance``,
    ``gap`` and ``ipa``; ``segment_of`` maps a customer to its segment."""
    sums: dict[tuple[str, str], list[float]] = {}
    for row in answers:
        segment = segment_of.get(row["customer_id"])
        if segment is None:
            continue
        acc = sums.setdefault((segment, row["dimension"]), [0, 0.0, 0.0])
        acc[0] += 1
        acc[1] += row["importance"]
        acc[2] += row["performance"]
    out = []
    for (segment, dimension), (n, imp, perf) in sorted(sums.items()):
        importance, performance = imp / n, perf / n
        out.append(
            {
                "segment": segment,
                "dimension": dimension,
                "customers": int(n),
                "importance": importance,
                "performance": performance,
                "gap": importance - performance,
                "ipa": ipa_quadrant(importance, performance),
            }
        )
    return out
