"""One order of settings for the CLI and the web; each review records the version it used."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from kundenwert.cli import app
from kundenwert.review import list_reviews, run_review
from kundenwert.settings import Settings, settings_from_dict
from kundenwert.settings_source import resolve_settings
from kundenwert.store import open_store
from kundenwert.web.settings_store import save_section

runner = CliRunner()


def _company(store) -> None:
    for cid, revenue in (("K1", 90000), ("K2", 1000)):
        store.con.execute(
            "INSERT INTO customers (customer_id, name, batch_id) VALUES (?, ?, 0)",
            [cid, f"Firma {cid}"],
        )
        store.con.execute(
            "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) "
            "VALUES (?, 1, ?, DATE '2026-03-01', ?, 0)",
            [f"R{cid}", cid, revenue],
        )


def test_saved_sections_lie_over_the_file_and_reviews_record_the_version(tmp_path):
    path = tmp_path / "s.duckdb"
    config = tmp_path / "kundenwert.toml"
    config.write_text('language = "en"\n[review]\nwindow_months = 6\n', encoding="utf-8")
    file_settings = settings_from_dict({"language": "en", "review": {"window_months": 6}})
    with open_store(path, create=True) as store:
        _company(store)
        assert resolve_settings(store, file_settings).version_id is None
        run_review(store, file_settings, date(2026, 6, 30))  # no version: NULL
        review = json.loads(file_settings.model_dump_json(by_alias=True))["review"]
        review["window_months"] = 9
        save_section(store, Settings(), "review", json.dumps(review), by="chef")
        resolved = resolve_settings(store, file_settings)
        # The edited section from the database, the rest from the file.
        assert resolved.version_id == 1
        assert resolved.settings.review.window_months == 9
        assert resolved.settings.language == "en"
    result = runner.invoke(
        app, ["review", "--as-of", "2026-06-30", "--db", str(path), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "Version 1" in result.stderr
    with open_store(path) as store:
        reviews = {r["review_id"]: r for r in list_reviews(store)}
        assert reviews[1]["settings_version"] is None
        assert reviews[2]["settings_version"] == 1
        assert reviews[2]["window_months"] == 9  # the web's setting, not the file's 6
