-- The forecast's validation per customer: purchases in the holdout, actual and predicted.

ALTER TABLE review_customers ADD COLUMN holdout_actual DOUBLE;
ALTER TABLE review_customers ADD COLUMN holdout_predicted DOUBLE;
