-- The forecast in the review: per customer the potential's source and the forecast columns,
-- per review the fitted models (or why there is no forecast).

ALTER TABLE reviews ADD COLUMN forecast JSON;

ALTER TABLE review_customers ADD COLUMN potential_source VARCHAR;
ALTER TABLE review_customers ADD COLUMN expected_purchases DOUBLE;
ALTER TABLE review_customers ADD COLUMN p_alive DOUBLE;
ALTER TABLE review_customers ADD COLUMN expected_spend DOUBLE;
ALTER TABLE review_customers ADD COLUMN clv DOUBLE;
