"""SQL that turns raw export values into typed columns and says, per row, what is wrong.

The importer validates inside the database engine, one set-based query per file, rather than
row by row in Python: that is what makes 20 million lines feasible. For every mapped column the
builder here produces a parse expression and the conditions under which the row is rejected,
each with a reason from :mod:`kundenwert.importing.messages` in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from kundenwert.i18n import translate
from kundenwert.importing.messages import REASONS
from kundenwert.schema import MAX_DATE, MIN_DATE, Column

#: Temporary macros installed on the import connection; they keep the generated SQL readable.
MACROS = r"""
CREATE OR REPLACE TEMP MACRO kw_text(x) AS
    CASE WHEN x = '' THEN NULL
         WHEN prefix(x, ' ') OR suffix(x, ' ') OR prefix(x, chr(9)) OR suffix(x, chr(9))
         THEN NULLIF(trim(x, ' ' || chr(9)), '')
         ELSE x END;
CREATE OR REPLACE TEMP MACRO kw_trailing_minus(x) AS
    CASE WHEN length(x) > 1 AND suffix(x, '-') THEN '-' || left(x, length(x) - 1) ELSE x END;
CREATE OR REPLACE TEMP MACRO kw_compact(x) AS
    kw_trailing_minus(replace(replace(replace(x, ' ', ''), chr(160), ''), '''', ''));
CREATE OR REPLACE TEMP MACRO kw_num_comma(x) AS
    CASE WHEN contains(x, '.') AND NOT regexp_full_match(x, '[+-]?\d{1,3}(\.\d{3})+(,\d*)?')
         THEN NULL ELSE replace(replace(x, '.', ''), ',', '.') END;
CREATE OR REPLACE TEMP MACRO kw_num_dot(x) AS
    CASE WHEN contains(x, ',') AND NOT regexp_full_match(x, '[+-]?\d{1,3}(,\d{3})+(\.\d*)?')
         THEN NULL ELSE replace(x, ',', '') END;
CREATE OR REPLACE TEMP MACRO kw_bool(x) AS
    CASE WHEN list_contains(['1', 'true', 'wahr', 'ja', 'j', 'yes', 'y', 'x'], lower(x)) THEN true
         WHEN list_contains(['0', 'false', 'falsch', 'nein', 'n', 'no'], lower(x)) THEN false END;
"""

#: Formats tried, in order, for dates and timestamps given as text.
DATE_FORMATS = (
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
)

#: German (and a few English) words for the values of choice columns.
CHOICE_SYNONYMS: dict[str, str] = {
    "maschine": "machine",
    "maschinen": "machine",
    "anlage": "machine",
    "dienstleistung": "service",
    "wartung": "service",
    "reparatur": "service",
    "ersatzteil": "parts",
    "ersatzteile": "parts",
    "teile": "parts",
    "part": "parts",
    "verbrauchsmaterial": "consumables",
    "verbrauchsmaterialien": "consumables",
    "sonstiges": "other",
    "sonstige": "other",
    "besuch": "visit",
    "anruf": "call",
    "telefonat": "call",
    "kulanz": "goodwill",
    "veranstaltung": "event",
    "rundschreiben": "newsletter",
    "entscheider": "decision_maker",
    "entscheidungsträger": "decision_maker",
    "decision maker": "decision_maker",
    "einflussnehmer": "influencer",
    "beeinflusser": "influencer",
    "einkauf": "buyer",
    "einkäufer": "buyer",
    "anwender": "user",
    "nutzer": "user",
    "techniker": "technician",
    "geschäftsführung": "management",
    "geschäftsleitung": "management",
    "sonstige rolle": "other",
    # Who started a contact (activities.initiated_by).
    "kunde": "customer",
    "wir": "company",
    "uns": "company",
    "unternehmen": "company",
    "firma": "company",
    "we": "company",
    "us": "company",
}


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class ColumnSql:
    """The SQL of one target column: its parsed value and its reject conditions."""

    name: str
    value: str  # typed expression over the cleaned text ``t``
    problems: tuple[tuple[str, str, str], ...]  # (field, condition, reason expression)


def reason_sql(key: str, lang: str, value_sql: str = "NULL", **fixed: object) -> str:
    """A reason from the catalogue as a SQL string expression with the offending value in it."""
    template = translate(REASONS, key, lang, value="\x00", **fixed)
    before, _, after = template.partition("\x00")
    shown = f"coalesce(left(CAST({value_sql} AS VARCHAR), 60), '')"
    return f"({sql_literal(before)} || {shown} || {sql_literal(after)})"


class ColumnBuilder:
    """Builds :class:`ColumnSql` for columns of one file."""

    def __init__(self, *, decimal: str, date_format: str | None, lang: str) -> None:
        self.decimal = decimal
        self.date_format = date_format
        self.lang = lang

    def fallback(self, col: Column, t: str, *, text: bool) -> str | None:
        """A slower second parse for values the first one (:meth:`parse`) left NULL."""
        if not text or col.type not in ("decimal", "number", "integer"):
            return None
        macro = "kw_num_comma" if self.decimal == "," else "kw_num_dot"
        return f"TRY_CAST({macro}(kw_compact({t})) AS {col.sql_type})"

    def _number(self, t: str, sql_type: str) -> str:
        # Fast path for the plain values that make up almost every file ("1234,56"): a value
        # with a thousands separator, blanks or a trailing minus yields NULL here and is parsed
        # again by `fallback` (the CASE is lazy, so only those rows pay for it).
        if self.decimal == ",":
            # replace() only where there is a comma: it costs twice the cast (whole numbers
            # such as line numbers have none).
            return (
                f"CASE WHEN NOT contains({t}, '.') THEN TRY_CAST(CASE WHEN contains({t}, ',') "
                f"THEN replace({t}, ',', '.') ELSE {t} END AS {sql_type}) END"
            )
        return f"CASE WHEN NOT contains({t}, ',') THEN TRY_CAST({t} AS {sql_type}) END"

    def _date_value(self, t: str, target: str) -> str:
        if self.date_format:
            return f"TRY_STRPTIME({t}, {sql_literal(self.date_format)})::{target}"
        first, *others = (sql_literal(f) for f in DATE_FORMATS)
        # Two-digit years (31.12.25) only where the text is that short: '%d.%m.%Y' would
        # otherwise read them as the year 25.
        short = f"CASE WHEN length({t}) <= 8 THEN TRY_STRPTIME({t}, '%d.%m.%y') END"
        # The usual format tried on its own first (as the list would): a list of formats costs
        # more per value even when its first one fits.
        return (
            f"coalesce({short}, TRY_STRPTIME({t}, {first}), "
            f"TRY_STRPTIME({t}, [{', '.join(others)}]))::{target}"
        )

    def parse(self, col: Column, t: str, *, text: bool) -> str:
        """Typed value of ``col`` from the cleaned source expression ``t`` (text or typed)."""
        sql_type = col.sql_type
        if not text:
            if col.type == "string":
                # Spreadsheet tools often store numbers such as customer numbers as floating
                # point (12346.0): a whole number is kept as its digits.
                return (
                    f"NULLIF(trim(regexp_replace(CAST({t} AS VARCHAR), '^(-?[0-9]+)\\.0$', "
                    f"'\\1')), '')"
                )
            if col.type == "date":
                return f"TRY_CAST({t} AS TIMESTAMP)::DATE"
            return f"TRY_CAST({t} AS {sql_type})"
        if col.type == "string":
            if col.choices:
                cases = " ".join(
                    f"WHEN {sql_literal(k)} THEN {sql_literal(v)}"
                    for k, v in CHOICE_SYNONYMS.items()
                    if v in col.choices
                )
                if not cases:
                    return f"lower({t})"
                # Most values are written as stored: one list lookup instead of a lower() per
                # synonym (the engine evaluates CASE x WHEN ... as one comparison each).
                if any(c != c.lower() or c in CHOICE_SYNONYMS for c in col.choices):
                    return f"CASE lower({t}) {cases} ELSE lower({t}) END"  # not the same
                allowed = ", ".join(sql_literal(c) for c in col.choices)
                return (
                    f"CASE WHEN list_contains([{allowed}], {t}) THEN {t} "
                    f"ELSE CASE lower({t}) {cases} ELSE lower({t}) END END"
                )
            return t
        if col.type in ("decimal", "number", "integer"):
            return self._number(t, sql_type)
        if col.type == "date":
            return self._date_value(t, "DATE")
        if col.type == "timestamp":
            return self._date_value(t, "TIMESTAMP")
        if col.type == "boolean":
            # The words of almost every file first, compared as they are.
            return f"CASE {t} WHEN 'nein' THEN false WHEN 'ja' THEN true ELSE kw_bool({t}) END"
        raise AssertionError(col.type)

    def column(
        self,
        col: Column,
        t: str,
        v: str,
        *,
        required: bool,
        setting: str | None = None,
        can_fail: bool = True,
    ) -> ColumnSql:
        """Reject conditions for ``col``: ``t`` is the cleaned text, ``v`` the parsed value;
        ``setting`` names the configuration key of a computed column; ``can_fail`` False: the
        parse never turns a value into NULL (:meth:`never_fails`), so no condition asks."""
        lang, name = self.lang, col.name
        problems: list[tuple[str, str, str]] = []
        if required:
            missing = (
                reason_sql("missing_computed", lang, field=name, setting=setting)
                if setting
                else reason_sql("missing", lang, field=name)
            )
            problems.append((name, f"{t} IS NULL", missing))
        if can_fail:
            problems.append(
                (
                    name,
                    f"{t} IS NOT NULL AND {v} IS NULL",
                    reason_sql(f"invalid_{col.type}", lang, t, field=name),
                )
            )
        if col.type == "number":
            problems.append(
                (name, f"NOT isfinite({v})", reason_sql("invalid_number", lang, t, field=name))
            )
        if col.type in ("date", "timestamp"):
            cond = f"{v} < DATE '{MIN_DATE}' OR {v} > DATE '{MAX_DATE}'"
            problems.append((name, cond, reason_sql("date_out_of_range", lang, t, field=name)))
        if col.minimum is not None:
            problems.append(
                (
                    name,
                    f"{v} < {col.minimum}",
                    reason_sql("below_minimum", lang, t, field=name, minimum=col.minimum),
                )
            )
        if col.maximum is not None:
            problems.append(
                (
                    name,
                    f"{v} > {col.maximum}",
                    reason_sql("above_maximum", lang, t, field=name, maximum=col.maximum),
                )
            )
        if col.choices:
            allowed = ", ".join(sql_literal(c) for c in col.choices)
            reason = reason_sql("not_allowed", lang, t, field=name, choices=", ".join(col.choices))
            # A list, not IN (...): DuckDB turns an IN of five or more values into a join,
            # which gives up the file's order in the table.
            problems.append((name, f"NOT list_contains([{allowed}], {v})", reason))
        return ColumnSql(name, v, tuple(problems))

    @staticmethod
    def never_fails(col: Column, *, text: bool, typed: bool) -> bool:
        """Whether :meth:`parse` keeps every value: text for a string column (choices are
        checked on their own), or a value the CSV reader has parsed to the column's type."""
        return (text and col.type == "string") or typed

    @staticmethod
    def clean(source_column: str, *, text: bool) -> str:
        """The source value with blanks as NULL (text values are trimmed)."""
        ident = quote_ident(source_column)
        return f"kw_text({ident})" if text else ident
