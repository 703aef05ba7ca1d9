"""The configuration: one pydantic model read from ``kundenwert.toml``, validated at the door.

Every key has a default and a description; ``docs/configuration.md`` is generated from this
model. An invalid file raises :class:`~kundenwert.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kundenwert.dynamics.config import DynamicsSettings
from kundenwert.errors import ConfigError
from kundenwert.forecast.config import ForecastSettings
from kundenwert.review.config import ReviewSettings
from kundenwert.schema import TABLES
from kundenwert.web.config import WebSettings

CONFIG_FILE = "kundenwert.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TableImport(_Section):
    """How the export file of one table is read."""

    columns: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Map of our column name to the header in your export, e.g. "
            '`customer_id = "Kundennummer"`. Columns whose header already equals our name '
            "need no entry."
        ),
    )
    file: str | None = Field(
        None,
        description=(
            "File name (or glob) of this table's export inside an import folder, when it is "
            "not named after the table (e.g. `Rechnungen*.csv`)."
        ),
    )
    delimiter: str | None = Field(
        None, description="CSV field delimiter; detected from the header line when unset."
    )
    decimal: Literal[",", "."] | None = Field(
        None, description="CSV decimal separator; detected from the data when unset."
    )
    encoding: str | None = Field(
        None,
        description=(
            "CSV encoding (e.g. `utf-8`, `cp1252`); detected when unset: a byte order mark "
            "means UTF-8, valid UTF-8 is UTF-8, anything else Windows-1252."
        ),
    )
    date_format: str | None = Field(
        None,
        description=(
            "strptime format of dates in CSV files, e.g. `%d.%m.%Y`; when unset, "
            "`31.12.2025`, `2025-12-31` and `31.12.25` are all accepted."
        ),
    )
    sheet: str | None = Field(
        None, description="Excel: name of the sheet to read (default: first)."
    )

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError("must be a single character")
        return value


class ImportSettings(_Section):
    """Settings of ``kundenwert import``."""

    tables: dict[str, TableImport] = Field(
        default_factory=dict,
        description="Per input table (customers, invoices, ...): how its export is read.",
    )
    report_dir: Path = Field(
        Path("kundenwert-reports/imports"),
        description=(
            "Folder for import summaries and rejected-rows files (one subfolder per run), "
            "relative to the working directory."
        ),
    )
    memory_limit: str = Field(
        "2GB", description="Memory the database engine may use during an import before spilling."
    )

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, value: dict[str, TableImport]) -> dict[str, TableImport]:
        for name, spec in value.items():
            if name not in TABLES:
                raise ValueError(f"unknown table {name!r}; known tables: {', '.join(TABLES)}")
            unknown = sorted(set(spec.columns) - set(TABLES[name].column_names))
            if unknown:
                raise ValueError(
                    f"{name}.columns: unknown column(s) {', '.join(unknown)}; "
                    f"columns of {name}: {', '.join(TABLES[name].column_names)}"
                )
        return value

    def for_table(self, name: str) -> TableImport:
        return self.tables.get(name) or TableImport()


class Settings(_Section):
    """The whole configuration (``kundenwert.toml``)."""

    language: Literal["de", "en"] = Field(
        "de", description="Language of messages, reports and exports: `de` or `en`."
    )
    import_: ImportSettings = Field(
        default_factory=ImportSettings, alias="import", description="The importer."
    )
    review: ReviewSettings = Field(
        default_factory=ReviewSettings, description="The customer value review."
    )
    forecast: ForecastSettings = Field(
        default_factory=ForecastSettings,
        description="Forecast of future purchases, spend and lifetime value (BG/NBD, Pareto/NBD).",
    )
    dynamics: DynamicsSettings = Field(
        default_factory=DynamicsSettings,
        description="Customer dynamics: trajectories, phases, alerts and next actions.",
    )
    web: WebSettings = Field(
        default_factory=WebSettings, description="The web application (`kundenwert serve`)."
    )


def _key_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part != "__root__")


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the configuration.

    ``path`` None looks for ``kundenwert.toml`` in the working directory and falls back to the
    defaults when there is none; an explicit path must exist.
    """
    if path is None:
        candidate = Path(CONFIG_FILE)
        if not candidate.exists():
            return Settings()
        path = candidate
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"Konfigurationsdatei {path} nicht gefunden.",
            hint="Geben Sie mit --config eine vorhandene Datei an oder legen Sie "
            "kundenwert.toml an "
            "(`kundenwert init`).",
        )
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: kein gültiges TOML: {exc}", file=str(path)) from exc
    return settings_from_dict(data, source=str(path))


def settings_from_dict(data: dict[str, Any], *, source: str = "<dict>") -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = _key_of(first["loc"]) or "(root)"
        problems = "; ".join(f"{_key_of(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(
            f"{source}: ungültige Einstellung {key}: {problems}",
            hint="Korrigieren Sie den Schlüssel; docs/configuration.md beschreibt jeden Schlüssel "
            "mit seinem Standardwert.",
            key=key,
            file=source,
        ) from exc
