"""The review per business unit (issue 14.6), with hand-computed figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from review_helpers import (
    AS_OF,
    add_activity,
    add_customers,
    add_invoice,
    add_rating,
    make_settings,
)

from kundenwert.reads import Scope
from kundenwert.reads.units import has_units, unit_rows, unit_summary
from kundenwert.review import run_review

DAY = date(2026, 3, 1)
BEFORE_WINDOW = date(2025, 1, 1)  # the 12-month window as of 2026-06-30 starts 2025-07-01

#: Revenue and a relationship rating (0..10); unit B weighs revenue three times the rating.
UNIT_REVIEW = {
    "scoring": {
        "indicators": {
            "rev": {"source": "invoices", "cap_quantile": 1.0},
            "rq": {"source": "ratings", "rating": "relationship_quality"},
        },
        "weights": {"default": {"rev": 1, "rq": 1}, "B": {"rev": 3, "rq": 1}},
    },
    "potential": {"source": "ratings", "indicators": ["rq"]},
}


def _line(store, cid, day, amount, unit):
    add_invoice(store, cid, day, amount)
    n = store.con.execute("SELECT count(*) FROM invoices").fetchone()[0]
    store.con.execute(
        "UPDATE invoices SET business_unit = ? WHERE invoice_id = ?", [unit, f"R{n - 1}"]
    )


def _two_units(store):
    """K1 (own unit A): 100 booked by A, 40 without a unit (so A's), 60 booked by B.
    K2 (own unit B): 60 by B (a tie with K1 in B); a line of A before the window.
    K3 (own unit A): 30 by B only: its own unit has no revenue in the window.
    K4 (own unit A): 60 by A. K5 (no unit): 10 without a unit."""
    add_customers(store, ("K1", "A", "DE"), ("K2", "B", "DE"), ("K3", "A", "DE"))
    add_customers(store, ("K4", "A", "DE"), ("K5", None, "DE"))
    _line(store, "K1", DAY, 100, "A")
    _line(store, "K1", DAY, 40, None)
    _line(store, "K1", DAY, 60, "B")
    _line(store, "K2", DAY, 60, "B")
    _line(store, "K2", BEFORE_WINDOW, 500, "A")
    _line(store, "K3", DAY, 30, "B")
    _line(store, "K3", BEFORE_WINDOW, 70, "A")
    _line(store, "K4", DAY, 60, "A")
    _line(store, "K5", DAY, 10, None)
    add_activity(store, "K1", DAY, 25)
    for cid, value in (("K1", 8), ("K2", 4), ("K4", 10)):
        add_rating(store, cid, "relationship_quality", value)


def _by_key(rows):
    return {(r["customer_id"], r["business_unit"]): r for r in rows}


def test_a_customer_gets_a_score_class_and_quadrant_per_unit(store):
    _two_units(store)
    review = run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    assert review.units == {"A": 3, "B": 3, "": 1}
    rows = _by_key(unit_rows(store, review.review_id))
    # One row per customer and serving unit: the own unit always, others with a line in the
    # window; K2's line of A before the window makes no row.
    assert set(rows) == {
        ("K1", "A"), ("K1", "B"), ("K2", "B"), ("K3", "A"), ("K3", "B"), ("K4", "A"), ("K5", ""),
    }  # fmt: skip
    revenue = {k: r["revenue"] for k, r in rows.items()}
    assert revenue == {
        ("K1", "A"): Decimal(140), ("K1", "B"): Decimal(60), ("K2", "B"): Decimal(60),
        ("K3", "A"): Decimal(0), ("K3", "B"): Decimal(30), ("K4", "A"): Decimal(60),
        ("K5", ""): Decimal(10),
    }  # fmt: skip
    assert {k for k, r in rows.items() if r["home"]} == {
        ("K1", "A"), ("K2", "B"), ("K3", "A"), ("K4", "A"), ("K5", ""),
    }  # fmt: skip
    # The care cost (25) is the own unit's: K1's margin III is 140 - 25 in A, 60 in B, and
    # the units add up to the company view (200 - 25).
    assert (rows["K1", "A"]["cost_to_serve"], rows["K1", "A"]["margin_3"]) == (25, 115)
    assert (rows["K1", "B"]["cost_to_serve"], rows["K1", "B"]["margin_3"]) == (0, 60)
    assert rows["K1", "A"]["company_revenue"] == 200

    # ABC per unit. A: total 200; K1 140 (A), K4 60 (140 above = 70 % < 80 %: A), K3 0 (C).
    # B: total 150; K1 and K2 tie at 60, K1 first by number (0 above: A), K2 (60 above =
    # 40 %: A), K3 30 (120 above = 80 %, not below 80 % but below 95 %: B).
    abc = {k: r["abc_class"] for k, r in rows.items()}
    assert abc == {
        ("K1", "A"): "A", ("K4", "A"): "A", ("K3", "A"): "C",
        ("K1", "B"): "A", ("K2", "B"): "A", ("K3", "B"): "B", ("K5", ""): "A",
    }  # fmt: skip
    assert rows["K1", "B"]["abc_share_above"] == 0
    assert rows["K2", "B"]["abc_share_above"] == pytest.approx(0.4)
    assert rows["K3", "B"]["abc_share_above"] == pytest.approx(0.8)

    # Scores: revenue over the unit's largest (cap quantile 1.0), rating x 10.
    # A (weights 1:1, cap 140): K1 (100 + 80) / 2 = 90; K4 (60/140 x 100 + 100) / 2;
    # K3 revenue 0 known, rating unknown: coverage 0.5, score 0.
    # B (weights 3:1, cap 60): K1 0.75 x 100 + 0.25 x 80 = 95; K2 75 + 10 = 85; K3 revenue
    # 30/60 = 50, rating unknown: coverage 0.75, score 50.
    score = {k: r["value_score"] for k, r in rows.items()}
    assert score == {
        ("K1", "A"): pytest.approx(90), ("K4", "A"): pytest.approx((60 / 140 * 100 + 100) / 2),
        ("K3", "A"): 0, ("K1", "B"): pytest.approx(95), ("K2", "B"): pytest.approx(85),
        ("K3", "B"): pytest.approx(50), ("K5", ""): pytest.approx(100),
    }  # fmt: skip
    assert (rows["K3", "A"]["score_coverage"], rows["K3", "B"]["score_coverage"]) == (0.5, 0.75)
    assert rows["K1", "B"]["contributions"] == {"rev": pytest.approx(75), "rq": pytest.approx(20)}

    # Score classes per unit (quantiles 0.9 and 0.7 of the unit's scores, interpolated):
    # A [0, 71.4, 90]: high from 86.3, medium from 78.9; B [50, 85, 95]: high from 93,
    # medium from 89. So only K1 is high, in both units; the levels follow (high premium,
    # low standard).
    classes = {k: r["score_class"] for k, r in rows.items() if k[1] != ""}
    assert classes == {
        ("K1", "A"): "high", ("K4", "A"): "low", ("K3", "A"): "low",
        ("K1", "B"): "high", ("K2", "B"): "low", ("K3", "B"): "low",
    }  # fmt: skip
    assert rows["K1", "B"]["service_level"] == "premium"
    assert rows["K2", "B"]["service_level"] == "standard"

    # Matrix: x high for ABC classes A and B with revenue; y split at the median of the
    # unit's known potentials. A: K1 80, K4 100 -> 90: K1 premium, K4 top, K3 small (no
    # revenue, no potential). B: K1 80, K2 40 -> 60: K1 top, K2 premium, K3 premium.
    quadrants = {k: r["quadrant"] for k, r in rows.items() if k[1] != ""}
    assert quadrants == {
        ("K1", "A"): "premium", ("K4", "A"): "top", ("K3", "A"): "small",
        ("K1", "B"): "top", ("K2", "B"): "premium", ("K3", "B"): "premium",
    }  # fmt: skip

    # The company view beside it is the review's customer row, unchanged.
    company = {
        r[0]: r[1:]
        for r in store.con.execute(
            "SELECT customer_id, value_score, abc_class, quadrant, revenue FROM review_customers "
            "WHERE review_id = ?",
            [review.review_id],
        ).fetchall()
    }
    for (cid, _unit), r in rows.items():
        expected = company[cid]
        assert r["company_value_score"] == expected[0]
        assert (r["company_abc_class"], r["company_quadrant"]) == expected[1:3]
        assert r["company_revenue"] == expected[3]
    assert company["K1"][3] == 200


def test_the_units_statistics_are_kept_with_the_review(store):
    _two_units(store)
    review = run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    from kundenwert.review import load_review

    units = load_review(store, review.review_id).header["splits"]["units"]
    assert sorted(units) == ["", "A", "B"]
    assert units["A"]["caps"] == {"rev": 140.0}
    assert units["B"]["y"] == pytest.approx(60.0)
    assert units["B"]["score_classes"] == {"high": pytest.approx(93), "medium": pytest.approx(89)}


def test_one_unit_for_everything_gives_the_company_view(store):
    """All customers and lines in one unit: the unit's review is the company's."""
    add_customers(store, ("K1", "A", "DE"), ("K2", "A", "DE"), ("K3", "A", "DE"))
    add_customers(store, ("K4", "A", "DE"))
    for cid, amount, unit in (("K1", 90, "A"), ("K2", 60, None), ("K3", 60, "A"), ("K4", 5, None)):
        _line(store, cid, DAY, amount, unit)
    for cid, value in (("K1", 3), ("K2", 9), ("K3", 6)):
        add_rating(store, cid, "relationship_quality", value)
    add_activity(store, "K2", DAY, 70)
    review = run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    rows = unit_rows(store, review.review_id)
    assert len(rows) == 4
    company = store.con.execute(
        "SELECT customer_id, value_score, score_class, abc_class, quadrant, service_level, "
        "margin_3 FROM review_customers WHERE review_id = ?",
        [review.review_id],
    ).fetchall()
    unit = {
        r["customer_id"]: (
            r["value_score"], r["score_class"], r["abc_class"], r["quadrant"],
            r["service_level"], r["margin_3"],
        )
        for r in rows
    }  # fmt: skip
    assert unit == {c[0]: tuple(c[1:]) for c in company}
    assert unit["K2"][5] == -10  # 60 - 70: the care cost is the (only) unit's


def test_switched_off_there_are_no_unit_rows(store):
    _two_units(store)
    settings = make_settings({**UNIT_REVIEW, "units": {"enabled": False}})
    steps: list[str] = []
    review = run_review(store, settings, AS_OF, 12, progress=steps.append)
    assert "units" not in steps and review.units == {}
    assert not has_units(store, review.review_id)
    assert unit_rows(store, review.review_id) == []
    assert (
        "units"
        not in store.con.execute(
            "SELECT splits FROM reviews WHERE review_id = ?", [review.review_id]
        ).fetchone()[0]
    )


def test_summary_and_filters(store):
    _two_units(store)
    store.con.execute("UPDATE customers SET account_manager = 'Meier' WHERE customer_id = 'K1'")
    review = run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    summary = {r["business_unit"]: r for r in unit_summary(store, review.review_id)}
    # A: K1, K3, K4 (K1 and K3 are also served by B); B: K1, K2, K3.
    a, b = summary["A"], summary["B"]
    assert (a["customers"], a["shared_customers"], a["revenue"]) == (3, 2, 200)
    assert (a["class_a"], a["class_b"], a["class_c"]) == (2, 0, 1)
    assert (b["customers"], b["shared_customers"], b["revenue"]) == (3, 2, 150)
    assert (b["class_a"], b["class_b"], b["class_c"]) == (2, 1, 0)
    assert (a["top"], a["premium"], a["small"], a["development"]) == (1, 1, 1, 0)
    assert list(summary) == ["A", "B", ""]  # largest revenue first
    shared = unit_rows(store, review.review_id, shared_only=True)
    assert {r["customer_id"] for r in shared} == {"K1", "K3"}
    assert all(r["units"] == 2 for r in shared)
    only_b = unit_rows(store, review.review_id, business_unit="B")
    assert [r["customer_id"] for r in only_b] == ["K1", "K2", "K3"]  # 60, 60 (by number), 30
    own = unit_rows(store, review.review_id, scope=Scope("Meier"))
    assert {(r["customer_id"], r["business_unit"]) for r in own} == {("K1", "A"), ("K1", "B")}
    assert unit_summary(store, review.review_id, scope=Scope("Meier"))[0]["customers"] == 1


@pytest.mark.parametrize("lang", ["de", "en"])
def test_workbook_sheet_per_unit_in_words_with_typed_cells(store, tmp_path, lang):
    import openpyxl

    from kundenwert.review import export_review

    _two_units(store)
    run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    path = export_review(store, None, "xlsx", tmp_path / "r.xlsx", lang)
    book = openpyxl.load_workbook(path)
    ws = book["Geschäftsbereiche" if lang == "de" else "Business units"]
    header = [c.value for c in ws[1]]
    unit, own, revenue, quadrant, company = (
        ("Geschäftsbereich", "Eigener Bereich", "Umsatz", "Quadrant (berechnet)",
         "Quadrant Unternehmen")
        if lang == "de"
        else ("Business unit", "Own unit", "Revenue", "Quadrant (computed)", "Quadrant (company)")
    )  # fmt: skip
    col = {h: i for i, h in enumerate(header)}
    rows = [[c for c in r] for r in ws.iter_rows(min_row=2)]
    k1b = next(r for r in rows if r[0].value == "K1" and r[col[unit]].value == "B")
    assert k1b[col[own]].value is False
    assert k1b[col[revenue]].value == 60 and k1b[col[revenue]].number_format != "General"
    assert k1b[col[quadrant]].value == ("Topkunde" if lang == "de" else "Top customer")
    assert k1b[col[company]].value in ("Topkunde", "Premiumkunde", "Top customer",
                                       "Premium customer")  # fmt: skip
    no_unit = next(r for r in rows if r[0].value == "K5")[col[unit]].value
    assert no_unit == ("(ohne Geschäftsbereich)" if lang == "de" else "(no business unit)")
    assert len(rows) == 7
    assert ws.freeze_panes is not None and ws.auto_filter.ref


def test_csv_export_writes_the_units_beside_it(store, tmp_path):
    from kundenwert.review import export_review

    _two_units(store)
    run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    export_review(store, None, "csv", tmp_path / "r.csv")
    text = (tmp_path / "r_units.csv").read_text()
    assert text.splitlines()[0].startswith('"customer_id","name","business_unit","home"')
    assert len(text.splitlines()) == 8


def test_cli_units(store, tmp_path, capsys):
    import json

    from kundenwert.cli import main

    _two_units(store)
    run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    path = store.path
    store.close()

    def run(*args):
        try:
            main([*args, "--db", str(path)])
        except SystemExit as exc:
            assert not exc.code
        return capsys.readouterr().out

    summary = json.loads(run("units", "--json"))
    assert [r["business_unit"] for r in summary["items"]] == ["A", "B", ""]
    rows = json.loads(run("units", "--customer", "K1", "--json"))["items"]
    assert [(r["business_unit"], r["abc_class"]) for r in rows] == [("A", "A"), ("B", "A")]
    table = run("units", "--shared")
    assert "K1" in table and "K3" in table and "K2" not in table


def test_a_unit_whose_lines_cancel_out_has_a_row_without_revenue(store):
    add_customers(store, ("K1", "A", "DE"), ("K2", "B", "DE"))
    _line(store, "K1", DAY, 50, "A")
    _line(store, "K1", DAY, 20, "B")
    _line(store, "K1", DAY, -20, "B")  # the credit note of the line before
    _line(store, "K2", DAY, 30, "B")
    review = run_review(store, make_settings(UNIT_REVIEW), AS_OF, 12)
    rows = _by_key(unit_rows(store, review.review_id))
    assert set(rows) == {("K1", "A"), ("K1", "B"), ("K2", "B")}
    k1b = rows["K1", "B"]
    assert (k1b["revenue"], k1b["abc_class"], k1b["abc_share_above"]) == (0, "C", 1.0)
    assert k1b["quadrant"] in ("small", "development")  # never on the high revenue side
    assert k1b["value_score"] == 0  # revenue 0 of B's cap 30; the rating is unknown
