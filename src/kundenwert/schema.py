"""The data model: the input tables a company exports from its ERP and CRM.

This module is the single source of truth for the input format. ``docs/data-format.md`` is
generated from it, the importer validates against it, and a test checks that the database
schema built by the migrations matches it column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "integer", "decimal", "number", "date", "timestamp", "boolean"]

#: SQL type of each logical column type in the database.
SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "integer": "INTEGER",
    # Money: exact, four decimals so that unit prices times quantities keep their cents.
    "decimal": "DECIMAL(18,4)",
    "number": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}

#: Earliest and latest date accepted in any date or timestamp column.
MIN_DATE = "1900-01-01"
MAX_DATE = "2099-12-31"

INVOICE_CATEGORIES = ("machine", "service", "parts", "consumables", "other")
ACTIVITY_KINDS = (
    "visit",
    "call",
    "ticket",
    "service",
    "goodwill",
    "event",
    "newsletter",
    "other",
)
#: Roles of a customer's people (seed 001: decision makers, influencers and users, not one buyer).
CONTACT_ROLES = (
    "decision_maker",
    "influencer",
    "buyer",
    "user",
    "technician",
    "management",
    "other",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Check:
    """A rule across two columns of one row: ``column`` must not be before ``not_before``."""

    column: str
    not_before: str
    message_key: str


@dataclass(frozen=True)
class Erasure:
    """How rows naming an erased person (GDPR article 17) are treated on import.

    ``column`` holds the person's id, looked up in ``erased_contacts``. ``refuse``
    rejects such a row (with a reason, without keeping its values); otherwise the row is kept
    with the ``blank`` columns emptied, so that the aggregates (cost, hours) stay.
    """

    column: str
    refuse: bool = False
    blank: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: dict[str, str] = field(default_factory=dict)  # column -> table
    checks: tuple[Check, ...] = ()
    erasure: Erasure | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _c(name: str, type_: ColumnType, description: str, **kw: object) -> Column:
    return Column(name, type_, description, **kw)  # type: ignore[arg-type]


CUSTOMERS = Table(
    name="customers",
    description="One row per customer (the customer master of the ERP or CRM).",
    columns=(
        _c("customer_id", "string", "Customer number, unique.", required=True),
        _c("name", "string", "Company name.", required=True),
        _c(
            "business_unit",
            "string",
            "Strategic business unit responsible for the customer: its score weights, and the "
            "customer's own unit in the review per business unit.",
        ),
        _c("account_manager", "string", "Name of the account manager (Kundenbetreuer)."),
        _c("industry", "string", "Industry of the customer."),
        _c("country", "string", "Country, ISO 3166 code or name."),
        _c("postal_code", "string", "Postal code (kept as text: leading zeros matter)."),
        _c("city", "string", "City."),
        _c("customer_since", "date", "Date of the first business relationship."),
    ),
    key=("customer_id",),
)

INVOICES = Table(
    name="invoices",
    description=(
        "Invoice lines, net. Credit notes are lines with a negative amount. If the file has no "
        "line_no column, lines are numbered 1, 2, ... in file order within each invoice. "
        "Lines without a customer number are kept in the table `unassigned_invoices` (same "
        'columns) when `missing_customer = "unassigned"` is configured, and are reported as '
        "unassigned revenue."
    ),
    columns=(
        _c("invoice_id", "string", "Invoice number.", required=True),
        _c(
            "line_no", "integer", "Line number within the invoice (default: file order).", minimum=0
        ),
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c("date", "date", "Invoice date.", required=True),
        _c(
            "amount", "decimal", "Net amount of the line; negative for credit notes.", required=True
        ),
        _c("cost", "decimal", "Cost of goods sold for the line, where known."),
        _c(
            "deductions",
            "decimal",
            "Customer-specific sales deductions (rebates, bonuses, discounts).",
        ),
        _c("category", "string", "Kind of revenue.", choices=INVOICE_CATEGORIES),
        _c("product", "string", "Product or article number."),
        _c(
            "business_unit",
            "string",
            "Business unit that booked the line: the line counts for this unit in the review "
            "per business unit; empty, for the customer's own unit.",
        ),
        _c(
            "credit_note",
            "boolean",
            "The line belongs to a credit note (a cancellation); set from the file or by "
            "the `credit_note_prefix` rule.",
        ),
        _c(
            "credit_for",
            "string",
            "Invoice this credit note line cancels. From the file; when the file has no such "
            "column, linked on import (see `credit_note_prefix`).",
        ),
    ),
    key=("invoice_id", "line_no"),
    references={"customer_id": "customers"},
)

INSTALLED_BASE = Table(
    name="installed_base",
    description="Machines and devices delivered to customers and in use there.",
    columns=(
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c("machine_id", "string", "Serial or machine number, unique.", required=True),
        _c("model", "string", "Machine model."),
        _c("value", "decimal", "Delivered value of the machine (net).", minimum=0),
        _c("installed_on", "date", "Date of installation or delivery."),
    ),
    key=("machine_id",),
    references={"customer_id": "customers"},
)

ACTIVITIES = Table(
    name="activities",
    description="Care and service activities for a customer, with their cost and response times.",
    columns=(
        _c("activity_id", "string", "Activity number, unique.", required=True),
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c("date", "date", "Date of the activity.", required=True),
        _c("kind", "string", "Kind of activity.", required=True, choices=ACTIVITY_KINDS),
        _c("hours", "number", "Hours spent.", minimum=0),
        _c("cost", "decimal", "Cost of the activity to us (internal cost, net).", minimum=0),
        _c("free_of_charge", "boolean", "Provided without invoice (goodwill, Kulanz)."),
        _c("requested_at", "timestamp", "When the customer asked (tickets, service calls)."),
        _c("responded_at", "timestamp", "When we responded; not before requested_at."),
        _c("performed_by", "string", "Who performed the activity."),
        _c("description", "string", "Free text."),
        _c(
            "contact_id",
            "string",
            "The customer's person we were in contact with (see contacts); optional. An "
            "activity with an erased person's id is kept without that id and its free text.",
        ),
    ),
    key=("activity_id",),
    references={"customer_id": "customers"},
    checks=(Check("responded_at", "requested_at", "responded_before_requested"),),
    erasure=Erasure("contact_id", blank=("contact_id", "description")),
)

RATINGS = Table(
    name="ratings",
    description=(
        "Qualitative ratings of a customer by a person, e.g. reference value, relationship "
        "quality, strategic importance, new-business or service potential. One value per "
        "customer, indicator and date; the scale of each indicator is set in the configuration."
    ),
    columns=(
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c(
            "indicator",
            "string",
            "Name of the rated indicator, e.g. relationship_quality.",
            required=True,
        ),
        _c("value", "number", "The rating.", required=True),
        _c("date", "date", "Date of the rating.", required=True),
        _c("rated_by", "string", "Who rated."),
        _c("comment", "string", "Free text."),
    ),
    key=("customer_id", "indicator", "date"),
    references={"customer_id": "customers"},
)

SURVEYS = Table(
    name="surveys",
    description="Satisfaction and loyalty survey answers, one row per customer and date.",
    columns=(
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c("date", "date", "Date of the answer.", required=True),
        _c(
            "satisfaction",
            "number",
            "Overall satisfaction, 0 (worst) to 10 (best).",
            minimum=0,
            maximum=10,
        ),
        _c(
            "recommend",
            "number",
            "Likelihood to recommend us, 0 to 10 (NPS scale).",
            minimum=0,
            maximum=10,
        ),
        _c("why_chosen", "string", "Why did you choose us?"),
        _c("early_hesitation", "string", "What made you hesitate at first?"),
        _c("would_miss", "string", "Which service would you miss if we were gone?"),
        _c("would_recommend_to", "string", "To whom would you recommend us?"),
        _c("comment", "string", "Any other comment."),
    ),
    key=("customer_id", "date"),
    references={"customer_id": "customers"},
)

CONTACTS = Table(
    name="contacts",
    description=(
        "The customer's people we know, as the CRM exports them: only what contact coverage "
        "needs. `kundenwert contacts erase ID` erases a person (GDPR article 17); a row with an "
        "erased person's id is refused on every later import."
    ),
    columns=(
        _c("contact_id", "string", "Contact number in the CRM, unique.", required=True),
        _c("customer_id", "string", "Customer number; must exist in customers.", required=True),
        _c("name", "string", "Name of the person.", required=True),
        _c("role", "string", "Role in the buying decision.", required=True, choices=CONTACT_ROLES),
        _c("department", "string", "Department, e.g. purchasing, production, service."),
        _c("active", "boolean", "Still with the customer and to be contacted (default: yes)."),
        _c("phone", "string", "Phone number (optional; leave out if not needed)."),
        _c("email", "string", "E-mail address (optional; leave out if not needed)."),
    ),
    key=("contact_id",),
    references={"customer_id": "customers"},
    erasure=Erasure("contact_id", refuse=True),
)

#: All input tables, in the order a folder is imported (referenced tables first).
TABLES: dict[str, Table] = {
    t.name: t for t in (CUSTOMERS, CONTACTS, INVOICES, INSTALLED_BASE, ACTIVITIES, RATINGS, SURVEYS)
}


def table(name: str) -> Table:
    return TABLES[name]
