"""The options that choose where a command computes: the local store or Spark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from kundenwert.cli.app import open_db
from kundenwert.errors import InputError
from kundenwert.settings import Settings

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Wo gerechnet wird: duckdb (der lokale Datenbestand --db) oder spark "
        "(Einstellungen im Abschnitt \\[spark]; Quelle --source oder --spark-database).",
    ),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Mit --engine spark: Ordner oder URL (s3a://, hdfs://) mit den Eingabetabellen "
        "als Parquet: invoices.parquet usw. (je eine Datei oder ein Ordner von Dateien).",
    ),
]
SparkDatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--spark-database",
        help="Mit --engine spark: Spark-Datenbank mit den Eingabetabellen (invoices usw.).",
    ),
]


def engine_inputs(
    engine: str,
    source: str | None,
    database: str | None,
    cfg: Settings,
    tables: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> Any:
    """The input tables on Spark (``optional`` ones when the source has them), or None for the
    engine duckdb (the store's own tables)."""
    if engine == "duckdb":
        if source is not None or database is not None:
            raise InputError(
                "--source und --spark-database gelten nur mit --engine spark.",
                hint="Lassen Sie sie weg oder geben Sie --engine spark an.",
            )
        return None
    from kundenwert.engine import open_inputs

    return open_inputs(
        engine,
        source=source,
        database=database,
        spark=cfg.spark,
        tables=tables,
        optional=optional,
    )


@contextmanager
def engine_source(
    engine: str,
    db: Path,
    source: str | None,
    database: str | None,
    cfg: Settings,
    tables: tuple[str, ...],
) -> Iterator[Any]:
    """The store (engine duckdb) or the input tables on Spark, for the library to compute on."""
    inputs = engine_inputs(engine, source, database, cfg, tables)
    if inputs is not None:
        yield inputs
        return
    with open_db(db) as store:
        yield store
