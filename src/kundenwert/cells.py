"""Spreadsheet cells that stay data: no formula injection through customer data.

A text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is a formula to Excel
and LibreOffice when a CSV file is opened (OWASP "CSV injection"). In CSV such a text gets a
leading single quote; a number, also one written as text like the German ``-12,50``, stays
as it is. In xlsx, text is written as a string cell (never through ``write()``, which turns
``=...`` into a formula and ``http://...`` into a link).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

_FORMULA = "^[=+\\-@\t\r]"
_NUMBER = r"^[+-]?(\d[\d.,]*|[.,]\d+)([eE][+-]?\d+)?%?$"
_FORMULA_RE, _NUMBER_RE = re.compile(_FORMULA), re.compile(_NUMBER)


def csv_text(value: str) -> str:
    """``value`` as a CSV field that no spreadsheet reads as a formula."""
    if _FORMULA_RE.match(value) and not _NUMBER_RE.match(value):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    return csv_text(value) if isinstance(value, str) else value


def neutralise(table: pa.Table) -> pa.Table:
    """The table with :func:`csv_text` applied to its text columns (numbers untouched)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i)
            risky = pc.and_not(
                pc.match_substring_regex(column, _FORMULA),
                pc.match_substring_regex(column, _NUMBER),
            )
            quoted = pc.binary_join_element_wise(pa.scalar("'", field.type), column, "")
            table = table.set_column(i, field, pc.if_else(risky, quoted, column))
    return table


def write_cell(ws, row: int, col: int, value: object, fmt=None) -> None:
    """Write one value to an xlsxwriter sheet by its type; text always as a string cell."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, col, value, fmt)
    else:
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        ws.write_string(row, col, text, fmt)


#: Workbook options: even a stray ``write()`` makes neither formulas nor links of text.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}
