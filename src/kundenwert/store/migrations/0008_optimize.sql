-- Store maintenance: each `kundenwert optimize` run, which rewrites invoices and activities
-- sorted by customer and date (see kundenwert.store.maintenance). `status` compares the last
-- run's batch with the newer imports.

CREATE SEQUENCE IF NOT EXISTS optimize_seq START 1;

CREATE TABLE optimize_runs (
    run_id        INTEGER PRIMARY KEY,
    finished_at   TIMESTAMP NOT NULL,
    last_batch_id INTEGER NOT NULL,   -- import batches up to this one were rewritten
    rows          BIGINT NOT NULL     -- rows rewritten, all tables
);
