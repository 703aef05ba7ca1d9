"""Every sheet of the review workbook: headers in the workbook's language, typed cells, dates
as date cells, frozen headers (and filters on the list sheets)."""

from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
import pytest

from kundenwert.demo import generate
from kundenwert.reporting import export_full
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import open_store

SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
CODES = {"response_time_missed", "top_silent", "machine_volume", "klette", "cyclical",
         "established", "service_recovery", "top", "development", "small", "premium"}  # fmt: skip
LIST_SHEETS = {
    "de": ("Kunden", "Verläufe", "Warnungen", "Nächste Schritte", "Geschäftsbereiche"),
    "en": ("Customers", "Trajectories", "Alerts", "Next actions", "Business units"),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "dynamics"))
    from dynamics_helpers import load_tables

    store = open_store(tmp_path_factory.mktemp("wb") / "demo.duckdb", create=True)
    load_tables(store, generate(600, 3, 5).tables)
    run_review(store, Settings(), date(2026, 6, 30))
    yield store
    store.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_sheet_in_words_with_typed_cells(demo_db, tmp_path, lang):
    path = export_full(demo_db, Settings(), None, "xlsx", tmp_path / f"r-{lang}.xlsx", lang)
    book = openpyxl.load_workbook(path)
    for title in LIST_SHEETS[lang]:
        ws = book[title]
        header = [c.value for c in ws[1] if c.value is not None]
        assert header, title
        assert not [h for h in header if SNAKE.match(str(h))], (title, header)
        assert ws.freeze_panes is not None and ws.auto_filter.ref, title
        rows = list(ws.iter_rows(min_row=2, max_row=min(ws.max_row, 200)))
        for row in rows:
            for cell in row:
                # English words may equal a code ("established"); a snake_case one never.
                coded = cell.value in CODES if lang == "de" else SNAKE.match(str(cell.value))
                assert not coded, (title, cell.coordinate, cell.value)
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (title, cell.coordinate)
    steps = book[LIST_SHEETS[lang][3]]
    header = [c.value for c in steps[1]]
    due = header.index("Fällig" if lang == "de" else "Due") + 1
    cell = steps.cell(row=2, column=due)
    assert isinstance(cell.value, datetime) and cell.is_date, cell.value
    for ws in book:
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
            for c in row:
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    assert c.number_format != "General", (ws.title, c.coordinate, c.value)
