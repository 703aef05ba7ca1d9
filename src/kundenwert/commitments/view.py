"""The measured adherence and the importance-performance view of one review, per customer
and per segment (service level, matrix quadrant), with every code also in words."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

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
from kundenwert.headers import value_names
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


def aggregate(table: pa.Table, by: str) -> dict[tuple[str, str], dict]:
    """Per (segment, commitment) over the customer rows ``table``: customers, measured
    customers, due and kept occasions of the measured ones, how many are not promised or not
    measurable, and the most frequent missing input."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("t", table.select([by, "commitment", "due", "kept", "status", "missing"]))
        rows = con.execute(
            f'SELECT "{by}" AS segment, commitment, count(*) AS customers, '
            "count(*) FILTER (WHERE status = 'measured') AS measured, "
            "CAST(coalesce(sum(due) FILTER (WHERE status = 'measured'), 0) AS BIGINT) AS due, "
            "CAST(coalesce(sum(kept) FILTER (WHERE status = 'measured'), 0) AS BIGINT) AS kept, "
            "count(*) FILTER (WHERE status = 'not_promised') AS not_promised, "
            "count(*) FILTER (WHERE status = 'missing_input') AS not_measurable, "
            "mode(missing) FILTER (WHERE status = 'missing_input') AS missing "
            f'FROM t WHERE "{by}" IS NOT NULL GROUP BY ALL'
        ).to_arrow_table()
    finally:
        con.close()
    return {(r["segment"], r["commitment"]): r for r in rows.to_pylist()}


def _status(acc: dict | None) -> tuple[str, str | None]:
    if acc is None or not acc["customers"]:
        return "nothing_due", None
    if acc["due"]:
        return "measured", None
    if acc["not_promised"] == acc["customers"]:
        return "not_promised", None
    if acc["not_measurable"]:
        return "missing_input", acc["missing"]
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
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- segments ---------------------------------------------------------------------------
    def _segment_of(self, by: str) -> dict[str, str]:
        first = self.customers.filter(pc.equal(self.customers["commitment"], COMMITMENTS[0]))
        ids = first["customer_id"].to_pylist()
        return dict(zip(ids, first[by].to_pylist(), strict=True))

    def _order(self, by: str) -> list[str]:
        if by == "service_level":
            return [lv.key for lv in self.settings.service.levels]
        return list(MATRIX_ORDER)

    def segments(self, by: str = "service_level") -> list[dict[str, Any]]:
        """Adherence per segment (``service_level`` or ``quadrant``) and commitment: share
        kept = kept / due over the segment's measured customers."""
        if by in self._cache:
            return self._cache[by]
        acc = aggregate(self.customers, by)
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
        self._cache[by] = out
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

    def customer_page(self, page: int, page_size: int) -> tuple[CommitmentView, int]:
        """The view restricted to one page of its customers (in customer order, ``page``
        from 1), and how many customers there are in all; the segments are not recomputed
        from it (they come from :meth:`to_dict` of the whole view)."""
        ids = pc.unique(self.customers["customer_id"])
        chosen = ids[(page - 1) * page_size : page * page_size]
        view = replace(
            self,
            customers=self.customers.filter(pc.is_in(self.customers["customer_id"], chosen)),
            answers=self.answers.filter(pc.is_in(self.answers["customer_id"], chosen)),
            _cache={},  # the cached segments are the whole view's
        )
        return view, len(ids)

    def ipa_customers(self) -> list[dict[str, Any]]:
        """Each customer's latest answer per dimension with its adherence beside it."""
        asked = set(self.answers["customer_id"].to_pylist())
        mask = pc.is_in(self.customers["customer_id"], pa.array(sorted(asked), pa.string()))
        measured = self.customers.filter(mask).select(["customer_id", "commitment", "share"])
        share = {(r["customer_id"], r["commitment"]): r["share"] for r in measured.to_pylist()}
        rows = self.answers.to_pylist()
        for row in rows:
            row["adherence"] = share.get((row["customer_id"], row["dimension"]))
        return rows

    # -- words ----------------------------------------------------------------------------
    def words(self, row: dict[str, Any], lang: str) -> dict:
        """A row with its codes in words: commitment or dimension name, promise, status,
        missing input and IPA quadrant (the words of each code looked up once)."""
        out = dict(row)
        for column in ("commitment", "dimension"):
            key = row.get(column)
            if key is not None:
                out[f"{column}_name"] = self._word(NAMES, key, lang)
        if "promise" in row:
            level = row.get("service_level") or row.get("segment")
            out["promise_text"] = (
                self._promise(level, row.get("commitment"), lang)
                if row["promise"] is not None
                else None
            )
        if "status" in row:
            out["status_text"] = self._word(STATUS_WORDS, row["status"], lang)
        if "missing" in row:
            code = row["missing"]
            out["missing_text"] = self._word(MISSING, code, lang) if code else None
            out["missing_columns"] = list(MISSING_COLUMNS.get(code, [])) if code else []
        if "ipa" in row:
            out["ipa_text"] = self._word(IPA_WORDS, row["ipa"], lang) if row["ipa"] else None
        return out

    def _word(self, catalogue, key: str, lang: str) -> str:
        memo = self._cache.setdefault("words", {})
        found = memo.get((id(catalogue), key, lang))
        if found is None:
            found = translate(catalogue, key, lang) if key in catalogue else key
            memo[(id(catalogue), key, lang)] = found
        return found

    def _promise(self, level_key: str | None, commitment: str | None, lang: str) -> str | None:
        """The promise of ``level_key`` on ``commitment`` in words (None: none promised)."""
        memo = self._cache.setdefault("promises", {})
        if (level_key, commitment, lang) not in memo:
            levels = {lv.key: lv for lv in self.settings.service.levels}
            level = levels.get(level_key or "")
            p = promises(level)[commitment] if level is not None and commitment else None
            memo[(level_key, commitment, lang)] = (
                promise_text(p.code, p.every_months, level, lang) if p else None
            )
        return memo[(level_key, commitment, lang)]

    def level_names(self, lang: str) -> dict[str, str]:
        return value_names(self.settings, lang)["service_level"]

    def quadrant_names(self, lang: str) -> dict[str, str]:
        return value_names(self.settings, lang)["quadrant"]

    def to_dict(
        self, lang: str = "de", *, customers: bool = True, page: tuple[int, int] | None = None
    ) -> dict[str, Any]:
        """Everything as JSON-ready data (dates as ISO text), codes beside their words; the
        per-customer rows only with ``customers``, and with ``page`` (page from 1, page
        size) only those of one page of customers, with ``customers_total``."""
        levels, quadrants = self.level_names(lang), self.quadrant_names(lang)
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
                self.words(r, lang) | {"segment_name": levels.get(r["segment"])}
                for r in self.segments("service_level")
            ],
            "quadrants": [
                self.words(r, lang) | {"segment_name": quadrants.get(r["segment"])}
                for r in self.segments("quadrant")
            ],
            "importance": {
                "service_levels": [self.words(r, lang) for r in self.ipa_segments("service_level")],
                "quadrants": [self.words(r, lang) for r in self.ipa_segments("quadrant")],
            },
        }
        if customers:
            part = self
            if page is not None:
                part, total = self.customer_page(*page)
                out |= {"customers_total": total, "page": page[0], "page_size": page[1]}
            out["customers"] = [self.words(r, lang) for r in part.customers.to_pylist()]
            answers = []
            for r in part.ipa_customers():
                r["date"] = r["date"].isoformat()
                answers.append(self.words(r, lang))
            out["importance"]["customers"] = answers
        return out
