"""The running server's local control file: how the CLI reaches a database that ``serve`` holds.

DuckDB lets one process write a database file. While ``kundenwert serve`` runs, the command
line cannot open it, yet an administrator must still be able to disable a user or revoke a
token at once. The server therefore writes ``<database>.server.json`` next to the database
(readable by its owner only, like the database itself): its address, process id and a random
secret. The CLI, finding the database busy, sends the same request the web's administrators
send, authenticated with that secret; the server accepts the secret as the local
administrator ("lokale Verwaltung"). The file is removed when the server stops; a file left by
a process that no longer runs is ignored.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from kundenwert.errors import InputError, NotFoundError, StoreError

PREFIX = "local:"  # the bearer token's prefix that marks the local secret
LOCAL_ADMIN = "lokale Verwaltung"


def control_path(db: str | Path) -> Path:
    return Path(f"{db}.server.json")


def publish(db: str | Path, url: str) -> str:
    """Write the control file for the server at ``url``; returns its secret."""
    secret = secrets.token_urlsafe(32)
    path = control_path(db)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"url": url, "pid": os.getpid(), "secret": secret}, out)
    return secret


def withdraw(db: str | Path) -> None:
    control_path(db).unlink(missing_ok=True)


def running(db: str | Path) -> dict[str, Any] | None:
    """The control file of a server that still runs, or None."""
    try:
        info = json.loads(control_path(db).read_text("utf-8"))
        os.kill(int(info["pid"]), 0)  # signal 0: does the process exist?
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info


def call(db: str | Path, method: str, path: str) -> dict[str, Any]:
    """Send ``method path`` (under /api/v1) to the server that holds ``db``, as the local
    administrator; its JSON answer, or its error as a KundenwertError."""
    info = running(db)
    if info is None:
        raise StoreError(
            f"Die Datenbank {db} ist geöffnet, aber kein laufender `kundenwert serve` dafür "
            "gefunden.",
            hint="Beenden Sie den Prozess, der die Datenbank hält, und versuchen Sie es erneut.",
        )
    request = urllib.request.Request(
        info["url"].rstrip("/") + "/api/v1" + path,
        method=method,
        headers={"Authorization": f"Bearer {PREFIX}{info['secret']}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read().decode("utf-8") or "{}")
        kind = {404: NotFoundError, 400: InputError, 422: InputError}.get(exc.code, StoreError)
        raise kind(body.get("message", str(exc)), hint=body.get("hint")) from exc
    except urllib.error.URLError as exc:
        raise StoreError(
            f"Der Server {info['url']} antwortet nicht: {exc.reason}",
            hint="Läuft `kundenwert serve` noch?",
        ) from exc
