"""`kundenwert forecast fit --engine spark --source DIR`: the same fit as on the store."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kundenwert.cli import main
from kundenwert.engine import java_available
from kundenwert.forecast.fitting import fit_forecast
from kundenwert.settings import Settings

if not java_available():
    pytest.skip("Java fehlt: die Spark-Tests brauchen Java 17", allow_module_level=True)


def _run(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_forecast_fit_on_spark_equals_the_store(spark, engine_parquet, engine_store, capsys):
    args = ("forecast", "fit", "--as-of", "2026-03-31", "--unit", "week", "--json")
    code, out, _ = _run(capsys, *args, "--engine", "spark", "--source", str(engine_parquet))
    assert code in (0, None)
    on_spark = json.loads(out)
    local = fit_forecast(engine_store, date(2026, 3, 31), Settings().forecast, unit="week")
    expected = local.to_dict()
    assert on_spark["model"] == expected["model"] == "bgnbd"
    assert on_spark["n_customers"] == expected["n_customers"] > 100
    for key in ("r", "alpha", "a", "b", "log_likelihood"):
        assert on_spark[key] == pytest.approx(expected[key], rel=1e-9), key
    for key in ("p", "q", "gamma"):
        assert on_spark["spend"][key] == pytest.approx(expected["spend"][key], rel=1e-9), key


def test_engine_options_are_checked(engine_parquet, tmp_path, capsys):
    args = ("forecast", "fit", "--as-of", "2026-03-31", "--db", str(tmp_path / "x.duckdb"))
    code, _, err = _run(capsys, *args, "--source", str(engine_parquet))
    assert code == 2 and "nur mit --engine spark" in err
    code, _, err = _run(capsys, *args, "--engine", "spark", "--source", str(tmp_path))
    assert code == 2 and "fehlt die Tabelle invoices" in " ".join(err.split())
    assert not (tmp_path / "x.duckdb").exists()


def test_review_of_the_lake_into_an_empty_store(
    spark, engine_parquet, engine_store, tmp_path, capsys
):
    db = str(tmp_path / "empty.duckdb")
    config = tmp_path / "kundenwert.toml"
    config.write_text("")  # the defaults, the review per business unit on
    assert _run(capsys, "init", "--db", db)[0] in (0, None)
    args = ("review", "--as-of", "2026-06-30", "--db", db, "--config", str(config), "--json")
    code, out, _ = _run(capsys, *args, "--engine", "spark", "--source", str(engine_parquet))
    assert code in (0, None)
    result = json.loads(out)
    # The window's revenue of the demo company, summed in the store that holds it.
    revenue = engine_store.con.execute(
        "SELECT sum(amount) FROM invoices WHERE date BETWEEN ? AND ?",
        [date(2025, 7, 1), date(2026, 6, 30)],
    ).fetchone()[0]
    assert result["customer_count"] == 200
    assert result["totals"]["revenue"] == str(revenue) and revenue > 1_000_000
    assert sum(result["classes"].values()) == 200
    # The review per business unit (on by default): every customer in its own unit at least.
    assert set(result["units"]) == {"Werkzeugmaschinen", "Messtechnik", "Service & Teile"}
    assert sum(result["units"].values()) > 200
