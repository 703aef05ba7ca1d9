"""Further workbook sheets: the forecast with its validation, and plain tables (alerts, ...)."""

from __future__ import annotations

from kundenwert.cells import write_cell
from kundenwert.forecast.text import FIGURE_NAMES, describe_fit, model_name
from kundenwert.i18n import translate

_T = {
    "sheet": {"de": "Prognose", "en": "Forecast"},
    "title": {"de": "Prognose und ihre Prüfung", "en": "Forecast and its validation"},
    "none": {"de": "Keine Prognose: {reason}", "en": "No forecast: {reason}"},
    "parameters": {"de": "Parameter", "en": "Parameters"},
    "validation": {
        "de": "Prüfung: angepasst bis {calibration_end}, verglichen bis {holdout_end} ({holdout})",
        "en": "Validation: fitted to {calibration_end}, compared to {holdout_end} ({holdout})",
    },
    "no_validation": {"de": "Keine Prüfung: {reason}", "en": "No validation: {reason}"},
    "group": {"de": "Käufe im Anpassungszeitraum", "en": "Purchases in calibration"},
    "customers": {"de": "Kunden", "en": "Customers"},
    "actual": {"de": "Käufe danach, tatsächlich (Mittel)", "en": "Purchases after, actual (mean)"},
    "predicted": {
        "de": "Käufe danach, prognostiziert (Mittel)",
        "en": "Purchases after, predicted (mean)",
    },
    "total": {"de": "Summe", "en": "Total"},
    "mae": {"de": "Mittlerer absoluter Fehler je Kunde", "en": "Mean absolute error per customer"},
    "rmse": {"de": "Wurzel des mittleren quadr. Fehlers", "en": "Root mean squared error"},
}
_SKIP = {"status", "validation", "spend", "message", "as_of", "unit", "replaces"}


def forecast_sheet(wb, fmt, info: dict, lang: str) -> None:
    """Write the sheet; ``info`` is the forecast stored in the review's header."""
    ws = wb.add_worksheet(translate(_T, "sheet", lang))
    ws.set_column(0, 0, 38)
    ws.set_column(1, 3, 22)
    ws.write(0, 0, translate(_T, "title", lang), fmt["title"])
    if info.get("status") != "fitted":
        reason = info.get("reason", info.get("status", "?"))
        ws.write(2, 0, translate(_T, "none", lang, reason=reason))
        return
    ws.write_string(1, 0, describe_fit(info, lang))
    r = _parameters(ws, fmt, info, 2, lang)
    validation = info.get("validation")
    if not validation:
        return
    if validation.get("status") != "done":
        ws.write(r + 1, 0, translate(_T, "no_validation", lang, reason=validation.get("reason")))
        return
    _validation(ws, fmt, validation, r + 1, lang)


def _parameters(ws, fmt, info: dict, r: int, lang: str) -> int:
    ws.write(r, 0, translate(_T, "parameters", lang), fmt["head"])
    r += 1
    for part in (info, info.get("spend") or {}):
        for key, value in part.items():
            if key in _SKIP or isinstance(value, dict | list):
                continue
            label = translate(FIGURE_NAMES, key, lang) if key in FIGURE_NAMES else key
            if key == "model":
                value = model_name(value, lang)
            elif isinstance(value, bool):
                value = translate(FIGURE_NAMES, "yes" if value else "no", lang)
            ws.write_string(r, 0, label)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            kind = "int" if isinstance(value, int) else "precise"
            write_cell(ws, r, 1, value, fmt[kind] if number else None)
            r += 1
    return r


def _validation(ws, fmt, v: dict, r: int, lang: str) -> None:
    ws.write(r, 0, translate(_T, "validation", lang, **v), fmt["head"])
    r += 1
    for c, key in enumerate(("group", "customers", "actual", "predicted")):
        ws.write(r, c, translate(_T, key, lang), fmt["head"])
    for g in v["groups"]:
        r += 1
        write_cell(ws, r, 0, g["label"])
        ws.write_number(r, 1, g["customers"], fmt["int"])
        ws.write_number(r, 2, g["actual_mean"], fmt["score"])
        ws.write_number(r, 3, g["predicted_mean"], fmt["score"])
    r += 1
    ws.write(r, 0, translate(_T, "total", lang), fmt["head"])
    ws.write_number(r, 1, v["customers"], fmt["int"])
    ws.write_number(r, 2, v["total_actual"], fmt["score"])
    ws.write_number(r, 3, v["total_predicted"], fmt["score"])
    for key in ("mae", "rmse"):
        r += 1
        ws.write(r, 0, translate(_T, key, lang))
        ws.write_number(r, 1, v[key], fmt["score"])


def table_sheet(wb, fmt, title: str, table) -> None:
    """A plain table as a sheet: bold header, filter, frozen first row, sensible widths."""
    ws = wb.add_worksheet(title[:31])  # Excel's limit for sheet names
    names = table.column_names
    for c, name in enumerate(names):
        ws.write(0, c, name, fmt["head"])
        ws.set_column(c, c, min(max(len(name) + 2, 12), 60))
    for r, row in enumerate(table.to_pylist(), start=1):
        for c, name in enumerate(names):
            value = row[name]
            if isinstance(value, list | dict):
                value = str(value)
            write_cell(ws, r, c, value)
    ws.autofilter(0, 0, max(table.num_rows, 1), max(len(names) - 1, 0))
    ws.freeze_panes(1, 0)
