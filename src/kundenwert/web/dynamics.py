"""Trajectories, phases, alerts and actions for the pages, when the dynamics module has them.

The analysis covers every customer and takes longer than a page may, so it runs once per
review and data generation in a background thread. Until it has finished (or when the module
or its data are missing) the pages simply leave those sections out: nothing is guessed.
"""

from __future__ import annotations

import logging
import threading
from importlib import util
from typing import Any

log = logging.getLogger(__name__)


def module_available() -> bool:
    return util.find_spec("kundenwert.dynamics") is not None


class DynamicsCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[tuple, Any] = {}
        self._running: set[tuple] = set()
        self.errors: dict[tuple, str] = {}

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def get(self, key: tuple, compute, spawn) -> Any | None:
        """The result for ``key`` when ready; else start computing it and return None."""
        with self._lock:
            if key in self._results:
                return self._results[key]
            if key in self._running or key in self.errors or not module_available():
                return None
            self._running.add(key)

        def work() -> None:
            try:
                result = compute()
            except Exception as exc:  # an unfinished or failing analysis hides the sections
                log.warning("dynamics unavailable: %s", exc)
                with self._lock:
                    self.errors[key] = str(exc)
                    self._running.discard(key)
                return
            with self._lock:
                self._results = {key: result}
                self._running.discard(key)

        spawn(work, "dynamics")
        return None

    def wait(self, key: tuple, timeout: float = 60.0) -> None:
        """For tests and the benchmark: block until ``key`` is computed (or failed)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if key in self._results or key in self.errors or key not in self._running:
                    return
            time.sleep(0.05)
