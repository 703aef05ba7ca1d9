"""The measured adherence and the importance-performance view of one review, per customer
and per segment (service level, matrix quadrant), with every code also in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa

from kundenwert.commitments.catalogue import (
    COMMITMENTS,
    IPA_WORDS,
    MISSING,
    MISSING_COLUMNS,
    NAMES,
    PROMISE_WORDS,
    STATUS_WORDS,
    promises,
)
from kundenwert.formatting import money
from kundenwert.i18n import format_number, translate
from kundenwert.review._base import MATRIX_ORDER
from kundenwert.review.config import ReviewSettings


def promise_text(code: str | None, every: int | None, level, lang: str) -> str | None:
    """A promise in words, e.g. "am nächsten Werktag" or "höchstens 8 Stunden"."""
    if code is None:
        return None
    if code.endswith("h") and code[:-1].replace(".", "").isdigit():
        return translate(PROMISE_WORDS, "hours", lang, hours=format_number(float(code[:-1]), lang))
    if code == "budget":
        return translate(PROMISE_WORDS, "budget", lang, budget=money(level.goodwill_budget, lang))
    return translate(PROMISE_WORDS, code, lang, every=every)


def aggregate(rows: list[dict], segment_of: dict[str, str]) -> dict[tuple[str, str], dict]:
    """Per (segment, commitment): customers, measured customers, due, kept and the status
    over the customers of the segment."""
    out: dict[tuple[str, str], dict] = {}
    for row in rows:
        segment = segment_of.get(row["customer_id"])
        if segment is None:
            continue
        acc = out.setdefault(
            (segment, row["commitment"]),
            {"customers": 0, "measured": 0, "due": 0, "kept": 0, "statuses": {}, "missing": {}},
        )
        acc["customers"] += 1
        acc["statuses"][row["status"]] = acc["statuses"].get(row["status"], 0) + 1
        if row["missing"]:
            acc["missing"][row["missing"]] = acc["missing"].get(row["missing"], 0) + 1
        if row["status"] == "measured":
            acc["measured"] += 1
            acc["due"] += row["due"]
            acc["kept"] += row["kept"]
    return out


def _status(acc: dict | None) -> tuple[str, str | None]:
    if acc is None or not acc["customers"]:
        return "nothing_due", None
    statuses = acc["statuses"]
    if acc["due"]:
        return "measured", None
    if statuses.get("not_promised") == acc["customers"]:
        return "not_promised", None
    if statuses.get("missing_input"):
        return "missing_input", max(acc["missing"], key=acc["missing"].get)
    return "nothing_due", None


@dataclass
class CommitmentView:
    """Adherence per customer (``customers``: one row per customer and commitment) and per
    segment, and the survey's importance and performance (``answers``: latest per customer
    and dimension)."""

    review_id: int
    as_of: date
    window_start: date
    months: int
    settings: ReviewSettings
    customers: pa.Table  # customer_id, name, account_manager, service_level, quadrant + measure
    answers: pa.Table
    missing: dict[str, str] = field(default_factory=dict)  # data-wide, per commitment

    # -- segments ---------------------------------------------------------------------------
    def _segment_of(self, by: str) -> dict[str, str]:
        ids = self.customers["customer_id"].to_pylist()
        return dict(zip(ids, self.customers[by].to_pylist(), strict=True))

    def _order(self, by: str) -> list[str]:
        if by == "service_level":
            return [lv.key for lv in self.settings.service.levels]
        return list(MATRIX_ORDER)

    def segments(self, by: str = "service_level") -> list[dict[str, Any]]:
        """Adherence per segment (``service_level`` or ``quadrant``) and commitment: share
        kept = kept / due over the segment's measured customers."""
        rows = self.customers.select(["customer_id", "commitment", "due", "kept", "status",
                                      "missing"]).to_pylist()  # fmt: skip
        acc = aggregate(rows, self._segment_of(by))
        levels = {lv.key: lv for lv in self.settings.service.levels}
        out = []
        for segment in self._order(by):
            for key in COMMITMENTS:
                a = acc.get((segment, key))
                status, missing = _status(a)
                promise = None
                if by == "service_level":
                    p = promises(levels[segment])[key]
                    promise = p.code if p else None
                    if p is None:
                        status, missing = "not_promised", None
                    elif key in self.missing:
                        status, missing = "missing_input", self.missing[key]
                out.append(
                    {
                        "segment": segment,
                        "commitment": key,
                        "promise": promise,
                        "customers": a["customers"] if a else 0,
                        "measured": a["measured"] if a else 0,
                        "due": a["due"] if a else 0,
                        "kept": a["kept"] if a else 0,
                        "share": a["kept"] / a["due"] if a and a["due"] else None,
                        "status": status,
                        "missing": missing,
                    }
                )
        return out

    def ipa_segments(self, by: str = "service_level") -> list[dict[str, Any]]:
        """Importance and performance per segment and dimension, with the segment's measured
        adherence to the commitment of the same name beside it."""
        from kundenwert.commitments.importance import segment_means

        means = segment_means(self.answers.to_pylist(), self._segment_of(by))
        share = {(r["segment"], r["commitment"]): r["share"] for r in self.segments(by)}
        order = {s: i for i, s in enumerate(self._order(by))}
        for row in means:
            row["adherence"] = share.get((row["segment"], row["dimension"]))
        return sorted(means, key=lambda r: (order.get(r["segment"], 99), r["dimension"]))

    def ipa_customers(self) -> list[dict[str, Any]]:
        """Each customer's latest answer per dimension with its adherence beside it."""
        share = {
            (r["customer_id"], r["commitment"]): r["share"]
            for r in self.customers.select(["customer_id", "commitment", "share"]).to_pylist()
        }
        rows = self.answers.to_pylist()
        for row in rows:
            row["adherence"] = share.get((row["customer_id"], row["dimension"]))
        return rows

    # -- words ----------------------------------------------------------------------------
    def words(self, row: dict[str, Any], lang: str, level_key: str | None = None) -> dict:
        """A row with its codes in words: commitment or dimension name, promise, status,
        missing input and IPA quadrant."""
        out = dict(row)
        for column in ("commitment", "dimension"):
            key = row.get(column)
            if key is not None:
                out[f"{column}_name"] = translate(NAMES, key, lang) if key in NAMES else key
        if "promise" in row:
            levels = {lv.key: lv for lv in self.settings.service.levels}
            level = levels.get(level_key or row.get("service_level") or row.get("segment"))
            every = row.get("every_months")
            if every is None and level is not None and row.get("commitment"):
                p = promises(level)[row["commitment"]]
                every = p.every_months if p else None
            out["promise_text"] = (
                promise_text(row["promise"], every, level, lang) if level is not None else None
            )
        if "status" in row:
            out["status_text"] = translate(STATUS_WORDS, row["status"], lang)
        if "missing" in row:
            code = row["missing"]
            out["missing_text"] = translate(MISSING, code, lang) if code else None
            out["missing_columns"] = MISSING_COLUMNS.get(code, []) if code else []
        if "ipa" in row:
            out["ipa_text"] = translate(IPA_WORDS, row["ipa"], lang) if row["ipa"] else None
        return out

    def level_names(self, lang: str) -> dict[str, str]:
        return {lv.key: lv.label.get(lang) for lv in self.settings.service.levels}

    def quadrant_names(self, lang: str) -> dict[str, str]:
        return {k: v.get(lang) for k, v in self.settings.matrix.labels.items()}

    def customer_rows(self, customer_id: str) -> list[dict[str, Any]]:
        t = self.customers
        return [r for r in t.to_pylist() if r["customer_id"] == customer_id]

    def to_dict(self, lang: str = "de", *, customers: bool = True) -> dict[str, Any]:
        """Everything as JSON-ready data (dates as ISO text), codes beside their words; the
        per-customer rows only with ``customers``."""
        out: dict[str, Any] = {
            "review_id": self.review_id,
            "as_of": self.as_of.isoformat(),
            "window_start": self.window_start.isoformat(),
            "months": self.months,
            "missing": {
                key: {
                    "missing": code,
                    "missing_text": translate(MISSING, code, lang),
                    "missing_columns": MISSING_COLUMNS.get(code, []),
                }
                for key, code in self.missing.items()
            },
            "service_levels": [
                self.words(r, lang) | {"segment_name": self.level_names(lang).get(r["segment"])}
                for r in self.segments("service_level")
            ],
            "quadrants": [
                self.words(r, lang) | {"segment_name": self.quadrant_names(lang).get(r["segment"])}
                for r in self.segments("quadrant")
            ],
            "importance": {
                "service_levels": [self.words(r, lang) for r in self.ipa_segments("service_level")],
                "quadrants": [self.words(r, lang) for r in self.ipa_segments("quadrant")],
            },
        }
        if customers:
            out["customers"] = [self.words(r, lang) for r in self.customers.to_pylist()]
            answers = []
            for r in self.ipa_customers():
                r["date"] = r["date"].isoformat()
                answers.append(self.words(r, lang))
            out["importance"]["customers"] = answers
        return out
