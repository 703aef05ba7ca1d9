-- The review's floor (issue 16.3): what `kundenwert review` computes, written by hand in DuckDB
-- SQL, for benchmarks/bench_review.py. It computes the same window aggregates, margins I-III,
-- value score (with its coverage), score class, potential, ABC class, quadrant and service level
-- per customer and writes them into the table review_floor; bench_review.py checks them equal
-- to the review's own snapshot (review_customers) and divides the review's time by this one's.
--
-- Specific to the benchmark: the review's default settings without the forecast
-- (review.potential.source = "ratings", forecast_columns = false), as of 2025-12-31 with a
-- 12-month window (2025-01-01 to 2025-12-31), review.margins.cost_per_hour unset, and the
-- default indicators, weights (business unit "Service & Teile" and "default"), caps (95 %
-- quantile of the positive values), minimum coverage 0.5, score classes (quantiles 0.9 and
-- 0.7), ABC cut-offs (80 % and 95 % of revenue), matrix split (revenue axis by ABC class A/B,
-- potential axis at the median of the positive potentials) and service rules (by score
-- class; without a score by ABC class; strategic customers lifted from standard to plus).
-- The rules themselves live in src/kundenwert/review/ (inputs, margins, score, score_classes,
-- abc, matrix, service, forecasting.with_potential); a change of a default there shows up as a
-- difference in bench_review.py's check.

-- Row order in the snapshot carries no meaning (the review writes it in any order too).
SET preserve_insertion_order = false;

-- Stage 1: one row per customer with the window's sums and every indicator's raw value.
CREATE OR REPLACE TEMP TABLE floor_base AS
WITH inv AS (
    SELECT customer_id,
           sum(amount) AS revenue,
           sum(cost) AS cogs,
           sum(deductions) AS deductions,
           count(*) FILTER (WHERE cost IS NULL AND amount <> 0) AS uncosted_lines,
           sum(amount) FILTER (WHERE category IN ('service')) AS service_revenue
    FROM invoices
    WHERE date >= DATE '2025-01-01' AND date <= DATE '2025-12-31'
    GROUP BY customer_id
), act AS (
    SELECT customer_id,
           sum(coalesce(cost, 0)) AS cost_to_serve,
           sum(coalesce(cost, 0)) FILTER (WHERE kind = 'goodwill'
                                          OR coalesce(free_of_charge, false)) AS goodwill_cost,
           count(*) AS activity_count,
           count(*) FILTER (WHERE cost IS NULL AND coalesce(hours, 0) > 0) AS uncosted_activities
    FROM activities
    WHERE date >= DATE '2025-01-01' AND date <= DATE '2025-12-31'
    GROUP BY customer_id
), machines AS (
    SELECT customer_id, sum(value)::DOUBLE AS machine_volume
    FROM installed_base
    WHERE installed_on IS NULL OR installed_on <= DATE '2025-12-31'
    GROUP BY customer_id
), rated AS (  -- the latest rating on or before the as-of date
    SELECT customer_id,
           first(value ORDER BY date DESC) FILTER (WHERE indicator = 'new_business_potential')
               AS new_business_potential,
           first(value ORDER BY date DESC) FILTER (WHERE indicator = 'service_potential')
               AS service_potential,
           first(value ORDER BY date DESC) FILTER (WHERE indicator = 'reference_value')
               AS reference_value,
           first(value ORDER BY date DESC) FILTER (WHERE indicator = 'relationship_quality')
               AS relationship_quality,
           first(value ORDER BY date DESC) FILTER (WHERE indicator = 'strategic_importance')
               AS strategic_importance
    FROM ratings
    WHERE date <= DATE '2025-12-31'
      AND indicator IN ('new_business_potential', 'reference_value', 'relationship_quality',
                        'service_potential', 'strategic_importance')
    GROUP BY customer_id
)
SELECT c.customer_id, c.name, c.business_unit,
       coalesce(inv.revenue::DECIMAL(18, 4), 0::DECIMAL(18, 4)) AS revenue,
       coalesce(inv.cogs::DECIMAL(18, 4), 0::DECIMAL(18, 4)) AS cogs,
       coalesce(inv.deductions::DECIMAL(18, 4), 0::DECIMAL(18, 4)) AS deductions,
       coalesce(act.cost_to_serve::DECIMAL(18, 4), 0::DECIMAL(18, 4)) AS cost_to_serve,
       coalesce(act.goodwill_cost::DECIMAL(18, 4), 0::DECIMAL(18, 4)) AS goodwill_cost,
       coalesce(act.activity_count, 0) AS activity_count,
       coalesce(inv.uncosted_lines, 0) = 0
           AND coalesce(act.uncosted_activities, 0) = 0 AS margins_complete,
       coalesce(machines.machine_volume, 0.0) AS machine_volume,
       coalesce(inv.service_revenue::DOUBLE, 0.0) AS service_revenue,
       rated.new_business_potential, rated.service_potential, rated.reference_value,
       rated.relationship_quality, rated.strategic_importance,
       -- location: points by the longest matching prefix of the country; empty is unknown
       CASE WHEN nullif(upper(trim(c.country)), '') IS NULL THEN NULL
            WHEN starts_with(upper(trim(c.country)), 'DE') THEN 100.0
            WHEN starts_with(upper(trim(c.country)), 'AT') THEN 80.0
            WHEN starts_with(upper(trim(c.country)), 'CH') THEN 80.0
            ELSE 40.0 END::DOUBLE AS location
FROM customers AS c
LEFT JOIN inv USING (customer_id)
LEFT JOIN act USING (customer_id)
LEFT JOIN machines USING (customer_id)
LEFT JOIN rated USING (customer_id)
WHERE c.customer_since IS NULL OR c.customer_since <= DATE '2025-12-31';

-- Stage 2: normalised indicators (money capped at the 95 % quantile of the positive values,
-- ratings linear on 0..10, unknown stays unknown), the configured weight shares, coverage,
-- the re-weighted score and the potential (the mean of the known potential ratings).
CREATE OR REPLACE TEMP TABLE floor_scored AS
WITH caps AS (
    SELECT quantile_cont(machine_volume, 0.95) FILTER (WHERE machine_volume > 0) AS machines,
           quantile_cont(service_revenue, 0.95) FILTER (WHERE service_revenue > 0) AS service
    FROM floor_base
), normalised AS (
    SELECT b.*,
           CASE WHEN caps.machines IS NULL OR caps.machines <= 0 THEN 0.0
                ELSE least(greatest(b.machine_volume, 0.0) / caps.machines, 1.0) * 100.0
           END AS n1,
           least(greatest(b.new_business_potential / 10.0, 0.0), 1.0) * 100.0 AS n2,
           least(greatest(b.service_potential / 10.0, 0.0), 1.0) * 100.0 AS n3,
           CASE WHEN caps.service IS NULL OR caps.service <= 0 THEN 0.0
                ELSE least(greatest(b.service_revenue, 0.0) / caps.service, 1.0) * 100.0
           END AS n4,
           least(greatest(b.reference_value / 10.0, 0.0), 1.0) * 100.0 AS n5,
           least(greatest(b.location, 0.0), 100.0) AS n6,
           least(greatest(b.relationship_quality / 10.0, 0.0), 1.0) * 100.0 AS n7,
           b.business_unit IS NOT DISTINCT FROM 'Service & Teile' AS unit
    FROM floor_base AS b, caps
), weighted AS (
    SELECT *,
           -- GREATEST/LEAST skip NULLs in DuckDB: an unknown input is put back to NULL here
           CASE WHEN new_business_potential IS NULL THEN NULL ELSE n2 END AS v2,
           CASE WHEN service_potential IS NULL THEN NULL ELSE n3 END AS v3,
           CASE WHEN reference_value IS NULL THEN NULL ELSE n5 END AS v5,
           CASE WHEN location IS NULL THEN NULL ELSE n6 END AS v6,
           CASE WHEN relationship_quality IS NULL THEN NULL ELSE n7 END AS v7,
           CASE WHEN unit THEN 0.25 ELSE 0.2 END::DOUBLE AS s1,
           CASE WHEN unit THEN 0.05 ELSE 0.15 END::DOUBLE AS s2,
           CASE WHEN unit THEN 0.25 ELSE 0.15 END::DOUBLE AS s3,
           CASE WHEN unit THEN 0.25 ELSE 0.15 END::DOUBLE AS s4,
           CASE WHEN unit THEN 0.05 ELSE 0.1 END::DOUBLE AS s5,
           CASE WHEN unit THEN 0.05 ELSE 0.1 END::DOUBLE AS s6,
           CASE WHEN unit THEN 0.1 ELSE 0.15 END::DOUBLE AS s7
    FROM normalised
), covered AS (
    SELECT *,
           s1 + CASE WHEN v2 IS NULL THEN 0.0 ELSE s2 END
              + CASE WHEN v3 IS NULL THEN 0.0 ELSE s3 END + s4
              + CASE WHEN v5 IS NULL THEN 0.0 ELSE s5 END
              + CASE WHEN v6 IS NULL THEN 0.0 ELSE s6 END
              + CASE WHEN v7 IS NULL THEN 0.0 ELSE s7 END AS score_coverage
    FROM weighted
), scored AS (
    SELECT *, score_coverage > 0 AND score_coverage >= 0.5 - 1e-12 AS has_score
    FROM covered
)
SELECT customer_id, name, business_unit, revenue, cogs, deductions,
       revenue - cogs AS margin_1,
       revenue - cogs - deductions AS margin_2,
       cost_to_serve, goodwill_cost,
       revenue - cogs - deductions - cost_to_serve AS margin_3,
       cost_to_serve > 0 AND revenue - cogs - deductions - cost_to_serve < 0
           AS care_exceeds_margin,
       activity_count, margins_complete, score_coverage,
       CASE WHEN has_score THEN
           s1 / score_coverage * n1
           + CASE WHEN v2 IS NULL THEN 0.0 ELSE s2 / score_coverage END * coalesce(v2, 0.0)
           + CASE WHEN v3 IS NULL THEN 0.0 ELSE s3 / score_coverage END * coalesce(v3, 0.0)
           + s4 / score_coverage * n4
           + CASE WHEN v5 IS NULL THEN 0.0 ELSE s5 / score_coverage END * coalesce(v5, 0.0)
           + CASE WHEN v6 IS NULL THEN 0.0 ELSE s6 / score_coverage END * coalesce(v6, 0.0)
           + CASE WHEN v7 IS NULL THEN 0.0 ELSE s7 / score_coverage END * coalesce(v7, 0.0)
       END AS value_score,
       (CASE WHEN v2 IS NULL THEN 0.0 ELSE 0.5 * v2 END
        + CASE WHEN v3 IS NULL THEN 0.0 ELSE 0.5 * v3 END)
       / nullif(CASE WHEN v2 IS NULL THEN 0.0 ELSE 0.5 END
                + CASE WHEN v3 IS NULL THEN 0.0 ELSE 0.5 END, 0.0) AS potential,
       coalesce(strategic_importance >= 7.0, false)
           OR coalesce(reference_value >= 7.0, false) AS strategic
FROM scored;

-- Stage 3: the population's cuts (score classes, the potential's median), the ABC classes by
-- cumulative revenue share of the customers ranked above, the quadrant and the service level;
-- written as the snapshot table.
CREATE OR REPLACE TABLE review_floor AS
WITH cuts AS (
    SELECT quantile_cont(value_score, 0.9) AS high,
           quantile_cont(value_score, 0.7) AS medium,
           quantile_cont(potential, 0.5) FILTER (WHERE potential > 0) AS y_split,
           count(potential) AS y_known,
           count(DISTINCT potential) AS y_distinct
    FROM floor_scored
), ranked AS (
    SELECT customer_id, revenue,
           sum(positive) OVER (ORDER BY revenue DESC, customer_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
               - positive AS above,
           sum(positive) OVER () AS total
    FROM (SELECT customer_id, revenue,
                 CASE WHEN revenue > 0 THEN revenue ELSE 0 END AS positive
          FROM floor_scored)
), abc AS (
    SELECT customer_id,
           CASE WHEN revenue <= 0 THEN 'C'
                WHEN above < total * 0.8 THEN 'A'
                WHEN above < total * 0.95 THEN 'B'
                ELSE 'C' END AS abc_class
    FROM ranked
), classed AS (
    SELECT s.*, abc.abc_class,
           CASE WHEN cuts.high IS NULL OR cuts.medium IS NULL OR s.value_score IS NULL THEN NULL
                WHEN s.value_score >= cuts.high - 1e-9 THEN 'high'
                WHEN s.value_score >= cuts.medium - 1e-9 THEN 'medium'
                ELSE 'low' END AS score_class,
           s.revenue::DOUBLE > 0 AND abc.abc_class IN ('A', 'B') AS high_x,
           CASE WHEN cuts.y_known = 0 OR (cuts.y_known > 1 AND cuts.y_distinct = 1) THEN false
                WHEN cuts.y_split IS NULL THEN coalesce(s.potential, 0.0) > 0
                ELSE coalesce(s.potential, 0.0) > 0 AND coalesce(s.potential, 0.0) >= cuts.y_split
           END AS high_y
    FROM floor_scored AS s JOIN abc USING (customer_id), cuts
), mapped AS (
    SELECT *,
           CASE score_class WHEN 'high' THEN 'premium' WHEN 'medium' THEN 'plus'
                WHEN 'low' THEN 'standard'
                ELSE CASE abc_class WHEN 'A' THEN 'premium' WHEN 'B' THEN 'plus'
                                    WHEN 'C' THEN 'standard' END
           END AS service_level_mapped
    FROM classed
)
SELECT customer_id, name, business_unit, revenue, cogs, deductions, margin_1, margin_2,
       cost_to_serve, goodwill_cost, margin_3, care_exceeds_margin, activity_count,
       margins_complete, abc_class, value_score, score_coverage, score_class, potential,
       CASE WHEN high_x AND high_y THEN 'top' WHEN high_y THEN 'development'
            WHEN high_x THEN 'premium' ELSE 'small' END AS quadrant,
       strategic, service_level_mapped,
       CASE WHEN strategic AND service_level_mapped = 'standard' THEN 'plus'
            ELSE service_level_mapped END AS service_level
FROM mapped;

DROP TABLE floor_base;
DROP TABLE floor_scored;
