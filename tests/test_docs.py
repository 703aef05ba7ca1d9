"""Generated documentation is checked in and must match the code (run `make docs`)."""

from __future__ import annotations

import pytest

from kundenwert.docs import DOCS, render_all

RENDERED = render_all()


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_generated_doc_is_current(name):
    path = DOCS / name
    assert path.exists(), f"docs/{name} missing: run `make docs`"
    assert path.read_text("utf-8") == RENDERED[name], f"docs/{name} is stale: run `make docs`"


def test_data_format_documents_every_column():
    from kundenwert.schema import TABLES

    text = RENDERED["data-format.md"]
    for table in TABLES.values():
        for column in table.column_names:
            assert f"| `{column}` |" in text
