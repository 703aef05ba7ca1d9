"""What the running application holds: the store, the settings, caches, limits, jobs."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kundenwert.reads.snapshot import Snapshot, enrich, latest_review_id, with_dynamics
from kundenwert.settings import Settings
from kundenwert.store import Store
from kundenwert.web.dynamics import DynamicsCache
from kundenwert.web.throttle import LoginThrottle


class RequestStore(Store):
    """A store on a request's own cursor: DuckDB connections are not shared across threads."""

    def close(self) -> None:
        self.con.close()


class ReviewCache:
    """Each review's :class:`Snapshot`, rebuilt when data changed.

    Computing the effective values of 100,000 customers takes longer than a page may, so it
    happens once per review, day and data generation; every write through the application
    (override, import, review, settings) starts a new generation.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshots: dict[tuple[int, date, int], Snapshot] = {}
        self.generation = 0

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1
            self._snapshots.clear()

    def get(self, store: Store, review_id: int) -> Snapshot:
        from kundenwert.review import load_review

        key = (review_id, date.today(), self.generation)
        with self._lock:
            snap = self._snapshots.get(key)
            if snap is None:
                loaded = load_review(store, review_id)
                snap = Snapshot(enrich(store.con, loaded.customers), store.con)
                # Keep a few reviews (comparisons); older snapshots go with the garbage.
                self._snapshots = {key: snap, **dict(list(self._snapshots.items())[:3])}
            return snap


class SessionCache:
    """Valid sessions remembered for a few seconds: every page asks, the answer rarely changes.

    Only valid sessions are remembered, and log-out forgets at once; an expiry or a disabled
    user takes effect after at most ``seconds``.
    """

    def __init__(self, seconds: float = 30.0) -> None:
        self.seconds = seconds
        self._known: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, token: str, lookup) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._known.get(token)
        if hit and now - hit[0] < self.seconds:
            return hit[1]
        found = lookup()
        with self._lock:
            if found is None:
                self._known.pop(token, None)
            else:
                if len(self._known) > 10000:
                    self._known.clear()
                self._known[token] = (now, found)
        return found

    def clear(self) -> None:
        """Forget every session: after a user was disabled, each is checked again."""
        with self._lock:
            self._known.clear()

    def forget(self, token: str) -> None:
        with self._lock:
            self._known.pop(token, None)


@dataclass
class Job:
    """A review running in the background, for the progress indicator."""

    job_id: int
    as_of: date
    started_by: str
    started_at: datetime = field(default_factory=datetime.now)
    status: str = "running"  # running | done | failed
    step: str | None = None  # the review step under way (kundenwert.review.REVIEW_STEPS)
    step_no: int = 0
    steps: int = 0
    review_id: int | None = None
    error: str | None = None
    finished_at: datetime | None = None


class AppState:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.file_settings = settings
        self.cache = ReviewCache()
        self.dynamics = DynamicsCache()
        self.sessions = SessionCache()
        web = settings.web
        self.limiter = LoginThrottle(
            web.login_attempts, web.login_attempts_per_address, web.login_max_delay_seconds
        )
        self.jobs: dict[int, Job] = {}
        # The secret of the local control file (web/control.py), set by `serve`: the CLI's
        # way to administer users and tokens while the server holds the database.
        self.local_secret: str | None = None
        self.control_db: str | Path | None = None  # whose control file to remove at shutdown
        self.write_lock = threading.Lock()
        self._settings: Any = None  # ResolvedSettings, once read
        self._threads: list[threading.Thread] = []
        self._latest: tuple[int, int | None] | None = None

    def spawn(self, target: Any, name: str) -> None:
        """Run ``target`` in a background thread that :meth:`shutdown` waits for."""
        thread = threading.Thread(target=target, daemon=True, name=name)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def shutdown(self, timeout: float = 120.0) -> None:
        """Wait for background work: the database must not close under a running query."""
        for thread in list(self._threads):
            thread.join(timeout)

    def cursor(self) -> RequestStore:
        return RequestStore(self.store.con.cursor(), self.store.path)

    @property
    def settings(self) -> Settings:
        """The settings in the library's one order (kundenwert.settings_source): the
        configuration file, the sections edited in the browser from the latest version."""
        return self.resolved_settings.settings

    @property
    def resolved_settings(self):
        if self._settings is None:
            from kundenwert.settings_source import resolve_settings

            cur = self.cursor()
            try:
                self._settings = resolve_settings(cur, self.file_settings)
            finally:
                cur.close()
        return self._settings

    def _dynamics_key(self, review_id: int) -> tuple:
        return (review_id, date.today(), self.cache.generation)

    def dynamics_result(self, review_id: int) -> Snapshot | None:
        """The review's snapshot with trajectories, phases, alerts and actions, when computed."""

        def compute() -> Snapshot:
            from kundenwert.dynamics import analyse

            cur = self.cursor()
            try:
                base = self.cache.get(cur, review_id)
                result = analyse(cur, self.settings, review_id=review_id, today=date.today())
                merged = with_dynamics(base.table, result, self.settings.language)
                return Snapshot(
                    merged, cur.con, alerts=result.alerts, actions=result.actions, dynamics=result
                )
            finally:
                cur.close()

        return self.dynamics.get(self._dynamics_key(review_id), compute, self.spawn)

    def review_table(self, store: Store, review_id: int) -> Snapshot:
        """A review's snapshot, with trajectories, phases and alerts once they are known."""
        return self.dynamics_result(review_id) or self.cache.get(store, review_id)

    def latest_review(self, store: Store) -> int | None:
        """The newest review's id (remembered until the application changes data)."""
        key = self.cache.generation
        if self._latest is None or self._latest[0] != key:
            self._latest = (key, latest_review_id(store))
        return self._latest[1]

    def changed(self, *, settings: bool = False) -> None:
        if settings:
            self._settings = None
        self.cache.invalidate()

    def start_job(self, as_of: date, by: str, runner: Any) -> Job:
        job = Job(len(self.jobs) + 1, as_of, by)
        self.jobs[job.job_id] = job

        def work() -> None:
            cur = self.cursor()
            try:
                job.review_id = runner(cur, job)
                job.status = "done"
            except Exception as exc:  # reported on the page, not lost in a thread
                job.status, job.error = "failed", str(exc)
            finally:
                cur.close()
                job.finished_at = datetime.now()
                self.changed()

        self.spawn(work, f"review-{job.job_id}")
        return job
