-- The web application: users with roles, server-side sessions (with their CSRF token),
-- API tokens for integrations, and versioned settings edited in the browser.

CREATE SEQUENCE IF NOT EXISTS user_seq START 1;
CREATE SEQUENCE IF NOT EXISTS settings_version_seq START 1;

CREATE TABLE users (
    user_id         INTEGER PRIMARY KEY,
    name            VARCHAR NOT NULL UNIQUE,
    role            VARCHAR NOT NULL,      -- admin | manager | account-manager | viewer
    password_hash   VARCHAR NOT NULL,
    account_manager VARCHAR,               -- the name in customers.account_manager, if not `name`
    created_at      TIMESTAMP NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE web_sessions (
    session_hash VARCHAR PRIMARY KEY,      -- SHA-256 of the cookie value, never the value itself
    user_id      INTEGER NOT NULL,
    csrf_token   VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    token_hash   VARCHAR PRIMARY KEY,      -- SHA-256 of the token
    user_id      INTEGER NOT NULL,
    label        VARCHAR,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);

CREATE TABLE settings_versions (
    version_id    INTEGER PRIMARY KEY,
    created_at    TIMESTAMP NOT NULL,
    created_by    VARCHAR NOT NULL,
    comment       VARCHAR,
    settings_json VARCHAR NOT NULL         -- the whole validated configuration
);
