"""Coverage and chains in the export; after an erasure no export names the person."""

from __future__ import annotations

import csv

import openpyxl
from contacts_helpers import PERSON, example_chain, reviewed_company

from kundenwert.contacts.chains import create_chain
from kundenwert.contacts.erase import erase_contact
from kundenwert.reporting import export_full

ERASED_TOO = ("P2", "Hans Wendelin")  # the person named in the chain


def _workbook_text(path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def _csv_text(folder) -> str:
    parts = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            parts.extend(" ".join(row) for row in csv.reader(fh))
    return "\n".join(parts)


def test_export_has_coverage_and_chain_sheets_in_words(store, tmp_path):
    cfg = reviewed_company(store, tmp_path)
    create_chain(store, example_chain(), by="Chefin", reason="Start")
    out = export_full(store, cfg, None, "xlsx", tmp_path / "out" / "review.xlsx")
    book = openpyxl.load_workbook(out, read_only=True)
    coverage = list(book["Kontaktabdeckung"].iter_rows(values_only=True))
    assert coverage[0][:3] == ("Kunde", "Name", "Klasse")
    assert not any("_" in str(h) for h in coverage[0])
    assert [r[0] for r in coverage[1:]] == ["K1", "K2"]  # key customers or with contacts
    assert "Schlüsselkunde hängt an einer Person" in coverage[2][-1]
    chains = list(book["Problemlöseketten"].iter_rows(values_only=True))
    assert len(chains) == 1 + 5 and "Hans Wendelin" in chains[4]
    assert "Anwendertag (Anna Berger, 2026-09-30)" in chains[4]


def test_after_erasure_no_export_names_the_person(store, tmp_path):
    cfg = reviewed_company(store, tmp_path)
    create_chain(store, example_chain(), by="Chefin", reason="Start")
    before = _workbook_text(export_full(store, cfg, None, "xlsx", tmp_path / "a" / "r.xlsx"))
    assert "Hans Wendelin" in before  # contacts are exported only where a chain names them
    for contact_id in ("P1", "P2"):
        erase_contact(
            store, contact_id, by="DS", reason="Art. 17", report_dirs=[tmp_path / "reports"]
        )
    xlsx = _workbook_text(export_full(store, cfg, None, "xlsx", tmp_path / "b" / "r.xlsx"))
    export_full(store, cfg, None, "csv", tmp_path / "c" / "r.csv")
    text = (xlsx + _csv_text(tmp_path / "c")).lower()
    leaks = [s for s in (*PERSON, *ERASED_TOO) if s.lower() in text]
    assert leaks == []
    assert "Müller Maschinenbau GmbH".lower() in text  # the customer and its figures stay
