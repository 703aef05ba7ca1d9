"""Administering log-ins: disable and enable users, list and revoke API tokens.

A token is named by its id, the first 12 hex digits of its stored SHA-256 (the token itself
is never stored); it expires ``[web] token_days`` after it was made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kundenwert.errors import InputError, NotFoundError

ID_LENGTH = 12


def accounts(store) -> list[dict[str, Any]]:
    """Every user, active or not."""
    cur = store.con.execute("SELECT name, role, account_manager, active FROM users ORDER BY name")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def tokens(store, token_days: int) -> list[dict[str, Any]]:
    """Every API token with its user, state and expiry (never the token itself)."""
    cur = store.con.execute(
        f"SELECT left(t.token_hash, {ID_LENGTH}) AS token_id, u.name AS user, t.label, "
        "t.created_at, t.created_at + to_days(?) AS expires_at, t.revoked_at "
        "FROM api_tokens t JOIN users u USING (user_id) ORDER BY t.created_at DESC",
        [token_days],
    )
    names = [d[0] for d in cur.description]
    now = datetime.now()
    rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["state"] = (
            "revoked" if row["revoked_at"] else "expired" if row["expires_at"] <= now else "valid"
        )
    return rows


def revoke_token(store, token_id: str) -> None:
    """Revoke the token whose id is ``token_id``; it stops working at once."""
    if len(token_id) != ID_LENGTH or not all(c in "0123456789abcdef" for c in token_id):
        raise InputError(f"Ungültige Token-Kennung {token_id!r}.", hint="12 Hex-Ziffern.")
    changed = store.con.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE left(token_hash, ?) = ? "
        "AND revoked_at IS NULL RETURNING token_hash",
        [datetime.now(), ID_LENGTH, token_id],
    ).fetchall()
    if not changed:
        raise NotFoundError(
            f"Einen gültigen Token {token_id} gibt es nicht.", hint="Siehe die Token-Liste."
        )


def set_active(store, name: str, active: bool, *, by: str) -> None:
    """Disable (or enable again) a user; a disabled user's sessions end at once."""
    if not active and name == by:
        raise InputError(
            "Sie können sich nicht selbst sperren.", hint="Bitten Sie einen anderen Administrator."
        )
    row = store.con.execute("SELECT user_id FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        raise NotFoundError(f"Den Benutzer {name} gibt es nicht.", hint="Siehe die Benutzerliste.")
    store.con.execute("UPDATE users SET active = ? WHERE user_id = ?", [active, row[0]])
    if not active:
        store.con.execute("DELETE FROM web_sessions WHERE user_id = ?", [row[0]])
