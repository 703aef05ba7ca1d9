-- Initial schema: the six input tables of docs/data-format.md, import batches and rejected rows.
-- Every data row records the import batch that stored it last (batch_id).

CREATE SEQUENCE IF NOT EXISTS import_batch_seq START 1;

CREATE TABLE import_batches (
    batch_id      INTEGER PRIMARY KEY,
    table_name    VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    file_path     VARCHAR NOT NULL,
    file_format   VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    mapping_hash  VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP NOT NULL,
    rows_read     BIGINT NOT NULL,
    rows_inserted BIGINT NOT NULL,
    rows_updated  BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    kundenwert_version VARCHAR NOT NULL
);

CREATE TABLE rejected_rows (
    batch_id   INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    file_name  VARCHAR NOT NULL,
    line_no    BIGINT NOT NULL,
    field      VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,
    record     JSON NOT NULL
);

CREATE TABLE customers (
    customer_id     VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    business_unit   VARCHAR,
    account_manager VARCHAR,
    industry        VARCHAR,
    country         VARCHAR,
    postal_code     VARCHAR,
    city            VARCHAR,
    customer_since  DATE,
    batch_id        INTEGER NOT NULL
);

CREATE TABLE invoices (
    invoice_id    VARCHAR NOT NULL,
    line_no       INTEGER,
    customer_id   VARCHAR NOT NULL,
    date          DATE NOT NULL,
    amount        DECIMAL(18,4) NOT NULL,
    cost          DECIMAL(18,4),
    deductions    DECIMAL(18,4),
    category      VARCHAR,
    product       VARCHAR,
    business_unit VARCHAR,
    batch_id      INTEGER NOT NULL
);

CREATE TABLE installed_base (
    customer_id  VARCHAR NOT NULL,
    machine_id   VARCHAR NOT NULL,
    model        VARCHAR,
    value        DECIMAL(18,4),
    installed_on DATE,
    batch_id     INTEGER NOT NULL
);

CREATE TABLE activities (
    activity_id    VARCHAR NOT NULL,
    customer_id    VARCHAR NOT NULL,
    date           DATE NOT NULL,
    kind           VARCHAR NOT NULL,
    hours          DOUBLE,
    cost           DECIMAL(18,4),
    free_of_charge BOOLEAN,
    requested_at   TIMESTAMP,
    responded_at   TIMESTAMP,
    performed_by   VARCHAR,
    description    VARCHAR,
    batch_id       INTEGER NOT NULL
);

CREATE TABLE ratings (
    customer_id VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    date        DATE NOT NULL,
    rated_by    VARCHAR,
    comment     VARCHAR,
    batch_id    INTEGER NOT NULL
);

CREATE TABLE surveys (
    customer_id        VARCHAR NOT NULL,
    date               DATE NOT NULL,
    satisfaction       DOUBLE,
    recommend          DOUBLE,
    why_chosen         VARCHAR,
    early_hesitation   VARCHAR,
    would_miss         VARCHAR,
    would_recommend_to VARCHAR,
    comment            VARCHAR,
    batch_id           INTEGER NOT NULL
);
