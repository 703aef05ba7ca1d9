"""The input tables of the analytics on an engine: the local store (DuckDB) or Spark.

Both give an Ibis backend on which ``backend.table("invoices")`` (and ``customers``,
``activities``) are the input tables, so that the same Ibis expressions run on either. On
Spark the tables come from Parquet files (``DIR/invoices.parquet``, a file or a folder of
files, as Spark writes them) or from tables of a Spark database, registered as temporary
views under their plain names.
"""

from __future__ import annotations

import warnings
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kundenwert.engine.config import SparkSettings
from kundenwert.errors import EngineError, InputError

ENGINES = ("duckdb", "spark")
INPUT_TABLES = ("invoices", "customers", "activities")


@dataclass
class Inputs:
    """An Ibis backend holding the input tables under their names, and the engine it is.

    Used where an Ibis backend is (``table``, ``to_pyarrow``): results come through
    :func:`to_arrow`.
    """

    engine: str
    backend: Any
    tables: tuple[str, ...]

    def table(self, name: str) -> Any:
        return self.backend.table(name)

    def to_pyarrow(self, expr: Any) -> Any:
        return to_arrow(expr)


#: The Spark session of each Ibis backend open_inputs made (results are collected through it).
_SESSIONS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def to_arrow(expr: Any) -> Any:
    """Run an Ibis expression to Arrow (a table, column or scalar) on whichever engine holds
    it: as ``expr.to_pyarrow()``, but on Spark through Arrow (``DataFrame.toArrow``), not
    through pandas as Ibis' own PySpark ``to_pyarrow``."""
    import ibis
    import ibis.expr.types as ir

    backend = ibis.get_backend(expr)
    session = _SESSIONS.get(backend)
    if session is None:
        return _duckdb_to_arrow(backend, expr)
    table_expr = expr.as_table()
    frame = session.sql(backend.compile(table_expr))
    # pyspark leaves the socket it collects through unclosed ("closed when garbage-collected",
    # pyspark.util); it is freed, with a ResourceWarning, before toArrow returns.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        result = frame.toArrow()
    result = result.rename_columns(table_expr.columns).cast(table_expr.schema().to_pyarrow())
    if isinstance(expr, ir.Scalar):
        return result.column(0)[0]
    if isinstance(expr, ir.Column):
        return result.column(0)
    return result


def _duckdb_to_arrow(backend: Any, expr: Any) -> Any:
    """``expr.to_pyarrow()`` on DuckDB without its result converter, whose module imports
    pandas (0.1 s of every ``forecast fit``) for a class used only by ``to_pandas``. That
    converter differs from the plain one only for null-typed columns, which go the usual way."""
    schema = expr.as_table().schema()
    convert = getattr(backend, "_to_duckdb_relation", None)
    if convert is None or any(dtype.is_null() for dtype in schema.types):
        return expr.to_pyarrow()
    return expr.__pyarrow_result__(convert(expr).to_arrow_table())


def open_inputs(
    engine: str = "duckdb",
    *,
    store: Any = None,
    source: str | Path | None = None,
    database: str | None = None,
    spark: SparkSettings | None = None,
    session: Any = None,
    tables: tuple[str, ...] = INPUT_TABLES,
    optional: tuple[str, ...] = (),
) -> Inputs:
    """The input tables on ``engine``.

    ``duckdb``: the tables of ``store`` (``store.ibis()``). ``spark``: a Spark session
    (``session``, else the active one or a new one from ``spark``) with ``tables`` read from
    the Parquet files in ``source`` (a local folder or a URL Spark reads, e.g. ``s3a://...``)
    or from the Spark database ``database``. ``optional`` tables (e.g. ``surveys``) are read
    when the source has them and left out when not; ``Inputs.tables`` names those present
    (the store has every table, if need be empty).
    """
    if engine == "duckdb":
        if store is None:
            raise InputError(
                "Die Engine duckdb rechnet auf dem lokalen Datenbestand; es ist keiner geöffnet.",
                hint="Geben Sie --db an.",
            )
        return Inputs(engine, store.ibis(), (*tables, *optional))
    if engine != "spark":
        raise InputError(f"Unbekannte Engine {engine!r}.", hint=f"Möglich: {', '.join(ENGINES)}.")
    if (source is None) == (database is None):
        raise InputError(
            "Für die Engine spark braucht es genau eine Quelle: einen Ordner mit Parquet-Dateien "
            "oder eine Spark-Datenbank.",
            hint="Geben Sie --source ORDNER oder --spark-database NAME an.",
        )
    # The files are checked before Spark starts (which takes half a minute).
    paths = {} if source is None else {n: _parquet_path(str(source), n) for n in tables}
    from kundenwert.engine.session import spark_session

    session = session if session is not None else spark_session(spark)
    import ibis

    backend = ibis.pyspark.connect(session)
    _SESSIONS[backend] = session
    for name in tables:
        if name in paths:
            backend.read_parquet(paths[name], table_name=name)
        else:
            _view_of_table(session, f"{database}.{name}", name)
    present = [n for n in optional if _optional_table(backend, session, source, database, n)]
    return Inputs(engine, backend, (*tables, *present))


def _optional_table(backend: Any, session: Any, source: Any, database: Any, name: str) -> bool:
    """Register the optional table ``name`` when the source has it; whether it does."""
    if database is not None:
        if not session.catalog.tableExists(f"{database}.{name}"):
            return False
        _view_of_table(session, f"{database}.{name}", name)
        return True
    if "://" not in str(source):
        if not (Path(source) / f"{name}.parquet").exists():
            return False
        backend.read_parquet(_parquet_path(str(source), name), table_name=name)
        return True
    from pyspark.errors import AnalysisException

    try:  # a URL: only Spark can tell whether the files are there
        backend.read_parquet(_parquet_path(str(source), name), table_name=name)
    except AnalysisException as exc:
        if "PATH_NOT_FOUND" not in str(exc):
            raise
        return False
    return True


def _parquet_path(source: str, name: str) -> str:
    """``source/name.parquet``: a local folder is checked here, a URL (``s3a://``, ``hdfs://``,
    ``abfss://``) is left to Spark."""
    if "://" in source:
        return f"{source.rstrip('/')}/{name}.parquet"
    path = Path(source) / f"{name}.parquet"
    if not path.exists():
        raise EngineError(
            f"In {source} fehlt die Tabelle {name} ({path.name}).",
            hint="Legen Sie die Eingabetabellen als invoices.parquet, customers.parquet und "
            "activities.parquet (Datei oder Ordner) in den Ordner.",
            path=str(path),
        )
    return str(path.resolve())


def _view_of_table(session: Any, qualified: str, name: str) -> None:
    if not session.catalog.tableExists(qualified):
        raise EngineError(
            f"Die Spark-Tabelle {qualified} gibt es nicht.",
            hint="Prüfen Sie den Namen der Datenbank (--spark-database).",
            table=qualified,
        )
    session.table(qualified).createOrReplaceTempView(name)
