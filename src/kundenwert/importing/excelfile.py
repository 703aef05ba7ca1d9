"""Excel workbooks (.xlsx, .xls, .ods) through calamine, a fast reader."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pyarrow as pa

from kundenwert.errors import ImportFileError
from kundenwert.importing.source import Progress, Source
from kundenwert.settings import TableImport


def _cell_text(value: object) -> str | None:
    """A cell as the text a user would type, so that Excel and CSV parse the same way."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Excel stores every number as a float: customer number 10023 arrives as 10023.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def open_excel(path: Path, spec: TableImport) -> Source:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet_name = spec.sheet or book.sheet_names[0]
        if sheet_name not in book.sheet_names:
            raise ImportFileError(
                f"{path}: Tabellenblatt {sheet_name!r} fehlt; vorhanden: "
                f"{', '.join(book.sheet_names)}.",
                hint="Korrigieren Sie `sheet` in kundenwert.toml.",
                file=str(path),
            )
        rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportFileError(
            f"{path}: Excel-Datei nicht lesbar ({exc}).",
            hint="Öffnen und speichern Sie die Datei in Excel erneut oder exportieren Sie CSV.",
            file=str(path),
        ) from exc
    header_index = next(
        (i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None
    )
    if header_index is None:
        raise ImportFileError(
            f"{path}: das Tabellenblatt ist leer.",
            hint="Exportieren Sie die Tabelle mit Kopfzeile und Daten erneut.",
            file=str(path),
        )
    header_cells = rows[header_index]
    width = max(i + 1 for i, c in enumerate(header_cells) if c not in (None, ""))
    headers = [
        (_cell_text(c) or f"column_{i + 1}").strip() for i, c in enumerate(header_cells[:width])
    ]
    # Wholly empty rows are layout, not data; the others keep their sheet row number.
    body = [
        (number, row)
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(c not in (None, "") for c in row)
    ]
    columns = [
        pa.array([_cell_text(r[i]) if i < len(r) else None for _, r in body], pa.string())
        for i in range(width)
    ]
    numbers = pa.array([number for number, _ in body], pa.int64())
    table = pa.Table.from_arrays([numbers, *columns], names=["_row", *headers])

    def factory(progress: Progress | None) -> pa.RecordBatchReader:
        if progress:
            progress(len(body))
        return table.to_reader()

    return Source(
        path,
        "excel",
        headers,
        text_columns=set(headers),
        decimal=".",
        estimated_rows=len(body),
        _arrow_factory=factory,
    )
