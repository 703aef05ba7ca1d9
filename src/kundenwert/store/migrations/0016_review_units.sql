-- The review per strategic business unit (issue 14.6, seed 000): one row per review,
-- customer and business unit that serves it (its own unit and every unit that booked an
-- invoice line for it in the window), computed by the same rules as review_customers over the
-- unit's lines and the unit's customers. business_unit '' is "without a business unit" (a
-- line and a customer that name none). Only inserted, never updated, like review_customers.
-- Numbered 0016: 0015 is taken by a branch landing in the same round.

CREATE TABLE review_units (
    review_id           INTEGER NOT NULL,
    customer_id         VARCHAR NOT NULL,
    business_unit       VARCHAR NOT NULL,
    home                BOOLEAN NOT NULL,   -- the customer's own unit (customers.business_unit)
    revenue             DECIMAL(18,4) NOT NULL,
    cogs                DECIMAL(18,4) NOT NULL,
    deductions          DECIMAL(18,4) NOT NULL,
    margin_1            DECIMAL(18,4) NOT NULL,
    margin_2            DECIMAL(18,4) NOT NULL,
    cost_to_serve       DECIMAL(18,4) NOT NULL,  -- the own unit's only (activities name no unit)
    margin_3            DECIMAL(18,4) NOT NULL,
    care_exceeds_margin BOOLEAN NOT NULL,
    margins_complete    BOOLEAN,
    uncosted_revenue    DECIMAL(18,4),
    abc_measure         DECIMAL(18,4) NOT NULL,
    abc_share_above     DOUBLE,
    abc_class           VARCHAR NOT NULL,
    value_score         DOUBLE,
    score_coverage      DOUBLE,
    score_class         VARCHAR,
    potential           DOUBLE,
    quadrant            VARCHAR NOT NULL,
    strategic           BOOLEAN NOT NULL,
    service_level       VARCHAR,
    -- element i belongs to indicator i of reviews.indicators (as review_customers.contribution)
    contribution        DOUBLE[] NOT NULL
);
