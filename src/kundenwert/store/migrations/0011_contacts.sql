-- Contacts (seeds 001 and 003): the customer's people as the CRM exports them, the person an
-- activity was with, the register of erased persons (GDPR article 17), and the versioned
-- problem-solving chains.

CREATE TABLE contacts (
    contact_id  VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    department  VARCHAR,
    active      BOOLEAN,
    phone       VARCHAR,
    email       VARCHAR,
    batch_id    INTEGER NOT NULL
);

ALTER TABLE activities ADD COLUMN contact_id VARCHAR;

-- The register of erased persons: their CRM id (nothing else of them), so that the next
-- import refuses them. Not a hash: a CRM id is short enough to find from its hash by trying,
-- and the lookup stays a plain join on large activity files.
CREATE TABLE erased_contacts (
    contact_id  VARCHAR PRIMARY KEY,
    customer_id VARCHAR,
    erased_at   TIMESTAMP NOT NULL,
    erased_by   VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS chain_seq START 1;

-- Every save of a chain is a new version with the whole chain (who, when, why); the newest
-- version is the chain; a deleted chain's last version has action 'delete'.
CREATE TABLE chain_versions (
    chain_id   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    action     VARCHAR NOT NULL,    -- create | edit | delete | erase
    title      VARCHAR NOT NULL,
    document   JSON NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    reason     VARCHAR NOT NULL,
    PRIMARY KEY (chain_id, version)
);
