"""The web application and REST API: a thin layer over the library.

Public API (imported lazily so that reading the configuration does not load FastAPI):
:func:`create_app`, :func:`serve`, and the user functions of :mod:`kundenwert.web.users`.
"""

from __future__ import annotations

from kundenwert.lazy import lazy_exports

_EXPORTS = {
    "create_app": "kundenwert.web.app",
    "serve": "kundenwert.web.app",
    "add_user": "kundenwert.web.users",
    "create_token": "kundenwert.web.users",
    "WebSettings": "kundenwert.web.config",
}

__all__, __getattr__ = lazy_exports(__name__, _EXPORTS)
