-- Reviews (immutable snapshots) with their per-customer results and score contributions,
-- and the overrides of class, quadrant or service level with their audit trail.

CREATE SEQUENCE IF NOT EXISTS review_seq START 1;
CREATE SEQUENCE IF NOT EXISTS override_seq START 1;
CREATE SEQUENCE IF NOT EXISTS override_audit_seq START 1;

CREATE TABLE reviews (
    review_id          INTEGER PRIMARY KEY,
    as_of              DATE NOT NULL,
    window_months      INTEGER NOT NULL,
    window_start       DATE NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    created_by         VARCHAR,
    config_json        VARCHAR NOT NULL,
    config_hash        VARCHAR NOT NULL,
    indicators         JSON NOT NULL,      -- score indicators, the order of the lists below
    batches_seen       JSON NOT NULL,
    splits             JSON NOT NULL,
    customer_count     BIGINT NOT NULL,
    kundenwert_version VARCHAR NOT NULL
);

CREATE TABLE review_customers (
    review_id            INTEGER NOT NULL,
    customer_id          VARCHAR NOT NULL,
    name                 VARCHAR,
    business_unit        VARCHAR,
    revenue              DECIMAL(18,4) NOT NULL,
    cogs                 DECIMAL(18,4) NOT NULL,
    deductions           DECIMAL(18,4) NOT NULL,
    margin_1             DECIMAL(18,4) NOT NULL,
    margin_2             DECIMAL(18,4) NOT NULL,
    cost_to_serve        DECIMAL(18,4) NOT NULL,
    goodwill_cost        DECIMAL(18,4) NOT NULL,
    margin_3             DECIMAL(18,4) NOT NULL,
    care_exceeds_margin  BOOLEAN NOT NULL,
    activity_count       BIGINT NOT NULL,
    abc_measure          DECIMAL(18,4) NOT NULL,
    abc_share_above      DOUBLE,
    abc_class            VARCHAR NOT NULL,
    value_score          DOUBLE NOT NULL,
    potential            DOUBLE,
    quadrant             VARCHAR NOT NULL,
    strategic            BOOLEAN NOT NULL,
    service_level_mapped VARCHAR NOT NULL,
    service_level        VARCHAR NOT NULL,
    -- The value score explained: element i of each list belongs to indicator i of
    -- reviews.indicators (lists, not a row per indicator: a million customers stay a
    -- million rows).
    raw_value            DOUBLE[] NOT NULL,
    normalised           DOUBLE[] NOT NULL,
    weight_share         DOUBLE[] NOT NULL,
    contribution         DOUBLE[] NOT NULL,
    missing              BOOLEAN[] NOT NULL
);

CREATE TABLE overrides (
    override_id INTEGER PRIMARY KEY,
    customer_id VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,   -- service_level | quadrant | abc_class
    value       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    created_by  VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    valid_until DATE,
    ended_at    TIMESTAMP,
    ended_by    VARCHAR,
    end_reason  VARCHAR
);

CREATE TABLE override_audit (
    audit_id    INTEGER PRIMARY KEY,
    override_id INTEGER NOT NULL,
    customer_id VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,   -- set | replace | end
    old_value   VARCHAR,
    new_value   VARCHAR,
    reason      VARCHAR,
    changed_by  VARCHAR NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);
