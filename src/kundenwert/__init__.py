"""kundenwert: customer value management for B2B companies.

The public API, imported on first use (``import kundenwert`` stays light)::

    from kundenwert import open_store, load_settings, import_path, run_review, open_frame

Store and settings, import, review, forecast, dynamics, the one read API (the CLI, the web and
the API ask it), exports and the web application. Everything else is internal and may change.
"""

from kundenwert.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # store and settings
    "open_store": "kundenwert.store",
    "Settings": "kundenwert.settings",
    "load_settings": "kundenwert.settings",
    "settings_from_dict": "kundenwert.settings",
    "resolve_settings": "kundenwert.settings_source",
    "KundenwertError": "kundenwert.errors",
    # import
    "import_path": "kundenwert.importing",
    # review
    "run_review": "kundenwert.review",
    "load_review": "kundenwert.review",
    "list_reviews": "kundenwert.review",
    "export_review": "kundenwert.review",
    "set_override": "kundenwert.review",
    "end_override": "kundenwert.review",
    "list_overrides": "kundenwert.review",
    "customer_commitment": "kundenwert.review",
    # forecast
    "customer_forecast": "kundenwert.forecast",
    "evaluate_holdout": "kundenwert.forecast",
    # dynamics
    "analyse": "kundenwert.dynamics",
    "customer_surveys": "kundenwert.dynamics",
    # reads
    "CustomerQuery": "kundenwert.reads",
    "Scope": "kundenwert.reads",
    "open_frame": "kundenwert.reads",
    "review_changes": "kundenwert.reads",
    "monthly_history": "kundenwert.reads",
    "service_commitments": "kundenwert.reads",
    # exports and the web
    "export_full": "kundenwert.reporting",
    "create_app": "kundenwert.web",
}

_names, __getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = ["__version__", *_names]
