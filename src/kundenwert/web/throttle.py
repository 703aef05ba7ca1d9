"""Slowing down failed log-ins: growing delays, never a long lock-out (OWASP throttling).

Failures are counted per log-in name (normalised by :func:`kundenwert.web.users.login_name`,
the same form the password check uses) and per client address. After ``attempts`` failures
of a name (``per_address`` of an address) each further try must wait, 1 s after the first,
then 2, 4, 8 ... seconds, at most ``max_delay``. Nobody can lock a user out for longer than
that; a success forgets the name's failures (not the address's). At most ``max_entries``
names and addresses are remembered.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    def __init__(
        self,
        attempts: int,
        per_address: int,
        max_delay: float,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self.attempts, self.per_address, self.max_delay = attempts, per_address, max_delay
        self.clock = clock
        # Failures are forgotten when none came for this long.
        self.forget_after = max(900.0, 4 * max_delay)
        # Bounded: names never tried again cannot fill the memory; the oldest go first.
        self.max_entries = max_entries
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def _keys(self, name: str, address: str) -> tuple[tuple[tuple[str, str], int], ...]:
        return (("name", name), self.attempts), (("address", address), self.per_address)

    def _delay(self, failures: _Failures, free: int) -> float:
        if failures.count < free:
            return 0.0
        return min(2.0 ** (failures.count - free), self.max_delay)

    def _current(self, key: tuple[str, str], now: float) -> _Failures | None:
        found = self._failures.get(key)
        if found is not None and now - found.last > self.forget_after:
            del self._failures[key]
            return None
        return found

    def wait(self, name: str, address: str) -> float:
        """Seconds until ``name`` may try again from ``address`` (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [
                f.last + self._delay(f, free) - now
                for key, free in self._keys(name, address)
                if (f := self._current(key, now)) is not None
            ]
        return max([0.0, *waits])

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(name, address):
                found = self._current(key, now)
                count = found.count + 1 if found else 1
                self._failures[key] = _Failures(count, now)
                self._failures.move_to_end(key)
            while len(self._failures) > self.max_entries:
                self._failures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._failures)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop(("name", name), None)
