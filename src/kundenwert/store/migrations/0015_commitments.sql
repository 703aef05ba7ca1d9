-- Every service commitment measured (issue 14 item 7): who started a contact (a callback
-- request of the customer, or our proactive contact), and the optional survey of importance
-- and performance per service dimension (kundenwert.commitments).
-- Numbered 0015: the number assigned to this branch in its round.

ALTER TABLE activities ADD COLUMN initiated_by VARCHAR;

CREATE TABLE survey_dimensions (
    customer_id VARCHAR NOT NULL,
    date        DATE NOT NULL,
    dimension   VARCHAR NOT NULL,
    importance  DOUBLE NOT NULL,
    performance DOUBLE NOT NULL,
    batch_id    INTEGER NOT NULL
);
