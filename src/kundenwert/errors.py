"""One error hierarchy for the whole library.

Every error carries a message that says what went wrong and, where possible, what to do
next (``hint``). The edges translate them: the CLI prints message and hint and exits with
``exit_code``; the web API returns one JSON shape built from ``to_dict``.
"""

from __future__ import annotations

from typing import Any


class KundenwertError(Exception):
    """Base class of every error kundenwert raises on purpose."""

    exit_code: int = 1
    code: str = "error"

    def __init__(self, message: str, *, hint: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        if self.details:
            out["details"] = self.details
        return out

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class ConfigError(KundenwertError):
    """The configuration file or a setting is invalid; names the key."""

    exit_code = 2
    code = "config_error"


class ImportFileError(KundenwertError):
    """A file could not be read at all (missing, unknown format, required column absent)."""

    exit_code = 2
    code = "import_file_error"


class StoreError(KundenwertError):
    """The database cannot be opened or is of an incompatible version."""

    exit_code = 2
    code = "store_error"


class DatabaseNotFoundError(StoreError):
    """The database file named does not exist (and the command does not create one)."""

    code = "database_not_found"


class DatabaseBusyError(StoreError):
    """Another process (e.g. ``kundenwert serve``) holds the database: the engine allows one
    writing process at a time."""

    code = "database_busy"


class NotFoundError(KundenwertError):
    """A requested object (review, customer, override, ...) does not exist."""

    exit_code = 4
    code = "not_found"


class InputError(KundenwertError):
    """A command-line or API argument is invalid."""

    exit_code = 2
    code = "invalid_input"


class EngineError(KundenwertError):
    """The engine the analytics should run on cannot be used (Spark, Java, the source)."""

    exit_code = 2
    code = "engine_error"
