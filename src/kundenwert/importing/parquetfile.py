"""Parquet files, scanned by DuckDB itself with their types."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from kundenwert.errors import ImportFileError
from kundenwert.importing.source import Source


def open_parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise ImportFileError(
            f"{path}: keine lesbare Parquet-Datei ({exc}).",
            hint="Exportieren Sie die Datei erneut oder wählen Sie CSV.",
            file=str(path),
        ) from exc
    text = {
        name
        for name, type_ in zip(schema.names, schema.types, strict=True)
        if pa.types.is_string(type_) or pa.types.is_large_string(type_)
    }
    return Source(
        path,
        "parquet",
        list(schema.names),
        text_columns=text,
        decimal=".",
        estimated_rows=pq.ParquetFile(path).metadata.num_rows,
    )
