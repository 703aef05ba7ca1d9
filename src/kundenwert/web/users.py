"""Users, roles, sessions and API tokens, stored in the database (migration 0005).

Passwords are hashed with Argon2id; session cookies and API tokens are random and only their
SHA-256 is stored, so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kundenwert.errors import InputError, NotFoundError
from kundenwert.reads.scope import EVERYONE, Scope

ROLES = ("admin", "manager", "account-manager", "viewer")
#: The password is the only factor: at least 15 characters (NIST SP 800-63B rev. 4, 3.1.1.2).
MIN_PASSWORD_LENGTH = 15
_HASHER = PasswordHasher()
# Verifying against this when the user does not exist keeps the answer time the same, so the
# time does not tell which user names exist.
_DUMMY_HASH = _HASHER.hash("kundenwert-dummy-password")


@dataclass(frozen=True)
class User:
    user_id: int
    name: str
    role: str
    account_manager: str | None = None

    @property
    def can_override(self) -> bool:
        return self.role in ("admin", "manager")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def own_customers_only(self) -> bool:
        return self.role == "account-manager"

    @property
    def scope(self) -> Scope:
        """The customers this user may see: an account manager's own, else everyone's."""
        if self.own_customers_only:
            return Scope(self.account_manager or self.name)
        return EVERYONE

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "account_manager": self.account_manager}


def login_name(name: str) -> str:
    """The one form of a log-in name: stored, checked and throttled as this (NFC, trimmed)."""
    return unicodedata.normalize("NFC", name).strip()


def check_password(password: str) -> None:
    """Refuse a password too short to be the only factor."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"Das Passwort ist zu kurz: {len(password)} Zeichen, "
            f"mindestens {MIN_PASSWORD_LENGTH} sind nötig.",
            hint=f"Wählen Sie ein Passwort mit mindestens {MIN_PASSWORD_LENGTH} Zeichen, "
            "z. B. einen Satz aus mehreren Wörtern.",
        )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_user(
    store,
    name: str,
    role: str,
    password: str,
    *,
    account_manager: str | None = None,
    replace: bool = False,
) -> User:
    """Create a user (or, with ``replace``, set a new role and password for an existing one)."""
    name = login_name(name)
    if not name:
        raise InputError("Ein Benutzer braucht einen Namen.", hint="Geben Sie NAME an.")
    if role not in ROLES:
        raise InputError(f"Unbekannte Rolle {role!r}.", hint=f"Erlaubt: {', '.join(ROLES)}.")
    check_password(password)
    con = store.con
    existing = con.execute("SELECT user_id FROM users WHERE name = ?", [name]).fetchone()
    hashed = _HASHER.hash(password)
    if existing and not replace:
        raise InputError(
            f"Den Benutzer {name} gibt es schon.",
            hint="Mit --replace setzen Sie Rolle und Passwort neu.",
        )
    if existing:
        con.execute(
            "UPDATE users SET role = ?, password_hash = ?, account_manager = ?, active = TRUE "
            "WHERE user_id = ?",
            [role, hashed, account_manager, existing[0]],
        )
        return User(int(existing[0]), name, role, account_manager)
    user_id = int(con.execute("SELECT nextval('user_seq')").fetchone()[0])
    con.execute(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, TRUE)",
        [user_id, name, role, hashed, account_manager, datetime.now()],
    )
    return User(user_id, name, role, account_manager)


def list_users(store) -> list[User]:
    rows = store.con.execute(
        "SELECT user_id, name, role, account_manager FROM users WHERE active ORDER BY name"
    ).fetchall()
    return [User(int(r[0]), r[1], r[2], r[3]) for r in rows]


def get_user(store, user_id: int) -> User:
    row = store.con.execute(
        "SELECT user_id, name, role, account_manager FROM users WHERE user_id = ? AND active",
        [user_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Benutzer {user_id} gibt es nicht.", hint="Melden Sie sich neu an.")
    return User(int(row[0]), row[1], row[2], row[3])


def authenticate(store, name: str, password: str) -> User | None:
    """The user when name (a :func:`login_name`) and password match, else None."""
    row = store.con.execute(
        "SELECT user_id, password_hash FROM users WHERE name = ? AND active", [name]
    ).fetchone()
    try:
        _HASHER.verify(row[1] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return get_user(store, int(row[0])) if row else None


def create_session(store, user: User, hours: int) -> tuple[str, str]:
    """A new session for ``user``: (cookie value, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now()
    store.con.execute("DELETE FROM web_sessions WHERE expires_at <= ?", [now])  # purge expired
    store.con.execute(
        "INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
        [_digest(token), user.user_id, csrf, now, now + timedelta(hours=hours)],
    )
    return token, csrf


def session_user(store, token: str) -> tuple[User, str] | None:
    """(user, CSRF token) of a valid session cookie, else None."""
    row = store.con.execute(
        "SELECT u.user_id, u.name, u.role, u.account_manager, s.csrf_token "
        "FROM web_sessions s JOIN users u USING (user_id) "
        "WHERE s.session_hash = ? AND s.expires_at > ? AND u.active",
        [_digest(token), datetime.now()],
    ).fetchone()
    if row is None:
        return None
    return User(int(row[0]), row[1], row[2], row[3]), row[4]


def end_session(store, token: str) -> None:
    store.con.execute("DELETE FROM web_sessions WHERE session_hash = ?", [_digest(token)])


def create_token(store, user_name: str, label: str | None = None) -> str:
    """A new API token for ``user_name``; shown once, only its hash is stored."""
    row = store.con.execute(
        "SELECT user_id FROM users WHERE name = ? AND active", [user_name]
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"Den Benutzer {user_name} gibt es nicht.",
            hint="Legen Sie ihn mit `kundenwert user add` an.",
        )
    token = "kw_" + secrets.token_urlsafe(32)
    store.con.execute(
        "INSERT INTO api_tokens VALUES (?, ?, ?, ?, NULL)",
        [_digest(token), int(row[0]), label, datetime.now()],
    )
    return token


def token_user(store, token: str, token_days: int = 365) -> User | None:
    """The user of a token that is neither revoked nor older than ``token_days``."""
    row = store.con.execute(
        "SELECT u.user_id, u.name, u.role, u.account_manager FROM api_tokens t "
        "JOIN users u USING (user_id) WHERE t.token_hash = ? AND t.revoked_at IS NULL "
        "AND t.created_at > ? AND u.active",
        [_digest(token), datetime.now() - timedelta(days=token_days)],
    ).fetchone()
    return User(int(row[0]), row[1], row[2], row[3]) if row else None
