"""The configuration: one pydantic model read from ``kundenwert.toml``, validated at the door.

Every key has a default and a description; ``docs/configuration.md`` is generated from this
model. An invalid file raises :class:`~kundenwert.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kundenwert.dynamics.config import DynamicsSettings
from kundenwert.engine.config import SparkSettings
from kundenwert.errors import ConfigError
from kundenwert.forecast.config import ForecastSettings
from kundenwert.review.config import ReviewSettings
from kundenwert.schema import TABLES
from kundenwert.sqlexpr import check_expression
from kundenwert.web.config import WebSettings

CONFIG_FILE = "kundenwert.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ValueRule(_Section):
    """Set a column to a value where a field of the line matches, e.g. fee lines by product."""

    column: str = Field(description="Our column the rule sets, e.g. `category`.")
    value: str = Field(description="The value it sets, as it would be written in the file.")
    header: str | None = Field(
        None, description="The file's header tested; without it the rule always applies."
    )
    equals: list[str] = Field(
        default_factory=list,
        description="The rule applies where the field (blanks trimmed) is one of these.",
    )
    prefix: str | None = Field(
        None, description="The rule applies where the field starts with this text."
    )

    @model_validator(mode="after")
    def _one_test(self) -> ValueRule:
        if self.equals and self.prefix is not None:
            raise ValueError("give either equals or prefix, not both")
        if (self.equals or self.prefix is not None) and self.header is None:
            raise ValueError("equals and prefix need the header they test")
        if self.header is not None and not self.equals and self.prefix is None:
            raise ValueError("a rule with a header needs equals or prefix")
        return self


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
    computed: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Columns the export does not have but can be computed from its fields: our column "
            "name to a SQL expression (DuckDB) over the file's headers, e.g. `amount = "
            '"\\"Quantity\\" * \\"Price\\""`. Headers with blanks or capitals go in double '
            'quotes. In CSV and Excel files every field is text: `number("Menge")` reads it '
            "as a number with the file's decimal separator."
        ),
    )
    rules: list[ValueRule] = Field(
        default_factory=list,
        description=(
            "Rules that set a column from a field of the line, tried in order; the first that "
            "applies wins, otherwise the column's mapped or computed value stays. E.g. fee lines: "
            '`{ column = "category", value = "other", header = "StockCode", equals = '
            '["POST", "M"] }`.'
        ),
    )
    credit_note_prefix: str | None = Field(
        None,
        description=(
            "Invoices: invoice numbers starting with this text are credit notes "
            "(cancellations), e.g. `C`. Their lines get `credit_note = true` and, when the "
            "export has no `credit_for` column, are linked to the invoice they cancel: the "
            "customer's latest purchase of the same product on or before the credit note, if "
            "it covers the amount credited."
        ),
    )
    missing_customer: Literal["reject", "unassigned"] = Field(
        "reject",
        description=(
            "Invoices: what happens to lines without a customer number. `reject` keeps them "
            "with the rejected rows; `unassigned` stores them in `unassigned_invoices`, and "
            "import summaries and reviews report them as unassigned revenue."
        ),
    )
    create_customers: bool = Field(
        False,
        description=(
            "Invoices: create the customers the lines name but the database does not know "
            "(for exports without a customer file). The name is the customer number unless "
            "`customer_columns` maps one."
        ),
    )
    customer_columns: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Invoices with `create_customers`: customer column to the header of the invoice "
            'file it is taken from (the latest line wins), e.g. `country = "Country"`.'
        ),
    )

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError("must be a single character")
        return value


def _check_table_import(name: str, spec: TableImport) -> None:
    """Cross-checks of one table's import settings against the data model."""

    def require_known(key: str, columns: Iterable[str], table: str = name) -> None:
        unknown = sorted(set(columns) - set(TABLES[table].column_names))
        if unknown:
            raise ValueError(
                f"{name}.{key}: unknown column(s) {', '.join(unknown)}; "
                f"columns of {table}: {', '.join(TABLES[table].column_names)}"
            )

    require_known("columns", spec.columns)
    require_known("computed", spec.computed)
    require_known("rules", [r.column for r in spec.rules])
    both = sorted(set(spec.columns) & set(spec.computed))
    if both:
        raise ValueError(f"{name}: {', '.join(both)} both mapped (columns) and computed")
    for column, expression in spec.computed.items():
        try:
            check_expression(expression)
        except ValueError as exc:
            raise ValueError(f"{name}.computed.{column}: {exc}") from None
    invoice_only = {
        "credit_note_prefix": spec.credit_note_prefix is not None,
        "missing_customer": spec.missing_customer != "reject",
        "create_customers": spec.create_customers,
        "customer_columns": bool(spec.customer_columns),
    }
    if name != "invoices":
        for key, given in invoice_only.items():
            if given:
                raise ValueError(f"{name}.{key}: only invoices have this setting")
        return
    require_known("customer_columns", spec.customer_columns, "customers")
    if spec.customer_columns and not spec.create_customers:
        raise ValueError(f"{name}.customer_columns: needs create_customers = true")
    if "customer_id" in spec.customer_columns:
        raise ValueError(f"{name}.customer_columns: customer_id comes from the invoice line")
    if spec.credit_note_prefix is not None:
        if not spec.credit_note_prefix:
            raise ValueError(f"{name}.credit_note_prefix: must not be empty")
        if "credit_note" in (*spec.columns, *spec.computed) or any(
            r.column == "credit_note" for r in spec.rules
        ):
            raise ValueError(f"{name}: credit_note both given and set by credit_note_prefix")


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
            _check_table_import(name, spec)
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
        description="Forecast of future purchases, spend and lifetime value (BG/NBD, Pareto/NBD, "
        "MBG/CNBD-k).",
    )
    dynamics: DynamicsSettings = Field(
        default_factory=DynamicsSettings,
        description="Customer dynamics: trajectories, phases, alerts and next actions.",
    )
    web: WebSettings = Field(
        default_factory=WebSettings, description="The web application (`kundenwert serve`)."
    )
    spark: SparkSettings = Field(
        default_factory=SparkSettings,
        description="The Spark engine (`--engine spark`): where the session runs.",
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
