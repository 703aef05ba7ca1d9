"""The forecast models' names as users read them, and one line on which model a fit used."""

from __future__ import annotations

from typing import Any

from kundenwert.i18n import Catalogue, format_number, translate

MODEL_NAMES: Catalogue = {
    "bgnbd": {"de": "BG/NBD", "en": "BG/NBD"},
    "pnbd": {"de": "Pareto/NBD", "en": "Pareto/NBD"},
    "mbgcnbd": {"de": "MBG/CNBD-k", "en": "MBG/CNBD-k"},
    "auto": {"de": "automatisch gewählt", "en": "chosen automatically"},
    "bgnbd_common_dropout": {
        "de": "BG/NBD-Grenzfall: eine Abwanderungswahrscheinlichkeit für alle Kunden",
        "en": "BG/NBD limit: one dropout probability for all customers",
    },
    "nbd": {
        "de": "NBD-Grenzfall: ohne Abwanderung",
        "en": "NBD limit: no dropout",
    },
    "gamma_gamma": {"de": "Gamma-Gamma", "en": "Gamma-Gamma"},
}

#: The fit's figures as people read them (CLI, workbook); the models' parameters (r, alpha, a,
#: b, p, s, beta, q, gamma) keep the symbols of the papers.
FIGURE_NAMES: Catalogue = {
    "model": {"de": "Modell", "en": "Model"},
    "log_likelihood": {"de": "Log-Likelihood", "en": "Log-likelihood"},
    "converged": {"de": "Konvergiert", "en": "Converged"},
    "iterations": {"de": "Iterationen", "en": "Iterations"},
    "n_customers": {"de": "Kunden", "en": "Customers"},
    "n_distinct": {"de": "Verschiedene Kaufhistorien", "en": "Distinct purchase histories"},
    "k": {"de": "k (Regelmäßigkeit)", "en": "k (regularity)"},
    "k_wheat_morrison": {
        "de": "k nach Wheat-Morrison (Startwert der Suche)",
        "en": "k by Wheat-Morrison (start of the search)",
    },
    "k_search_customers": {
        "de": "Kunden der Stichprobe, an der k gewählt wurde",
        "en": "Customers of the sample k was chosen on",
    },
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
}

_T: Catalogue = {
    "fitted": {
        "de": "{model}, {n} Kunden, konvergiert: {converged}",
        "en": "{model}, {n} customers, converged: {converged}",
    },
    "replaces": {
        "de": "{model} statt {configured} ({reason}), {n} Kunden",
        "en": "{model} instead of {configured} ({reason}), {n} customers",
    },
    "not_converged": {
        "de": "{configured} ist nicht konvergiert",
        "en": "{configured} did not converge",
    },
    "near_limit": {
        "de": "{configured} lief gegen diesen Grenzfall, a + b = {ab}",
        "en": "{configured} ran into this limit, a + b = {ab}",
    },
    "with_k": {
        "de": "{model} mit k = {k} (Erlang-{k}-Abstände zwischen Käufen)",
        "en": "{model} with k = {k} (Erlang-{k} gaps between purchases)",
    },
    "selected": {
        "de": "{line}; automatisch gewählt nach dem Holdout-Fehler der letzten {holdout} "
        "vor dem Stichtag (MAE je Kunde: {scores})",
        "en": "{line}; chosen automatically by the holdout error of the last {holdout} before "
        "the reference date (MAE per customer: {scores})",
    },
    "failed": {"de": "nicht anpassbar", "en": "could not be fitted"},
}


def model_label(info: dict[str, Any], lang: str) -> str:
    """A fit's model for people, with k for the MBG/CNBD-k (a fit's or evaluation's dict)."""
    code = str(info.get("model", "?"))
    k = info.get("k", (info.get("params") or {}).get("k"))
    name = model_name(code, lang)
    return translate(_T, "with_k", lang, model=name, k=int(k)) if k is not None else name


def describe_selection(line: str, selection: dict[str, Any] | None, lang: str) -> str:
    """``line`` followed by how model auto chose, when it did."""
    if not selection:
        return line
    scores = ", ".join(
        f"{model_name(name, lang)} "
        + (translate(_T, "failed", lang) if mae is None else format_number(mae, lang, 3))
        for name, mae in selection.get("mae", {}).items()
    )
    return translate(_T, "selected", lang, line=line, holdout=selection["holdout"], scores=scores)


def model_name(code: str, lang: str) -> str:
    """A model's name for people (the code itself when it is unknown)."""
    return translate(MODEL_NAMES, code, lang) if code in MODEL_NAMES else code


def describe_fit(info: dict[str, Any], lang: str) -> str:
    """One line: the purchase model used, what it replaced and why, and how model auto chose
    it (a fit's ``to_dict``)."""
    model = model_label(info, lang)
    n = format_number(int(info.get("n_customers", 0)), lang)
    replaced = info.get("replaces")
    if not replaced:
        converged = translate(FIGURE_NAMES, "yes" if info.get("converged") else "no", lang)
        line = translate(_T, "fitted", lang, model=model, n=n, converged=converged)
        return describe_selection(line, info.get("selection"), lang)
    configured = model_label(replaced, lang)
    ab = float(replaced.get("a", 0.0)) + float(replaced.get("b", 0.0))
    reason_key = "near_limit" if replaced.get("reason") == "near_limit" else "not_converged"
    reason = translate(_T, reason_key, lang, configured=configured, ab=f"{ab:.3g}")
    line = translate(_T, "replaces", lang, model=model, configured=configured, reason=reason, n=n)
    return describe_selection(line, info.get("selection"), lang)
