-- The money at stake when a status was given (kundenwert.dynamics.status): a status holds
-- while the alert's or action's stake has not grown by more than the configured share since
-- (`dynamics.alerts.come_back_growth`) and for at most `dynamics.alerts.hold_days`. NULL on
-- statuses given before this column existed: those hold while their fingerprint is unchanged.
-- Numbered 0014: 0011 to 0013 are taken by branches landing in the same round.

ALTER TABLE list_status ADD COLUMN stake DOUBLE;
