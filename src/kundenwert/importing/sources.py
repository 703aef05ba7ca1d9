"""Reading export files: which reader a file needs, and opening it.

CSV (German or plain, :mod:`~kundenwert.importing.csvfile`), Excel
(:mod:`~kundenwert.importing.excelfile`) and Parquet (:mod:`~kundenwert.importing.parquetfile`)
all open into a :class:`~kundenwert.importing.source.Source`.
"""

from __future__ import annotations

from pathlib import Path

from kundenwert.errors import ImportFileError
from kundenwert.importing.csvfile import open_csv
from kundenwert.importing.excelfile import open_excel
from kundenwert.importing.parquetfile import open_parquet
from kundenwert.importing.source import Progress, Source
from kundenwert.settings import TableImport

__all__ = ["SUFFIXES", "Progress", "Source", "detect_format", "open_source"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise ImportFileError(
        f"{path}: unbekanntes Dateiformat {suffix!r}.",
        hint="Lesbar sind CSV (.csv, .txt, .tsv), Excel (.xlsx, .xls, .ods) und Parquet.",
        file=str(path),
    )


def open_source(path: Path, spec: TableImport, *, encoding_override: str | None = None) -> Source:
    if not path.is_file():
        raise ImportFileError(
            f"{path}: Datei nicht gefunden.", hint="Prüfen Sie den Pfad.", file=str(path)
        )
    fmt = detect_format(path)
    if fmt == "parquet":
        return open_parquet(path)
    if fmt == "excel":
        return open_excel(path, spec)
    return open_csv(path, spec, encoding_override)
