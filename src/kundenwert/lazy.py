"""Lazy package exports: a package names its public functions without importing their modules.

Reading the configuration must not load the engine (Ibis, SciPy, FastAPI), so the packages'
``__init__`` modules export by name and import on first use. Written once here for every
package that does so.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[list[str], Callable[[str], Any]]:
    """``(__all__, __getattr__)`` for ``package``; ``exports`` maps a name to its module, given
    in full or relative to the package (``"result"`` for ``package.result``)."""

    def module_of(name: str) -> str:
        where = exports[name]
        return where if where.startswith("kundenwert") else f"{package}.{where}"

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(module_of(name)), name)

    return sorted(exports), __getattr__
