"""Future potential and the four-field matrix (DOMAIN.md points 4 and 5).

The potential itself (ratings, forecast or a blend) is computed in
:mod:`kundenwert.review.forecasting`.

Each axis is split at its median (interpolated: for an even count the mean of the two middle
values), a quantile (interpolated) or a fixed amount; the revenue axis by default by the ABC
classes (A and B high), so that the matrix never contradicts the classes. The quantiles are
taken over the customers whose value on that axis is above 0: a customer without revenue in
the window is not a customer of the matrix's revenue axis, and counting the many inactive
ones put the median at 0 (with ``--window 1m`` every customer without revenue became a
Topkunde). A value equal to the split counts as high; a value of 0 or below (or unknown) is
never high.

An axis without information is not split: when no customer has a known value on it (e.g.
potential from ratings and nobody is rated), or every customer has the same one, every
customer is on its low side and the review says so (a finding) instead of putting all of them
on the high side by the tie rule.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from kundenwert.review.config import MatrixSettings


def split_values(backend, t: ir.Table, cfg: MatrixSettings) -> dict[str, Any]:
    """The split point of each axis, computed in one pass, and the axes without information
    (``flat``: {axis: "unknown" | "constant"})."""
    aggs: dict[str, ir.Value] = {}
    out: dict[str, Any] = {"flat": {}}
    for axis, split in (("x", cfg.x), ("y", cfg.y)):
        value = t[split.measure].cast("float64")
        if split.kind != "classes":
            aggs[f"{axis}_known"] = value.count()
            aggs[f"{axis}_distinct"] = value.nunique()
        if split.kind == "classes":
            out[axis] = None  # decided by the class, see with_quadrant
        elif split.kind == "amount":
            assert split.value is not None  # Split's validator requires it for kind amount
            out[axis] = float(split.value)
        else:
            q = 0.5 if split.kind == "median" else split.q
            aggs[axis] = value.quantile(q, where=value > 0)
    if aggs:
        row = backend.to_pyarrow(t.aggregate(**aggs)).to_pylist()[0]
        for axis in ("x", "y"):
            if axis in row:
                out[axis] = None if row[axis] is None else float(row[axis])
            if f"{axis}_known" not in row:
                continue
            if row[f"{axis}_known"] == 0:
                out["flat"][axis] = "unknown"
            elif row[f"{axis}_known"] > 1 and row[f"{axis}_distinct"] == 1:
                out["flat"][axis] = "constant"
    return out


def axis_findings(splits: dict[str, Any]) -> list[dict[str, str]]:
    """The axes without information, as findings (kundenwert.review.findings)."""
    return [
        {"key": "axis_without_information", "axis": axis, "reason": reason}
        for axis, reason in splits.get("flat", {}).items()
    ]


def with_quadrant(t: ir.Table, cfg: MatrixSettings, splits: dict[str, Any]) -> ir.Table:
    """Adds the quadrant, given the split values of :func:`split_values`."""
    x_split, y_split = splits["x"], splits["y"]
    flat = splits.get("flat", {})
    x_value = t[cfg.x.measure].cast("float64")
    y_value = t[cfg.y.measure].cast("float64").fill_null(0.0)
    # An empty review has no median; everyone is then "high" on that axis by convention.
    if cfg.x.kind == "classes":
        high_x = (x_value > 0) & t.abc_class.isin(cfg.x.classes)
    else:
        high_x = (x_value > 0) & (x_value >= x_split) if x_split is not None else x_value > 0
    high_y = (y_value > 0) & (y_value >= y_split) if y_split is not None else y_value > 0
    if "x" in flat:
        high_x = ibis.literal(False)
    if "y" in flat:
        high_y = ibis.literal(False)
    quadrant = ibis.cases(
        (high_x & high_y, "top"),
        (high_y, "development"),
        (high_x, "premium"),
        else_="small",
    )
    return t.mutate(quadrant=quadrant)
