"""The filtered customer list as a file: CSV (German Excel opens it) and xlsx."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pyarrow as pa

from kundenwert.cells import WORKBOOK_OPTIONS, csv_cell, write_cell


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def to_csv(table: pa.Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([csv_cell(_plain(v)) for v in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: pa.Table) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    options = {"in_memory": True, "default_date_format": "yyyy-mm-dd", **WORKBOOK_OPTIONS}
    book = xlsxwriter.Workbook(out, options)
    sheet = book.add_worksheet("Kunden")
    for j, name in enumerate(table.column_names):
        sheet.write_string(0, j, name)
    for i, row in enumerate(table.to_pylist(), start=1):
        for j, value in enumerate(row.values()):
            write_cell(sheet, i, j, _plain(value))
    sheet.autofilter(0, 0, max(table.num_rows, 1), max(table.num_columns - 1, 0))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
