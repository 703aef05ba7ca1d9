"""The review workbook: overview, customers, Pareto chart, four-field matrix, service levels."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from kundenwert.cells import WORKBOOK_OPTIONS, write_cell
from kundenwert.forecast.text import describe_fit
from kundenwert.headers import header_of, kind_of, value_names
from kundenwert.i18n import translate
from kundenwert.review._base import CLASSES, MATRIX_ORDER
from kundenwert.review.columns import COLUMNS, CONTRIBUTION_PREFIX
from kundenwert.review.findings import finding_text
from kundenwert.review.forecasting import FORECAST_COLUMNS
from kundenwert.review.service import commitment
from kundenwert.review.snapshots import LoadedReview
from kundenwert.review.xlsx_forecast import forecast_sheet

#: Points drawn in charts at most; more customers are binned (Pareto) or the largest kept.
PARETO_BINS = 100
MATRIX_POINTS = 5000

_T = {
    "overview": {"de": "Übersicht", "en": "Overview"},
    "customers": {"de": "Kunden", "en": "Customers"},
    "pareto": {"de": "ABC-Pareto", "en": "ABC Pareto"},
    "matrix": {"de": "Vier-Felder-Matrix", "en": "Four-field matrix"},
    "levels": {"de": "Servicelevel", "en": "Service levels"},
    "title": {"de": "Kundenwert-Review {id}", "en": "Customer value review {id}"},
    "as_of": {"de": "Stichtag", "en": "As of"},
    "window": {"de": "Zeitraum", "en": "Window"},
    "created": {"de": "Erstellt am", "en": "Created at"},
    "config_hash": {"de": "Konfigurations-Hash", "en": "Configuration hash"},
    "count": {"de": "Kunden", "en": "Customers"},
    "flagged": {"de": "Betreuung > Ertrag", "en": "Care exceeds margin"},
    "strategic": {"de": "Strategische Kunden", "en": "Strategic customers"},
    "overrides": {"de": "Aktive Ausnahmen", "en": "Active overrides"},
    "unassigned": {"de": "Umsatz ohne Kunde", "en": "Unassigned revenue"},
    "unassigned_lines": {"de": "Zeilen ohne Kunde", "en": "Lines without a customer"},
    "revenue_total": {"de": "Umsatz laut Rechnungen", "en": "Revenue as invoiced"},
    "class": {"de": "Klasse", "en": "Class"},
    "share_customers": {"de": "Anteil Kunden", "en": "Share of customers"},
    "share_measure": {"de": "Anteil ABC-Maß", "en": "Share of ABC measure"},
    "quadrant": {"de": "Matrixfeld", "en": "Matrix field"},
    "level": {"de": "Servicelevel", "en": "Service level"},
    "cum_customers": {"de": "Anteil Kunden (kum.)", "en": "Share of customers (cum.)"},
    "bin_share": {"de": "Anteil am ABC-Maß", "en": "Share of ABC measure"},
    "cum_share": {"de": "Kumulierter Anteil", "en": "Cumulative share"},
    "commitment": {"de": "Servicezusage", "en": "Service commitment"},
    "dimension": {"de": "Dimension", "en": "Dimension"},
    "x_axis": {"de": "Umsatz", "en": "Revenue"},
    "y_axis": {"de": "Potenzial", "en": "Potential"},
    "potential_source": {"de": "Potenzial aus", "en": "Potential from"},
    "forecast": {"de": "Prognose", "en": "Forecast"},
    "forecast_off": {"de": "nicht berechnet", "en": "not computed"},
    "complete_share": {
        "de": "Umsatz mit vollständigen Deckungsbeiträgen",
        "en": "Revenue with complete margins",
    },
    "findings": {"de": "Hinweise", "en": "Findings"},
    "forecast_unavailable": {"de": "nicht möglich: {reason}", "en": "not possible: {reason}"},
}


def forecast_text(info: dict, lang: str) -> str:
    """One line on the review's forecast: the model fitted, or why there is none."""
    status = info.get("status", "off")
    if status == "fitted":
        return describe_fit(info, lang)
    if status == "unavailable":
        return translate(_T, "forecast_unavailable", lang, reason=info.get("reason", "?"))
    return translate(_T, "forecast_off", lang)


def _float(value):
    return float(value) if isinstance(value, Decimal) else value


def write_workbook(
    path: Path,
    review: LoadedReview,
    table: pa.Table,
    lang: str,
    *,
    extra: list[tuple[str, pa.Table]] | None = None,
) -> None:
    options = {"remove_timezone": True, "default_date_format": "yyyy-mm-dd", **WORKBOOK_OPTIONS}
    wb = xlsxwriter.Workbook(str(path), options)
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "money": wb.add_format({"num_format": "#,##0.00"}),
        "int": wb.add_format({"num_format": "#,##0"}),
        "score": wb.add_format({"num_format": "0.0"}),
        "precise": wb.add_format({"num_format": "0.000###"}),  # model parameters
        "share": wb.add_format({"num_format": "0.0%"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "text": wb.add_format({}),
        "bool": wb.add_format({"align": "center"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }
    rows = table.to_pylist()
    _overview(wb, fmt, review, rows, lang)
    _customers(wb, fmt, table, rows, review, lang)
    _pareto(wb, fmt, rows, lang)
    _matrix(wb, fmt, rows, review, lang)
    forecast_sheet(wb, fmt, review.header["forecast"], lang)
    _levels(wb, fmt, review, lang)
    for title, sheet in extra or []:
        words_sheet(wb, fmt, title, sheet, lang, value_names(review.settings, lang))
    wb.close()


def _field_kind(field: pa.Field) -> str | None:
    kind = (field.metadata or {}).get(b"kind")
    return kind.decode() if kind else None


def words_sheet(wb, fmt, title: str, table: pa.Table, lang: str, names: dict) -> None:
    """A table as a sheet people read: headers and coded values in words, each column in its
    number or date format, a frozen header row and filters (as on the customer sheet)."""
    if "label" in table.column_names and "action" in table.column_names:
        table = table.drop_columns(["action"])  # the step's name says it in words
    ws = wb.add_worksheet(title[:31])  # Excel's limit for sheet names
    columns = table.column_names
    # A table made elsewhere (e.g. the contact coverage) may name a column's kind in its
    # field metadata, since its headers are already words and not catalogue names.
    kinds = [_field_kind(table.schema.field(c)) or kind_of(c) for c in columns]
    for c, (name, kind) in enumerate(zip(columns, kinds, strict=True)):
        header = header_of(name, lang)
        ws.write_string(0, c, header, fmt["head"])
        width = 60 if name in ("reason", "evidence", "because") else max(len(header) + 2, 12)
        ws.set_column(c, c, width, fmt.get(kind) if kind != "text" else None)
    for r, row in enumerate(table.to_pylist(), start=1):
        for c, name in enumerate(columns):
            value = row[name]
            words = names.get(name)
            if words and isinstance(value, str):
                value = words.get(value, value)
            elif isinstance(value, dict):
                value = str(value)
            write_cell(ws, r, c, value, fmt.get(kinds[c]) if kinds[c] != "text" else None)
    ws.autofilter(0, 0, max(table.num_rows, 1), max(len(columns) - 1, 0))
    ws.freeze_panes(1, 0)


def _overview(wb, fmt, review: LoadedReview, rows: list[dict], lang: str) -> None:
    ws = wb.add_worksheet(translate(_T, "overview", lang))
    h = review.header
    ws.set_column(0, 0, 28)
    ws.set_column(1, 5, 18)
    ws.write(0, 0, translate(_T, "title", lang, id=h["review_id"]), fmt["title"])
    facts = [
        ("as_of", h["as_of"], "date"),
        ("window", f"{h['window_start']} – {h['as_of']} ({h['window_months']} M)", "text"),
        ("created", h["created_at"].strftime("%Y-%m-%d %H:%M"), "text"),
        ("config_hash", h["config_hash"][:16], "text"),
        ("count", len(rows), "int"),
        ("flagged", sum(1 for r in rows if r["care_exceeds_margin"]), "int"),
        ("strategic", sum(1 for r in rows if r["strategic_effective"]), "int"),
        ("overrides", sum(1 for r in rows if r["override_status"] == "active"), "int"),
        ("potential_source", review.settings.potential.source, "text"),
        ("forecast", forecast_text(h["forecast"], lang), "text"),
        ("complete_share", h.get("complete_revenue_share"), "share"),
    ]
    r = 2
    for key, value, kind in facts:
        ws.write(r, 0, translate(_T, key, lang))
        write_cell(ws, r, 1, value, fmt[kind])
        r += 1
    for finding in h.get("findings", []):
        ws.write(r, 0, translate(_T, "findings", lang))
        ws.write(r, 1, finding_text(finding, lang))
        r += 1
    r += 1
    # Totals of the money columns of the past; forecast columns are estimates, not summed.
    money = [
        c
        for c in COLUMNS
        if c.kind == "money" and c.name != "abc_measure" and c.name not in FORECAST_COLUMNS
    ]
    for c in money:
        ws.write(r, 0, c.de if lang == "de" else c.en)
        # Exact, rounded for display only; empty in reviews made before the column existed.
        total = sum((x[c.name] or Decimal(0) for x in rows), Decimal(0))
        ws.write_number(r, 1, float(total), fmt["money"])
        r += 1
        if c.name == "revenue" and h.get("unassigned_lines"):
            # Lines without a customer, so that the revenue reconciles with the export.
            unassigned = h["unassigned_revenue"]
            for key, value, kind in (
                ("unassigned", float(unassigned), "money"),
                ("unassigned_lines", h["unassigned_lines"], "int"),
                ("revenue_total", float(total + unassigned), "money"),
            ):
                ws.write(r, 0, translate(_T, key, lang))
                ws.write_number(r, 1, value, fmt[kind])
                r += 1
    r += 1
    r = _count_table(
        ws,
        fmt,
        r,
        rows,
        "abc_class_effective",
        list(CLASSES),
        translate(_T, "class", lang),
        lang,
        with_measure=True,
    )
    labels = review.settings.matrix.labels
    quads = list(MATRIX_ORDER)
    r = _count_table(
        ws,
        fmt,
        r + 1,
        rows,
        "quadrant_effective",
        quads,
        translate(_T, "quadrant", lang),
        lang,
        names={q: labels[q].get(lang) for q in quads},
    )
    levels = [lv.key for lv in review.settings.service.levels]
    _count_table(
        ws,
        fmt,
        r + 1,
        rows,
        "service_level_effective",
        levels,
        translate(_T, "level", lang),
        lang,
        names={lv.key: lv.label.get(lang) for lv in review.settings.service.levels},
    )


def _count_table(
    ws, fmt, r, rows, column, keys, title, lang, *, names=None, with_measure=False
) -> int:
    heads = [title, translate(_T, "count", lang), translate(_T, "share_customers", lang)]
    if with_measure:
        heads.append(translate(_T, "share_measure", lang))
    ws.write_row(r, 0, heads, fmt["head"])
    total_n = len(rows) or 1
    total_m = sum(max(_float(x["abc_measure"]), 0) for x in rows) or 1
    for key in keys:
        r += 1
        group = [x for x in rows if x[column] == key]
        write_cell(ws, r, 0, (names or {}).get(key, key))
        ws.write_number(r, 1, len(group), fmt["int"])
        ws.write_number(r, 2, len(group) / total_n, fmt["share"])
        if with_measure:
            measure = sum(max(_float(x["abc_measure"]), 0) for x in group)
            ws.write_number(r, 3, measure / total_m, fmt["share"])
    return r + 1


def _customers(wb, fmt, table: pa.Table, rows, review, lang) -> None:
    ws = wb.add_worksheet(translate(_T, "customers", lang))
    spec = {c.name: c for c in COLUMNS}
    labels = review.settings.scoring.indicators
    # The workbook is for people: quadrants and service levels by their names, not their keys.
    shown_as = value_names(review.settings, lang)
    for j, name in enumerate(table.column_names):
        if name in spec:
            c = spec[name]
            head, kind = (c.de if lang == "de" else c.en), c.kind
        else:
            ind = name.removeprefix(CONTRIBUTION_PREFIX)
            label = labels[ind].label.get(lang) if labels[ind].label else ind
            head, kind = ("Beitrag " if lang == "de" else "Contribution ") + label, "score"
        ws.write(0, j, head, fmt["head"])
        width = {"text": 18, "money": 14, "score": 11, "share": 11, "bool": 9}.get(kind, 12)
        ws.set_column(j, j, 30 if name in ("name", "override") else width, fmt[kind])
        for i, row in enumerate(rows, start=1):
            value = row[name]
            if value is None:
                continue
            if name in shown_as:
                write_cell(ws, i, j, shown_as[name].get(value, value))
            elif kind == "money":
                ws.write_number(i, j, float(value))
            elif kind == "date":
                ws.write_datetime(i, j, value)
            else:
                write_cell(ws, i, j, value)
    ws.set_row(0, 45)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(rows), 1), len(table.column_names) - 1)


def _pareto(wb, fmt, rows, lang) -> None:
    ws = wb.add_worksheet(translate(_T, "pareto", lang))
    measures = [max(_float(r["abc_measure"]), 0.0) for r in rows]  # already sorted descending
    total = sum(measures) or 1.0
    n = len(measures)
    bins = min(PARETO_BINS, n) or 1
    ws.write_row(
        0,
        0,
        [translate(_T, k, lang) for k in ("cum_customers", "bin_share", "cum_share")],
        fmt["head"],
    )
    cum = 0.0
    for b in range(bins):
        lo, hi = b * n // bins, (b + 1) * n // bins
        part = sum(measures[lo:hi]) / total
        cum += part
        ws.write_number(b + 1, 0, hi / n if n else 0, fmt["share"])
        ws.write_number(b + 1, 1, part, fmt["share"])
        ws.write_number(b + 1, 2, cum, fmt["share"])
    ws.set_column(0, 2, 18)
    ws.freeze_panes(1, 0)  # no filter: the chart shows these rows
    name = translate(_T, "pareto", lang)
    bars = wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": [name, 0, 1],
            "categories": [name, 1, 0, bins, 0],
            "values": [name, 1, 1, bins, 1],
            "gap": 10,
        }
    )
    line = wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": [name, 0, 2],
            "categories": [name, 1, 0, bins, 0],
            "values": [name, 1, 2, bins, 2],
            "y2_axis": True,
        }
    )
    bars.combine(line)
    bars.set_title({"name": "ABC / Pareto"})
    bars.set_x_axis({"name": translate(_T, "cum_customers", lang), "num_format": "0%"})
    bars.set_y_axis({"num_format": "0%"})
    line.set_y2_axis({"num_format": "0%", "max": 1})
    bars.set_size({"width": 900, "height": 450})
    ws.insert_chart(1, 4, bars)


def _matrix(wb, fmt, rows, review: LoadedReview, lang) -> None:
    ws = wb.add_worksheet(translate(_T, "matrix", lang))
    name = translate(_T, "matrix", lang)
    shown = rows[:MATRIX_POINTS]  # rows are sorted by the ABC measure: the largest are kept
    labels = review.settings.matrix.labels
    chart = wb.add_chart({"type": "scatter"})
    col = 0
    for quad in MATRIX_ORDER:
        group = [r for r in shown if r["quadrant_effective"] == quad]
        ws.write(0, col, labels[quad].get(lang), fmt["head"])
        ws.write_row(
            1, col, [translate(_T, "x_axis", lang), translate(_T, "y_axis", lang)], fmt["head"]
        )
        for i, r in enumerate(group, start=2):
            ws.write_number(i, col, float(r["revenue"]), fmt["money"])
            ws.write_number(i, col + 1, float(r["potential"] or 0.0), fmt["money"])
        if group:
            chart.add_series(
                {
                    "name": labels[quad].get(lang),
                    "categories": [name, 2, col, len(group) + 1, col],
                    "values": [name, 2, col + 1, len(group) + 1, col + 1],
                    "marker": {"type": "circle", "size": 4},
                }
            )
        col += 3
    ws.freeze_panes(2, 0)
    ws.set_column(0, col, 14)
    splits = review.header["splits"]
    chart.set_title({"name": name})
    x_split, y_split = splits.get("x"), splits.get("y")
    chart.set_x_axis(
        {
            "name": translate(_T, "x_axis", lang),
            "num_format": "#,##0",
            **({"crossing": x_split} if x_split is not None else {}),
        }
    )
    chart.set_y_axis(
        {
            "name": translate(_T, "y_axis", lang),
            "num_format": "#,##0",
            **({"crossing": y_split} if y_split is not None else {}),
        }
    )
    chart.set_size({"width": 900, "height": 600})
    ws.insert_chart(1, col + 1, chart)


def _levels(wb, fmt, review: LoadedReview, lang) -> None:
    ws = wb.add_worksheet(translate(_T, "levels", lang))
    svc = review.settings.service
    ws.write_row(
        0, 0, [translate(_T, "level", lang), translate(_T, "commitment", lang)], fmt["head"]
    )
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 90, fmt["wrap"])
    for i, lv in enumerate(svc.levels, start=1):
        ws.write(i, 0, lv.label.get(lang))
        text = commitment(svc, lv.key, customer_id="…", name="…", lang=lang)
        ws.write(i, 1, text.split("\n", 1)[1])  # without the per-customer first line
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(svc.levels), 1), 1)
