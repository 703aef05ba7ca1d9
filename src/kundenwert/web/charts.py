"""Charts as inline SVG drawn on the server: they work offline and need no script library.

Hover shows an SVG ``<title>`` (the browser's tooltip); points that stand for a customer are
links to the customer page.
"""

from __future__ import annotations

from html import escape
from math import log10
from urllib.parse import quote

from markupsafe import Markup

from kundenwert.formatting import money, percent

W, H, PAD = 640, 360, 48
QUADRANT_COLOURS = {
    "top": "#1b7f3b",
    "development": "#1f6fb2",
    "small": "#8a8a8a",
    "premium": "#c47a00",
}
CLASS_COLOURS = {"A": "#1b7f3b", "B": "#c47a00", "C": "#8a8a8a"}


def _f(value) -> float:
    return float(value) if value is not None else 0.0


def _svg(body: str, label: str, width: int = W, height: int = H) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def _axes(x_label: str, y_label: str) -> str:
    return (
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 10}" y2="{H - PAD}" class="axis"/>'
        f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{H - PAD}" class="axis"/>'
        f'<text x="{W // 2}" y="{H - 10}" text-anchor="middle">{escape(x_label)}</text>'
        f'<text x="14" y="{H // 2}" transform="rotate(-90 14 {H // 2})" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )


def _x_tick(x: float, text: str, height: int = H) -> str:
    # A label at the right edge ends there instead of being cut off.
    anchor = "end" if x > W - 30 else "middle"
    return (
        f'<line x1="{x:.1f}" y1="{height - PAD}" x2="{x:.1f}" y2="{height - PAD + 4}" '
        f'class="axis"/><text x="{x:.1f}" y="{height - PAD + 16}" text-anchor="{anchor}" '
        f'class="tick">{escape(text)}</text>'
    )


def _y_tick(y: float, text: str, right: int = W - 10) -> str:
    return (
        f'<line x1="{PAD}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>'
        f'<text x="{PAD - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
        f"{escape(text)}</text>"
    )


def pareto(points: list[dict], x_label: str, y_label: str, lang: str = "de") -> Markup:
    """Cumulative share of the measure against the share of customers, coloured by class."""
    sx, sy = (W - PAD - 10), (H - PAD - 10)
    body = [_axes(x_label, y_label)]
    for share in (0.25, 0.5, 0.75, 1.0):
        body.append(_y_tick(H - PAD - share * sy, percent(share, lang)))
        body.append(_x_tick(PAD + share * sx, percent(share, lang)))
    prev: tuple[float, float] = (PAD, H - PAD)
    for p in points:
        x, y = PAD + _f(p["x"]) * sx, H - PAD - _f(p["y"]) * sy
        colour = CLASS_COLOURS.get(p["abc_class"], "#555")
        tip = f"{p['abc_class']}: {percent(_f(p['x']), lang)} → {percent(_f(p['y']), lang)}"
        body.append(
            f'<line x1="{prev[0]:.1f}" y1="{prev[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="3"><title>{escape(tip)}</title></line>'
        )
        prev = (x, y)
    return _svg("".join(body), y_label)


def _log_scale(values: list[float], span: float):
    positive = [v for v in values if v > 0] or [1.0]
    lo, hi = log10(min(positive)), log10(max(positive))
    hi = hi if hi > lo else lo + 1

    def scale(v: float) -> float:
        return (log10(max(v, 10**lo)) - lo) / (hi - lo) * span

    return scale, lo, hi


def scatter(
    rows: list[dict], split_x, split_y, labels: dict[str, str], x_label, y_label, lang="de"
):
    """The four-field matrix: revenue (log) against potential; each point links its customer.

    Customers without a potential (no forecast) are left out rather than drawn on the axis;
    the page says how many."""
    rows = [r for r in rows if r["potential"] is not None]
    sx, sy = (W - PAD - 10), (H - PAD - 10)
    xs, lo, hi = _log_scale([_f(r["revenue"]) for r in rows] + [_f(split_x)], sx)
    ys_values = [_f(r["potential"]) for r in rows]
    ymax = max([*ys_values, _f(split_y), 1e-9])
    body = [_axes(x_label + " (log)", y_label)]
    for power in range(int(lo) + (lo > int(lo)), int(hi) + 1):
        body.append(_x_tick(PAD + xs(10.0**power), money(10.0**power, lang)))
    for share in (0.5, 1.0):
        body.append(_y_tick(H - PAD - share * sy, money(ymax * share, lang)))
    # The quadrant names in their corners (high revenue right, high potential up).
    corners = {
        "development": (PAD + 6, 24, "start"),
        "top": (W - 14, 24, "end"),
        "small": (PAD + 6, H - PAD - 8, "start"),
        "premium": (W - 14, H - PAD - 8, "end"),
    }
    for key, (cx, cy, anchor) in corners.items():
        body.append(
            f'<text x="{cx}" y="{cy}" text-anchor="{anchor}" class="quadrant">'
            f"{escape(labels.get(key, key))}</text>"
        )
    if split_x is not None:
        x = PAD + xs(_f(split_x))
        body.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{H - PAD}" class="split"/>')
    if split_y is not None:
        y = H - PAD - _f(split_y) / ymax * sy
        body.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{W - 10}" y2="{y:.1f}" class="split"/>')
    for r in rows:
        x = PAD + xs(_f(r["revenue"]))
        y = H - PAD - _f(r["potential"]) / ymax * sy
        quadrant = r["quadrant_effective"]
        tip = (
            f"{r['customer_id']} {r['name'] or ''} · {labels.get(quadrant, quadrant)} · "
            f"{money(_f(r['revenue']), lang)}"
        )
        body.append(
            f'<a href="/customers/{quote(str(r["customer_id"]), safe="")}" '
            f'data-customer="{escape(str(r["customer_id"]))}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{QUADRANT_COLOURS.get(quadrant)}" '
            f'class="point"><title>{escape(tip)}</title></circle></a>'
        )
    return _svg("".join(body), y_label)


def waterfall(steps: list[tuple[str, float, bool]], lang: str = "de") -> Markup:
    """Revenue down to margin III: (label, amount, is_total) bars, falling steps in red."""
    height, bar = 260, (W - PAD - 10) / max(len(steps), 1)
    top = max([abs(v) for _, v, _ in steps] + [1.0])
    zero = height - 40 - (height - 60) * (0 if min(v for _, v, _ in steps) >= 0 else 0.3)
    scale = (zero - 10) / top
    body, level = [], 0.0
    for i, (label, amount, total) in enumerate(steps):
        start, end = (0.0, amount) if total else (level, level + amount)
        level = end
        y1, y2 = zero - max(start, end) * scale, zero - min(start, end) * scale
        colour = "#1f6fb2" if total else ("#b3261e" if amount < 0 else "#1b7f3b")
        x = PAD + i * bar + 4
        body.append(
            f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar - 8:.1f}" height="{max(y2 - y1, 1):.1f}" '
            f'fill="{colour}"><title>{escape(label)}: {money(amount, lang, 2)}</title></rect>'
            f'<text x="{x + (bar - 8) / 2:.1f}" y="{height - 20}" text-anchor="middle">'
            f"{escape(label)}</text>"
            f'<text x="{x + (bar - 8) / 2:.1f}" y="{max(y1 - 4, 10):.1f}" text-anchor="middle" '
            f'class="value">{escape(money(amount, lang))}</text>'
        )
    body.append(f'<line x1="{PAD}" y1="{zero:.1f}" x2="{W - 10}" y2="{zero:.1f}" class="axis"/>')
    return _svg("".join(body), "waterfall", W, height)


def lines(
    rows: list[dict], series: dict[str, str], x_key: str = "month", lang: str = "de"
) -> Markup:
    """Monthly series as lines (revenue, margin); hover a point for its value."""
    height = 200
    if not rows:
        return Markup("")
    values = [_f(r[k]) for r in rows for k in series]
    lo, hi = min([*values, 0.0]), max([*values, 1.0])
    step = (W - PAD - 10) / max(len(rows) - 1, 1)

    def y(v: float) -> float:
        return height - 30 - (v - lo) / (hi - lo) * (height - 50)

    colours = ("#1f6fb2", "#1b7f3b", "#c47a00")
    body = [f'<line x1="{PAD}" y1="{y(0):.1f}" x2="{W - 10}" y2="{y(0):.1f}" class="axis"/>']
    for value in sorted({lo, 0.0, hi}):
        body.append(_y_tick(y(value), money(value, lang)))
    for (key, label), colour in zip(series.items(), colours, strict=False):
        pts = " ".join(f"{PAD + i * step:.1f},{y(_f(r[key])):.1f}" for i, r in enumerate(rows))
        body.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, r in enumerate(rows):
            tip = f"{str(r[x_key])[:7]} {label}: {money(_f(r[key]), lang)}"
            body.append(
                f'<circle cx="{PAD + i * step:.1f}" cy="{y(_f(r[key])):.1f}" r="3" '
                f'fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    first, last = str(rows[0][x_key])[:7], str(rows[-1][x_key])[:7]
    body.append(f'<text x="{PAD}" y="{height - 8}">{first}</text>')
    body.append(f'<text x="{W - 10}" y="{height - 8}" text-anchor="end">{last}</text>')
    return _svg("".join(body), "trajectory", W, height)
