"""Future potential and the four-field matrix (DOMAIN.md points 4 and 5).

Potential from ratings: the mean of the normalised potential indicators (0..100). The
statistical forecast plugs in through :func:`forecast_potential` (``potential.source =
"forecast"``): the customer lifetime value from ``kundenwert.forecast.customer_forecast``.

Each axis is split at its median (interpolated: for an even count the mean of the two middle
values), a quantile (interpolated) or a fixed amount, computed over all customers of the
review. A value equal to the split counts as high.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module

import ibis
import ibis.expr.types as ir

from kundenwert.errors import ConfigError
from kundenwert.review.config import MatrixSettings, ReviewSettings


def with_rating_potential(t: ir.Table, cfg: ReviewSettings) -> ir.Table:
    names = cfg.potential.indicators
    total = t[f"norm_{names[0]}"]
    for name in names[1:]:
        total = total + t[f"norm_{name}"]
    return t.mutate(potential=total / len(names))


def forecast_potential(store, settings, as_of: date):
    """The forecast's per-customer CLV as an Arrow table (customer_id, potential)."""
    try:
        forecast = import_module("kundenwert.forecast")
        table = forecast.customer_forecast(store, as_of, settings)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            'review.potential.source = "forecast", aber die Prognose ist nicht verfügbar.',
            hint='Setzen Sie review.potential.source = "ratings".',
            key="review.potential.source",
        ) from exc
    return table.select(["customer_id", "clv"]).rename_columns(["customer_id", "potential"])


def split_values(backend, t: ir.Table, cfg: MatrixSettings) -> dict[str, float | None]:
    """The split point of each axis, computed in one pass."""
    aggs, out = {}, {}
    for axis, split in (("x", cfg.x), ("y", cfg.y)):
        if split.kind == "amount":
            out[axis] = float(split.value)
        else:
            q = 0.5 if split.kind == "median" else split.q
            aggs[axis] = t[split.measure].cast("float64").quantile(q)
    if aggs:
        row = backend.to_pyarrow(t.aggregate(**aggs)).to_pylist()[0]
        out.update({k: None if v is None else float(v) for k, v in row.items()})
    return out


def with_quadrant(t: ir.Table, cfg: MatrixSettings, splits: dict[str, float | None]) -> ir.Table:
    """Adds the quadrant, given the split values of :func:`split_values`."""
    x_split, y_split = splits["x"], splits["y"]
    x_value = t[cfg.x.measure].cast("float64")
    y_value = t[cfg.y.measure].cast("float64").fill_null(0.0)
    # An empty review has no median; everyone is then "high" on that axis by convention.
    high_x = x_value >= x_split if x_split is not None else ibis.literal(True)
    high_y = y_value >= y_split if y_split is not None else ibis.literal(True)
    quadrant = ibis.cases(
        (high_x & high_y, "top"),
        (high_y, "development"),
        (high_x, "premium"),
        else_="small",
    )
    return t.mutate(quadrant=quadrant)
