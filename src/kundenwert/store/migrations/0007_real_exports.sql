-- Real exports: credit notes marked and linked to the invoice they cancel; lines without a
-- customer kept aside (not lost) as unassigned revenue; reviews report that revenue.

ALTER TABLE invoices ADD COLUMN credit_note BOOLEAN;
ALTER TABLE invoices ADD COLUMN credit_for VARCHAR;

CREATE TABLE unassigned_invoices (
    invoice_id    VARCHAR NOT NULL,
    line_no       INTEGER,
    customer_id   VARCHAR,
    date          DATE NOT NULL,
    amount        DECIMAL(18,4) NOT NULL,
    cost          DECIMAL(18,4),
    deductions    DECIMAL(18,4),
    category      VARCHAR,
    product       VARCHAR,
    business_unit VARCHAR,
    batch_id      INTEGER NOT NULL,
    credit_note   BOOLEAN,
    credit_for    VARCHAR
);

ALTER TABLE reviews ADD COLUMN unassigned_revenue DECIMAL(18,4);
ALTER TABLE reviews ADD COLUMN unassigned_lines BIGINT;
