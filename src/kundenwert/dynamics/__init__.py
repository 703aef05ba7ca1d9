"""Customer dynamics: value trajectories, relationship phases, review changes, alerts, actions.

Public API (imported lazily, so that reading the configuration does not load the engine):
:func:`analyse`, :func:`monthly_series`, :func:`classify_trajectories`, :func:`assign_phases`,
:func:`review_changes`, :func:`customer_surveys`.
"""

from __future__ import annotations

from kundenwert.lazy import lazy_exports

_EXPORTS = {
    "analyse": "result",
    "DynamicsResult": "result",
    "DynamicsSettings": "config",
    "monthly_series": "series",
    "SeriesMatrix": "series",
    "classify_trajectories": "trajectories",
    "assign_phases": "phases",
    "review_changes": "changes",
    "customer_surveys": "surveys",
}

__all__, __getattr__ = lazy_exports(__name__, _EXPORTS)
