"""Customer dynamics: value trajectories, relationship phases, review changes, alerts, actions.

Public API (imported lazily, so that reading the configuration does not load the engine):
:func:`analyse`, :func:`monthly_series`, :func:`classify_trajectories`, :func:`assign_phases`,
:func:`review_changes`, :func:`customer_surveys`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

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

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
