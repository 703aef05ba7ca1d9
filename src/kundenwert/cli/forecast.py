"""Commands ``kundenwert forecast fit`` and ``kundenwert forecast evaluate``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from kundenwert.cli.app import ConfigOption, DbOption, JsonOption, app, console, settings
from kundenwert.cli.engine import EngineOption, SourceOption, SparkDatabaseOption, engine_source
from kundenwert.dates import parse_date
from kundenwert.errors import InputError
from kundenwert.forecast.text import FIGURE_NAMES, describe_fit, describe_selection, model_label
from kundenwert.formatting import number
from kundenwert.i18n import translate
from kundenwert.store.database import DEFAULT_DB

TEXT = {
    "fit_title": {
        "de": "Prognosemodell {model}; Stichtag {as_of}, Zeiteinheit {unit}",
        "en": "Forecast model {model}; as of {as_of}, time unit {unit}",
    },
    "spend_title": {"de": "Ausgabenmodell Gamma-Gamma", "en": "Spend model Gamma-Gamma"},
    "no_spend": {
        "de": "Zu wenige Kunden mit Wiederholungskäufen für das Ausgabenmodell.",
        "en": "Too few repeat customers for the spend model.",
    },
    "parameter": {"de": "Kennzahl", "en": "Figure"},
    "value": {"de": "Wert", "en": "Value"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "NEIN – Parameter nicht verwenden", "en": "NO – do not use these parameters"},
    "eval_title": {
        "de": "Holdout {calibration_end} bis {holdout_end} ({holdout}), Modell {model}",
        "en": "Holdout {calibration_end} to {holdout_end} ({holdout}), model {model}",
    },
    "group": {"de": "Käufe in Kalibrierung", "en": "Calibration purchases"},
    "actual": {"de": "Ist (Mittel)", "en": "Actual (mean)"},
    "predicted": {"de": "Prognose (Mittel)", "en": "Predicted (mean)"},
    "total": {"de": "Summe", "en": "Total"},
    "errors": {
        "de": "Fehler je Kunde: MAE {mae:.3f}, RMSE {rmse:.3f}",
        "en": "Error per customer: MAE {mae:.3f}, RMSE {rmse:.3f}",
    },
}

INVOICES_ONLY = ("invoices",)  # what the forecast reads

forecast_app = typer.Typer(
    help="Prognose künftiger Käufe, Ausgaben und Kundenwerte (BG/NBD, Pareto/NBD, MBG/CNBD-k).",
    no_args_is_help=True,
)
app.add_typer(forecast_app, name="forecast")

UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Zeiteinheit: day oder week (Standard: Konfiguration).")
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Modell: bgnbd, pnbd, mbgcnbd oder auto (nach Holdout-Fehler gewählt; "
        "Standard: Konfiguration).",
    ),
]


def _unit(text: str | None) -> str | None:
    if text is not None and text not in ("day", "week"):
        raise InputError(f"--unit {text!r} ist unbekannt.", hint="Möglich: day, week.")
    return text


def _figures_table(title: str, figures: dict[str, Any], lang: str) -> Table:
    table = Table(title=title)
    table.add_column(translate(TEXT, "parameter", lang))
    table.add_column(translate(TEXT, "value", lang), justify="right")
    for key, value in figures.items():
        names = TEXT if key in TEXT else FIGURE_NAMES
        label = translate(names, key, lang) if key in names else key
        if isinstance(value, bool):
            value = translate(TEXT, "yes" if value else "no", lang)
        elif isinstance(value, float):
            value = number(value, lang, 4)
        table.add_row(label, str(value))
    return table


def _fit_figures(summary: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    keys = (
        *names,
        "k_wheat_morrison",
        "k_search_customers",
        "log_likelihood",
        "converged",
        "n_customers",
    )
    return {k: summary[k] for k in keys if summary.get(k) is not None}


@forecast_app.command("fit")
def fit(
    as_of: Annotated[str, typer.Option("--as-of", help="Stichtag JJJJ-MM-TT.")],
    unit: UnitOption = None,
    model: ModelOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Passt das Kaufmodell (und Gamma-Gamma) an die Rechnungen bis zum Stichtag an."""
    from kundenwert.forecast.fitting import fit_forecast

    cfg = settings(config)
    with engine_source(engine, db, source, spark_database, cfg, INVOICES_ONLY) as invoices:
        result = fit_forecast(
            invoices,
            parse_date(as_of, "--as-of"),
            cfg.forecast,
            unit=_unit(unit),
            model=model,
            allow_unconverged=True,
        )
    converged = result.purchases.converged_ and (result.spend is None or result.spend.converged_)
    if json_output:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        lang = cfg.language
        title = translate(
            TEXT,
            "fit_title",
            lang,
            model=describe_fit(result.to_dict(), lang),
            as_of=result.as_of.isoformat(),
            unit=result.unit,
        )
        console.print(
            _figures_table(
                title,
                _fit_figures(result.purchases.summary_dict(), result.purchases.param_names),
                lang,
            )
        )
        if result.spend is None:
            console.print(translate(TEXT, "no_spend", lang))
        else:
            console.print(
                _figures_table(
                    translate(TEXT, "spend_title", lang),
                    _fit_figures(result.spend.summary_dict(), result.spend.param_names),
                    lang,
                )
            )
    if not converged:
        raise typer.Exit(code=3)


@forecast_app.command("evaluate")
def evaluate(
    holdout: Annotated[str, typer.Option("--holdout", help="Länge des Holdouts, z. B. 39w.")],
    calibration_end: Annotated[
        str | None,
        typer.Option(
            "--calibration-end", help="Ende der Kalibrierung (Standard: Datenende minus Holdout)."
        ),
    ] = None,
    unit: UnitOption = None,
    model: ModelOption = None,
    db: DbOption = DEFAULT_DB,
    config: ConfigOption = None,
    json_output: JsonOption = False,
    engine: EngineOption = "duckdb",
    source: SourceOption = None,
    spark_database: SparkDatabaseOption = None,
) -> None:
    """Vergleicht die Prognose mit den tatsächlichen Käufen im Holdout-Zeitraum."""
    from kundenwert.forecast.config import parse_duration
    from kundenwert.forecast.evaluate import evaluate_holdout

    cfg = settings(config)
    try:
        span = parse_duration(holdout)
    except ValueError as exc:
        raise InputError(f"--holdout: {exc}", hint="Zum Beispiel --holdout 39w.") from exc
    end = None if calibration_end is None else parse_date(calibration_end, "--calibration-end")
    with engine_source(engine, db, source, spark_database, cfg, INVOICES_ONLY) as invoices:
        result = evaluate_holdout(
            invoices, span, cfg.forecast, calibration_end=end, unit=_unit(unit), model=model
        )
    if json_output:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    lang = cfg.language
    table = Table(
        title=translate(
            TEXT,
            "eval_title",
            lang,
            calibration_end=result.calibration_end.isoformat(),
            holdout_end=result.holdout_end.isoformat(),
            holdout=result.holdout,
            model=describe_selection(model_label(result.to_dict(), lang), result.selection, lang),
        )
    )
    for key in ("group", "n_customers", "actual", "predicted"):
        names = TEXT if key in TEXT else FIGURE_NAMES
        table.add_column(translate(names, key, lang), justify="right")
    for g in result.groups:
        table.add_row(
            g.label,
            number(g.customers, lang),
            number(g.actual_mean, lang, 3),
            number(g.predicted_mean, lang, 3),
        )
    table.add_row(
        translate(TEXT, "total", lang),
        number(result.customers, lang),
        number(result.total_actual, lang),
        number(result.total_predicted, lang),
    )
    console.print(table)
    console.print(translate(TEXT, "errors", lang, mae=result.mae, rmse=result.rmse))
