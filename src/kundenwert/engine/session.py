"""A Spark session for the analytics: Java and pyspark checked first, with German errors."""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import Any

from kundenwert.engine.config import SparkSettings
from kundenwert.errors import EngineError


class SparkMissingError(EngineError):
    """pyspark is not installed."""

    code = "spark_missing"


class JavaMissingError(EngineError):
    """A local Spark session needs Java, and there is none."""

    code = "java_missing"


def java_available() -> bool:
    """Whether a Java runtime can be found (``JAVA_HOME`` or ``java`` on the PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return True
    return shutil.which("java") is not None


def require_pyspark() -> None:
    if importlib.util.find_spec("pyspark") is None:
        raise SparkMissingError(
            "Für die Engine Spark fehlt das Paket pyspark.",
            hint="Installieren Sie es mit: pip install 'pyspark>=4.0,<4.1'.",
        )


def require_java() -> None:
    if not java_available():
        raise JavaMissingError(
            "Für Spark auf diesem Rechner fehlt Java (weder JAVA_HOME noch java im Suchpfad).",
            hint="Installieren Sie Java 17 (z. B. apt-get install openjdk-17-jre-headless) "
            "oder verbinden Sie sich mit spark.remote über Spark Connect.",
        )


def spark_session(settings: SparkSettings | None = None) -> Any:
    """The active Spark session (under spark-submit) or a new one from ``settings``."""
    settings = settings or SparkSettings()
    require_pyspark()
    from pyspark.sql import SparkSession

    if settings.remote:
        builder = SparkSession.builder.remote(settings.remote)
    else:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        require_java()
        builder = SparkSession.builder.master(settings.master)
        builder = builder.config("spark.ui.enabled", "false")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    conf = {
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **settings.conf,
    }
    builder = builder.appName("kundenwert")
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if not settings.remote:
        session.sparkContext.setLogLevel("ERROR")
    return session
