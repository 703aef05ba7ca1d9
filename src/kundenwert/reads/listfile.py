"""A customer list as a file: CSV (German Excel opens it) and xlsx, for the CLI and the web."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa

from kundenwert.cells import WORKBOOK_OPTIONS, csv_text, write_cell
from kundenwert.headers import HEADERS, header_of, kind_of, value_names  # noqa: F401

#: The spreadsheet dialect per language: what Excel in that language opens in columns.
DIALECTS = {"de": (";", ","), "en": (",", ".")}  # (delimiter, decimal mark)


def list_columns(table: pa.Table) -> list[str]:
    """The columns a list file carries, in the export's order: the review's stable columns,
    the score contributions, then master data and dynamics (internal columns left out)."""
    from kundenwert.review.columns import COLUMNS, CONTRIBUTION_PREFIX

    present = set(table.column_names)
    ordered = [c.name for c in COLUMNS if c.name in present]
    ordered += [c for c in table.column_names if c.startswith(CONTRIBUTION_PREFIX)]
    ordered += [c for c in HEADERS if c in present and c not in ordered]
    return ordered


def _named(table: pa.Table, columns: list[str], names: dict | None) -> list[dict]:
    """The rows of ``columns`` with codes replaced by their words."""
    rows = table.select(columns).to_pylist()
    for column in columns:
        words = (names or {}).get(column)
        if not words:
            continue
        for row in rows:
            value = row[column]
            if isinstance(value, list):
                row[column] = [words.get(v, v) for v in value]
            elif value is not None:
                row[column] = words.get(value, value)
    return rows


def _spreadsheet_value(value: object, kind: str, lang: str) -> object:
    """One CSV field of the spreadsheet dialect: numbers with the language's decimal mark
    and no grouping (Excel reads them as numbers), dates as the language writes them."""
    from kundenwert.formatting import day

    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value, lang)
    if isinstance(value, int | float | Decimal):
        digits = 4 if kind in ("score", "share") else 2
        text = f"{float(value):.{digits if kind != 'int' else 0}f}"
        return text.replace(".", DIALECTS[lang][1]) if lang in DIALECTS else text
    if isinstance(value, date | datetime):
        return day(value, lang)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return csv_text(str(value))


def _yes_no(value: bool, lang: str) -> str:
    return ("ja" if value else "nein") if lang == "de" else ("yes" if value else "no")


def to_csv(table: pa.Table, lang: str = "de", names: dict | None = None) -> bytes:
    """The list in the spreadsheet dialect of ``lang`` (German: semicolons, decimal comma),
    headers in words, with a byte-order mark so that Excel reads UTF-8.

    The machine format (comma, decimal point, column names) is `kundenwert export --format
    csv` (docs/export-columns.md); this one is for people opening a file in a spreadsheet."""
    columns = list_columns(table)
    delimiter = DIALECTS.get(lang, DIALECTS["de"])[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([header_of(c, lang, names) for c in columns])
    kinds = [kind_of(c) for c in columns]
    for row in _named(table, columns, names):
        writer.writerow(
            [_spreadsheet_value(v, k, lang) for v, k in zip(row.values(), kinds, strict=True)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


#: Number formats of the workbook cells by column kind (Excel shows them in its language).
CELL_FORMATS = {
    "money": "#,##0.00",
    "int": "#,##0",
    "score": "0.00",
    "share": "0.0%",
    "date": "dd.mm.yyyy",
}


def to_xlsx(table: pa.Table, lang: str = "de", names: dict | None = None) -> bytes:
    """The list as a workbook: headers in words, typed cells with number and date formats,
    frozen header row and filters."""
    import xlsxwriter

    columns = list_columns(table)
    out = io.BytesIO()
    date_format = "dd.mm.yyyy" if lang == "de" else "yyyy-mm-dd"
    options = {"in_memory": True, "default_date_format": date_format, **WORKBOOK_OPTIONS}
    book = xlsxwriter.Workbook(out, options)
    sheet = book.add_worksheet("Kunden" if lang == "de" else "Customers")
    bold = book.add_format({"bold": True})
    formats = {k: book.add_format({"num_format": f}) for k, f in CELL_FORMATS.items()}
    formats["date"] = book.add_format({"num_format": date_format})
    kinds = [kind_of(c) for c in columns]
    for j, name in enumerate(columns):
        sheet.write_string(0, j, header_of(name, lang, names), bold)
        sheet.set_column(j, j, 14, formats.get(kinds[j]))
    for i, row in enumerate(_named(table, columns, names), start=1):
        for j, value in enumerate(row.values()):
            if isinstance(value, bool):
                value = _yes_no(value, lang)
            write_cell(sheet, i, j, value, formats.get(kinds[j]))
    sheet.autofilter(0, 0, max(table.num_rows, 1), max(len(columns) - 1, 0))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def text_column(column: str, values: list, lang: str, names: dict | None = None) -> list[str]:
    """A column's values as text in ``lang`` (a terminal table): numbers as the language
    writes them, codes (quadrants, service levels) in words when ``names`` has them."""
    from kundenwert import formatting

    kind, words = kind_of(column), (names or {}).get(column, {})
    out = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append(_yes_no(v, lang))
        elif kind == "money":
            out.append(formatting.money(v, lang))
        elif kind == "share":
            out.append(formatting.percent(v, lang, 1))
        elif kind == "score":
            out.append(formatting.number(v, lang, 1))
        elif isinstance(v, int | float | Decimal):
            out.append(formatting.number(v, lang))
        elif isinstance(v, date | datetime):
            out.append(formatting.day(v, lang))
        elif isinstance(v, list):
            out.append(", ".join(str(words.get(x, x)) for x in v))
        else:
            out.append(str(words.get(v, v)))
    return out


def write_list(table: pa.Table, path, lang: str, names: dict | None = None):
    """Write a customer list to ``path`` (.csv or .xlsx by its suffix); returns the path."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write = to_xlsx if path.suffix.lower() == ".xlsx" else to_csv
    body = write(table, lang, names)
    path.write_bytes(body)
    return path
