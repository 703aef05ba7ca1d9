"""The public API of ``kundenwert``: every name in ``__all__`` is there, and importing the
package loads none of the engine."""

from __future__ import annotations

import subprocess
import sys

import kundenwert


def test_every_public_name_resolves():
    assert kundenwert.__all__[0] == "__version__"
    names = kundenwert.__all__[1:]
    assert names == sorted(names) and len(names) == len(set(names))
    for name in names:
        value = getattr(kundenwert, name)
        assert callable(value), name
        assert not name.startswith("_")


def test_unknown_names_are_refused():
    try:
        kundenwert.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_the_package_loads_no_engine():
    code = (
        "import sys, kundenwert, kundenwert.review, kundenwert.dynamics, kundenwert.web;"
        "print(sorted(m for m in ('ibis', 'scipy', 'fastapi') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
