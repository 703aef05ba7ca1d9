-- What was done about an alert or a next action: acknowledged, done or dismissed, with a note
-- (who, when, why) and the fingerprint of the facts it was given on (kundenwert.dynamics.status).
-- Rows are only ever added: the table is its own audit trail, and the current status of an
-- alert or action is the latest row of its (kind, customer_id, code). Numbered 0010 because
-- another branch ships a 0009.

CREATE SEQUENCE IF NOT EXISTS list_status_seq START 1;

CREATE TABLE list_status (
    status_id   INTEGER PRIMARY KEY,
    kind        VARCHAR NOT NULL CHECK (kind IN ('alert', 'action')),
    customer_id VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,    -- the alert or action code
    status      VARCHAR NOT NULL CHECK (status IN ('acknowledged', 'done', 'dismissed')),
    note        VARCHAR,             -- required for dismissed
    set_by      VARCHAR NOT NULL,
    set_at      TIMESTAMP NOT NULL,
    facts       VARCHAR NOT NULL     -- fingerprint of the facts the status was given on
);

CREATE INDEX list_status_key ON list_status (kind, customer_id, code);
