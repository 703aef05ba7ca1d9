"""The workbook's commitment sheets: adherence per service level and per customer, and
importance against performance per segment and per customer, headers and values in words."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.commitments.catalogue import COMMITMENTS, HEADERS, NAMES
from kundenwert.i18n import Catalogue, translate

_SHEETS: Catalogue = {
    "levels": {"de": "Zusagen je Servicelevel", "en": "Commitments per level"},
    "customers": {"de": "Zusagen je Kunde", "en": "Commitments per customer"},
    "ipa_segments": {"de": "Wichtigkeit je Segment", "en": "Importance per segment"},
    "ipa_customers": {"de": "Wichtigkeit je Kunde", "en": "Importance per customer"},
    "segment_kind": {"de": "Segmentart", "en": "Segment kind"},
}
#: The kind of each column (the workbook's number and date formats).
_KINDS = {"customers": "int", "measured": "int", "due": "int", "kept": "int", "share": "share",
          "goodwill_cost": "money", "goodwill_budget": "money", "importance": "score",
          "performance": "score", "gap": "score", "adherence": "share", "date": "date"}  # fmt: skip


def _note(row: dict) -> str | None:
    return row.get("missing_text")


def _table(rows: list[dict[str, Any]], keys: list[str], lang: str) -> pa.Table:
    """Rows keyed by catalogue keys as a table with headers in words and kinds in metadata."""
    headers = {k: translate(HEADERS, k, lang) if k in HEADERS else k for k in keys}
    if not rows:
        return pa.table({})
    table = pa.Table.from_pylist([{headers[k]: r.get(k) for k in keys} for r in rows])
    fields = [
        f.with_metadata({"kind": _KINDS[k]}) if k in _KINDS else f
        for f, k in zip(table.schema, keys, strict=True)
    ]
    return table.cast(pa.schema(fields))


def _per_customer(rows: pa.Table, level_names: dict, quadrant_names: dict, lang: str) -> pa.Table:
    """One row per customer (the sheet stays within Excel's rows however many commitments):
    per commitment the occasions due and the share kept, empty where not measured."""
    first = rows.filter(pc.equal(rows["commitment"], COMMITMENTS[0]))
    if not first.num_rows:
        return pa.table({})

    def words(column: pa.ChunkedArray, names: dict) -> pa.Array:
        return pa.array([names.get(v, v) for v in column.to_pylist()], pa.string())

    columns: dict[str, pa.Array] = {}
    fields = []

    def add(header: str, values, kind: str | None = None) -> None:
        columns[header] = values
        fields.append(pa.field(header, values.type, metadata={"kind": kind} if kind else None))

    for key in ("customer_id", "name", "account_manager"):
        add(translate(HEADERS, key, lang), first[key].combine_chunks())
    add(translate(HEADERS, "service_level", lang), words(first["service_level"], level_names))
    add(translate(HEADERS, "quadrant", lang), words(first["quadrant"], quadrant_names))
    due, share = translate(HEADERS, "due", lang), translate(HEADERS, "share", lang)
    for key in COMMITMENTS:
        part = rows.filter(pc.equal(rows["commitment"], key))  # aligned: one row per customer
        name = translate(NAMES, key, lang)
        measured = pc.equal(part["status"], "measured")
        add(f"{name}: {due}", pc.if_else(measured, part["due"], None).combine_chunks(), "int")
        add(f"{name}: {share}", part["share"].combine_chunks(), "share")
        if key == "goodwill":
            for column in ("goodwill_cost", "goodwill_budget"):
                add(translate(HEADERS, column, lang), part[column].combine_chunks(), "money")
    return pa.Table.from_arrays(list(columns.values()), schema=pa.schema(fields))


def commitment_tables(store, review_id: int | None, lang: str) -> dict[str, tuple[str, pa.Table]]:
    """{key: (sheet title, table)} for the workbook (nothing when there is no review)."""
    from kundenwert.errors import NotFoundError
    from kundenwert.reads.commitments import service_commitments

    try:
        view = service_commitments(store, review_id)
    except NotFoundError:
        return {}
    data = view.to_dict(lang, customers=False)  # the per-customer rows come from the table
    levels = [
        r | {"service_level": r["segment_name"], "commitment": r["commitment_name"],
             "promise": r["promise_text"], "missing": _note(r), "status": r["status_text"]}
        for r in data["service_levels"]
    ]  # fmt: skip
    level_names, quadrant_names = view.level_names(lang), view.quadrant_names(lang)
    out = {
        "commitment_levels": (
            translate(_SHEETS, "levels", lang),
            _table(levels, ["service_level", "commitment", "promise", "customers", "measured",
                            "due", "kept", "share", "status", "missing"], lang),
        ),
        "commitment_customers": (
            translate(_SHEETS, "customers", lang),
            _per_customer(view.customers, level_names, quadrant_names, lang),
        ),
    }  # fmt: skip
    answers = [view.words(r, lang) for r in view.ipa_customers()]
    if answers:
        kind = translate(_SHEETS, "segment_kind", lang)
        segments = []
        for by, rows, names in (
            ("service_level", data["importance"]["service_levels"], level_names),
            ("quadrant", data["importance"]["quadrants"], quadrant_names),
        ):
            for r in rows:
                segments.append(
                    r | {"segment_kind": translate(HEADERS, by, lang),
                         "segment": names.get(r["segment"], r["segment"]),
                         "dimension": r["dimension_name"], "ipa": r["ipa_text"]}
                )  # fmt: skip
        table = _table(segments, ["segment_kind", "segment", "dimension", "customers",
                                  "importance", "performance", "gap", "ipa", "adherence"],
                       lang)  # fmt: skip
        table = table.rename_columns([kind, *table.column_names[1:]])
        out["commitment_ipa_segments"] = (translate(_SHEETS, "ipa_segments", lang), table)
        asked = view.customers.filter(
            pc.is_in(view.customers["customer_id"], view.answers["customer_id"].unique())
        )
        names = dict(zip(asked["customer_id"].to_pylist(), asked["name"].to_pylist(), strict=True))
        rows = [
            r | {"name": names.get(r["customer_id"]), "dimension": r["dimension_name"],
                 "ipa": r["ipa_text"], "date": r["date"]}
            for r in answers
        ]  # fmt: skip
        out["commitment_ipa_customers"] = (
            translate(_SHEETS, "ipa_customers", lang),
            _table(rows, ["customer_id", "name", "dimension", "date", "importance",
                          "performance", "gap", "ipa", "adherence"], lang),
        )  # fmt: skip
    return out
