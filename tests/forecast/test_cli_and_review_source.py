"""`kundenwert forecast fit|evaluate` and the per-customer table the review joins."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pytest

from kundenwert.cli import main
from kundenwert.forecast import (
    ConvergenceError,
    ForecastSettings,
    customer_forecast,
    evaluate_holdout,
    parse_duration,
)
from kundenwert.forecast.customers import FORECAST_SCHEMA
from kundenwert.settings import Settings

AS_OF = "1997-09-30"


@pytest.fixture
def cdnow_store(store, cdnow_invoices):
    lines = cdnow_invoices.to_pyarrow()
    store.con.register("cdnow_lines", lines)
    store.con.execute(
        "INSERT INTO invoices (invoice_id, customer_id, date, amount, batch_id) "
        "SELECT CAST(row_number() OVER () AS VARCHAR), customer_id, date, amount, 0 "
        "FROM cdnow_lines"
    )
    store.con.unregister("cdnow_lines")
    store.con.execute("CHECKPOINT")
    return store


def _run(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return exit_info.value.code, capsys.readouterr().out


def test_fit_json_names_the_parameters(cdnow_store, capsys):
    db = str(cdnow_store.path)
    cdnow_store.close()
    code, out = _run(
        capsys, "forecast", "fit", "--as-of", AS_OF, "--unit", "week", "--db", db, "--json"
    )
    assert code in (0, None)
    result = json.loads(out)
    assert {"r", "alpha", "a", "b", "log_likelihood", "converged", "n_customers"} <= set(result)
    assert result["model"] == "bgnbd" and result["converged"] is True
    # The store keeps the default rule (positive days only): the 8 customers whose only
    # calibration purchase was worth $0 are not counted, so not all 2,357.
    assert result["n_customers"] == 2349
    assert {"p", "q", "gamma", "log_likelihood"} <= set(result["spend"])
    code, out = _run(
        capsys, "forecast", "fit", "--as-of", AS_OF, "--model", "pnbd", "--db", db, "--json"
    )
    assert {"r", "alpha", "s", "beta", "log_likelihood"} <= set(json.loads(out))


def test_fit_prints_a_table_and_rejects_bad_input(cdnow_store, capsys):
    db = str(cdnow_store.path)
    cdnow_store.close()
    code, out = _run(capsys, "forecast", "fit", "--as-of", AS_OF, "--db", db)
    assert code in (0, None)
    assert "alpha" in out and "Log-Likelihood" in out
    code, german = _run(capsys, "forecast", "fit", "--as-of", "30.09.1997", "--db", db)
    assert code in (0, None) and german == out
    code, _ = _run(capsys, "forecast", "fit", "--as-of", "1997-13-01", "--db", db)
    assert code == 2


def test_evaluate_reports_groups_and_errors(cdnow_store, capsys):
    db = str(cdnow_store.path)
    cdnow_store.close()
    code, out = _run(capsys, "forecast", "evaluate", "--holdout", "39w", "--db", db, "--json")
    assert code in (0, None)
    result = json.loads(out)
    assert result["calibration_end"] == AS_OF  # last invoice 1998-06-30 minus 39 weeks
    assert [g["label"] for g in result["groups"]] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert sum(g["customers"] for g in result["groups"]) == result["customers"]
    assert result["mae"] <= result["rmse"]
    code, out = _run(capsys, "forecast", "evaluate", "--holdout", "39w", "--db", db)
    assert "7+" in out and "RMSE" in out


def test_holdout_predictions_track_the_actuals_on_cdnow(cdnow_invoices):
    fs = ForecastSettings(zero_value_purchases=True)
    result = evaluate_holdout(
        cdnow_invoices, parse_duration("39w"), fs, calibration_end=date(1997, 9, 30)
    )
    assert result.customers == 2357
    assert result.total_actual == 1882  # purchase days of the cohort in weeks 40-78
    # BG/NBD under-predicts CDNOW's holdout by ~10 % (FHL 2005 fig. 4 shows the same
    # pattern); per group the conditional expectations stay within 0.4 purchases.
    assert 0.8 < result.total_predicted / result.total_actual < 1.0
    for group in result.groups:
        assert abs(group.predicted_mean - group.actual_mean) < 0.4, group
    assert result.groups_table().num_rows == 8


def test_customer_forecast_is_one_row_per_customer(cdnow_store):
    settings = Settings()
    table = customer_forecast(cdnow_store, date(1997, 9, 30), settings)
    assert table.schema == FORECAST_SCHEMA
    assert table.num_rows == 2349
    assert set(table["model"].to_pylist()) == {"bgnbd+gamma_gamma"}
    p_alive = table["p_alive"].to_numpy()
    assert ((p_alive >= 0) & (p_alive <= 1)).all()
    clv = table["clv"].to_numpy()
    assert (clv >= 0).all() and clv.max() > 0
    purchases = table["expected_purchases"].to_numpy()
    assert (purchases >= 0).all()


def test_customer_forecast_refuses_an_unconverged_fit(cdnow_store, monkeypatch):
    from kundenwert.forecast import base

    monkeypatch.setattr(base, "GRAD_TOL", 0.0)  # no fit can meet this
    with pytest.raises(ConvergenceError):
        customer_forecast(cdnow_store, date(1997, 9, 30), Settings())


def test_customer_forecast_refuses_too_few_customers(cdnow_store):
    from kundenwert.errors import InputError

    with pytest.raises(InputError, match="zu wenige"):
        customer_forecast(cdnow_store, date(1997, 1, 2), Settings())
    assert isinstance(FORECAST_SCHEMA, pa.Schema)


def test_the_cli_names_the_mbgcnbd_and_the_automatic_choice(cdnow_store, capsys):
    db = str(cdnow_store.path)
    cdnow_store.close()
    code, out = _run(capsys, "forecast", "fit", "--as-of", AS_OF, "--model", "mbgcnbd", "--db", db)
    assert code in (0, None)
    assert "MBG/CNBD-k mit k = 1" in out and "k (Regelmäßigkeit)" in out
    code, out = _run(
        capsys, "forecast", "evaluate", "--holdout", "39w", "--model", "auto", "--db", db
    )
    assert code in (0, None)
    assert "automatisch gewählt" in out and "MAE je Kunde" in out
    code, out = _run(
        capsys, "forecast", "evaluate", "--holdout", "39w", "--model", "auto", "--db", db, "--json"
    )
    result = json.loads(out)
    assert result["model"] == result["selection"]["chosen"]
    assert result["selection"]["calibration_end"] < result["calibration_end"]


def test_the_review_keeps_the_automatically_chosen_model_and_names_it(cdnow_store):
    from kundenwert.review.forecasting import review_forecast
    from kundenwert.review.xlsx import forecast_text
    from kundenwert.settings import settings_from_dict

    settings = settings_from_dict(
        {
            "forecast": {"model": "auto", "selection_holdout": "13w"},
            "review": {"potential": {"forecast_columns": True}},
        }
    )
    forecast = review_forecast(cdnow_store, settings, settings.review, date(1997, 9, 30))
    info = forecast.info
    assert info["status"] == "fitted" and info["model"] == info["selection"]["chosen"]
    assert set(info["selection"]["mae"]) == {"bgnbd", "pnbd", "mbgcnbd"}
    assert "automatisch gewählt" in forecast_text(info, "de")
    assert forecast.table.num_rows == 2349
