"""The forecast models' names as users read them, and one line on which model a fit used."""

from __future__ import annotations

from typing import Any

from kundenwert.i18n import Catalogue, format_number, translate

MODEL_NAMES: Catalogue = {
    "bgnbd": {"de": "BG/NBD", "en": "BG/NBD"},
    "pnbd": {"de": "Pareto/NBD", "en": "Pareto/NBD"},
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
}


def model_name(code: str, lang: str) -> str:
    """A model's name for people (the code itself when it is unknown)."""
    return translate(MODEL_NAMES, code, lang) if code in MODEL_NAMES else code


def describe_fit(info: dict[str, Any], lang: str) -> str:
    """One line: the purchase model used, and what it replaced and why (a fit's ``to_dict``)."""
    model = model_name(str(info.get("model", "?")), lang)
    n = format_number(int(info.get("n_customers", 0)), lang)
    replaced = info.get("replaces")
    if not replaced:
        converged = translate(FIGURE_NAMES, "yes" if info.get("converged") else "no", lang)
        return translate(_T, "fitted", lang, model=model, n=n, converged=converged)
    configured = model_name(str(replaced.get("model", "?")), lang)
    ab = float(replaced.get("a", 0.0)) + float(replaced.get("b", 0.0))
    reason_key = "near_limit" if replaced.get("reason") == "near_limit" else "not_converged"
    reason = translate(_T, reason_key, lang, configured=configured, ab=f"{ab:.3g}")
    return translate(_T, "replaces", lang, model=model, configured=configured, reason=reason, n=n)
