-- The review's rules on real data (issue 14): margins built on missing inputs marked per
-- customer, the value score's coverage (no score below the minimum: value_score may be empty),
-- the potential's coverage, and the score class.

ALTER TABLE review_customers ALTER COLUMN value_score DROP NOT NULL;

ALTER TABLE review_customers ADD COLUMN margins_complete BOOLEAN;
ALTER TABLE review_customers ADD COLUMN uncosted_revenue DECIMAL(18,4);
ALTER TABLE review_customers ADD COLUMN uncosted_activities BIGINT;
ALTER TABLE review_customers ADD COLUMN score_coverage DOUBLE;
ALTER TABLE review_customers ADD COLUMN potential_coverage DOUBLE;
ALTER TABLE review_customers ADD COLUMN score_class VARCHAR;

-- Overrides (issue 14.8, 14.9): the strategic flag is a field like the others; a service level
-- the customer buys is an override of kind 'purchased' with its cost-sharing note.
ALTER TABLE overrides ADD COLUMN kind VARCHAR DEFAULT 'exception';
ALTER TABLE overrides ADD COLUMN note VARCHAR;
