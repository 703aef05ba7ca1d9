"""The problem-solving chain drawn as SVG: one box per actor, in chain order, with arrows.

Readable on paper: black text on white, the direct contact told by a solid frame and a word
(a dashed frame and "no contact" otherwise), not by colour alone; the picture scales to the
page width. Long chains wrap onto further rows. Drawn by hand (a few boxes and arrows) rather
than with a graph layout library, which would add a dependency for a straight line of boxes.
"""

from __future__ import annotations

from html import escape
from textwrap import wrap
from typing import Any

from markupsafe import Markup

from kundenwert.contacts.text import LABELS, actor_name
from kundenwert.i18n import translate

# Three boxes a row: on an A4 page the text then prints at about 9 pt.
BOX_W, BOX_H, GAP, PER_ROW, LINE = 200, 190, 44, 3, 16
MAX_PERSONS = 4


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}" {extra}>{escape(content)}</text>'


def _lines(text: str, width: int = 26, most: int = 2) -> list[str]:
    parts = wrap(text, width) or [""]
    return [*parts[: most - 1], parts[most - 1] + " …"] if len(parts) > most else parts


def _box(i: int, actor: dict[str, Any], x: float, y: float, lang: str) -> str:
    persons = actor.get("persons") or []
    direct = bool(actor.get("direct_contact")) or any(p.get("direct_contact") for p in persons)
    frame = "" if direct else ' stroke-dasharray="6 4"'
    out = [
        f'<g class="actor" data-actor="{i}">',
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="#ffffff" '
        f'stroke="#1d2430" stroke-width="{2 if direct else 1.2}"{frame}/>',
        _text(x + 10, y + 20, f"{i + 1}. {actor_name(actor['kind'], lang)}", font_weight="bold"),
    ]
    line_y = y + 38
    for part in _lines(actor["name"]):
        out.append(_text(x + 10, line_y, part))
        line_y += LINE
    if actor.get("number") is not None:
        out.append(_text(x + 10, line_y, f"{translate(LABELS, 'number', lang)}: {actor['number']}"))
        line_y += LINE
    line_y += 4
    for p in persons[:MAX_PERSONS]:
        mark = "● " if p.get("direct_contact") else "○ "
        out.append(_text(x + 10, line_y, mark + _lines(p["name"], 24, 1)[0], font_size="12"))
        line_y += LINE - 1
    if len(persons) > MAX_PERSONS:
        out.append(_text(x + 10, line_y, f"+ {len(persons) - MAX_PERSONS}", font_size="12"))
    status = translate(LABELS, "direct_contact" if direct else "not_contacted", lang)
    out.append(
        _text(
            x + 10,
            y + BOX_H - 10,
            ("✔ " if direct else "✘ ") + status,
            font_size="12",
            font_weight="bold" if direct else "normal",
        )
    )
    out.append("</g>")
    return "".join(out)


def chain_svg(chain: dict[str, Any], lang: str) -> Markup:
    """The actors of ``chain`` (a stored chain document) as an SVG picture."""
    actors = chain["actors"]
    rows = (len(actors) + PER_ROW - 1) // PER_ROW
    per_row = min(len(actors), PER_ROW)
    width = per_row * BOX_W + (per_row - 1) * GAP + 20
    height = rows * (BOX_H + GAP) - GAP + 20
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#1d2430"/></marker></defs>'
    ]
    for i, actor in enumerate(actors):
        row, col = divmod(i, PER_ROW)
        x, y = 10 + col * (BOX_W + GAP), 10 + row * (BOX_H + GAP)
        body.append(_box(i, actor, x, y, lang))
        if i + 1 < len(actors):
            if col + 1 < PER_ROW:  # an arrow to the right
                ay = y + BOX_H / 2
                body.append(
                    f'<line x1="{x + BOX_W + 2}" y1="{ay}" x2="{x + BOX_W + GAP - 4}" y2="{ay}" '
                    'stroke="#1d2430" stroke-width="1.5" marker-end="url(#arrow)"/>'
                )
            else:  # down to the next row's first box
                x2, y2 = 10 + BOX_W / 2, y + BOX_H + GAP - 4
                body.append(
                    f'<polyline points="{x + BOX_W / 2},{y + BOX_H + 2} {x + BOX_W / 2},'
                    f'{y + BOX_H + GAP / 2} {x2},{y + BOX_H + GAP / 2} {x2},{y2}" fill="none" '
                    'stroke="#1d2430" stroke-width="1.5" marker-end="url(#arrow)"/>'
                )
    label = translate(LABELS, "chain", lang) + ": " + chain["title"]
    return Markup(
        f'<svg class="chain" id="chain-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="13" fill="#1d2430">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
