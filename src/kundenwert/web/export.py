"""The filtered customer list as a file: CSV (German Excel opens it) and xlsx."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pyarrow as pa


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
        writer.writerow([_plain(v) for v in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: pa.Table) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Kunden")
    sheet.write_row(0, 0, table.column_names)
    for i, row in enumerate(table.to_pylist(), start=1):
        sheet.write_row(i, 0, [_plain(v) for v in row.values()])
    sheet.autofilter(0, 0, max(table.num_rows, 1), max(table.num_columns - 1, 0))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
