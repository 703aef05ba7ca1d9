-- An import records its batch before it writes any row: first as 'running', in a transaction
-- of its own, then 'done' in the import's transaction. A killed import thus leaves a
-- 'running' batch (removed with its rows when the database is next opened for writing),
-- never rows without a batch (see kundenwert.store.consistency).

ALTER TABLE import_batches ADD COLUMN state VARCHAR DEFAULT 'done';
