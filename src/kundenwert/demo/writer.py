"""Writing the demo company as German CSV files or typed Parquet files."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from kundenwert.demo import csvformat
from kundenwert.demo.model import GROUND_TRUTH_SCHEMA, TABLE_NAMES, DemoCompany, arrow_schema
from kundenwert.errors import InputError
from kundenwert.i18n import Catalogue, translate

Format = Literal["csv", "parquet"]
FORMATS: tuple[str, ...] = ("csv", "parquet")
#: customers.csv is written as Excel on a German Windows saves it; the others as UTF-8 + BOM.
CP1252_TABLES = frozenset({"customers"})
BOM = "\ufeff".encode()
GROUND_TRUTH = "ground_truth"
_MESSAGES: Catalogue = {
    "format": {"de": "Unbekanntes Format {value!r}.", "en": "Unknown format {value!r}."},
    "format_hint": {
        "de": "Erlaubt sind 'csv' und 'parquet'.",
        "en": "Use 'csv' or 'parquet'.",
    },
}


def write(company: DemoCompany, out_dir: Path, format: Format = "csv") -> dict[str, Path]:
    """Write the input tables and the ground truth to ``out_dir``; return the paths by table."""
    with CompanyWriter(Path(out_dir), format) as writer:
        writer.append(company)
    return writer.paths


class CompanyWriter:
    """Appends blocks of a company to one file per table (opened on entry)."""

    def __init__(self, out_dir: Path, format: Format = "csv") -> None:
        if format not in FORMATS:
            raise InputError(
                translate(_MESSAGES, "format", value=format),
                hint=translate(_MESSAGES, "format_hint"),
            )
        self.out_dir = out_dir
        self.format = format
        names = (*TABLE_NAMES, GROUND_TRUTH)
        self.paths = {name: out_dir / f"{name}.{format}" for name in names}
        self._files: dict[str, BinaryIO] = {}
        self._parquet: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> CompanyWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for name, path in self.paths.items():
            schema = GROUND_TRUTH_SCHEMA if name == GROUND_TRUTH else arrow_schema(name)
            if self.format == "parquet":
                self._parquet[name] = pq.ParquetWriter(path, schema, compression="zstd")
            else:
                f = path.open("wb")
                self._files[name] = f
                head = csvformat.header(schema)
                f.write(head.encode("cp1252") if name in CP1252_TABLES else BOM + head.encode())
        return self

    def append(self, company: DemoCompany) -> None:
        for name in self.paths:
            table: pa.Table = getattr(company, name)
            if self.format == "parquet":
                self._parquet[name].write_table(table, row_group_size=1_000_000)
            else:
                data = csvformat.rows(table)
                if name in CP1252_TABLES:
                    data = data.decode("utf-8").encode("cp1252")
                self._files[name].write(data)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for w in self._parquet.values():
            w.close()
        for f in self._files.values():
            f.close()
