"""The six trajectory types and the lifecycle are recognisable in the generated data.

The ground truth says what the generator intended; these tests check that the invoice lines
and activities actually show it (statistically, on a few thousand customers).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from kundenwert.demo import DemoCompany

MONTHS = 36
START = "2023-07-01"


@pytest.fixture(scope="module")
def con(company: DemoCompany) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, table in {**company.tables, "truth": company.ground_truth}.items():
        con.register(name, table)
    return con


def _yearly_revenue(con: duckdb.DuckDBPyConnection, trajectory: str) -> list[float]:
    """Mean share of each year in a customer's revenue over the history (all lines, machines
    included). Shares, not euros: customer sizes are heavily skewed, so a mean in euros would
    follow the few largest customers. A year whose credit notes outweigh its invoices counts
    as 0: one customer with 547 EUR, then -701 EUR, then 162 EUR had shares of +61 and -78."""
    rows = con.sql(
        f"""
        with per_year as (
            select customer_id, datediff('month', date '{START}', i.date) // 12 as y,
                   greatest(sum(i.amount), 0) as revenue
            from invoices i join truth t using (customer_id)
            where t.trajectory = '{trajectory}' group by all),
        shares as (
            select y, revenue / sum(revenue) over (partition by customer_id) as share
            from per_year qualify sum(revenue) over (partition by customer_id) > 0)
        select y, sum(share) / (select count(distinct customer_id) from per_year)
        from shares group by y order by y"""
    ).fetchall()
    return [float(r[1]) for r in rows]


def test_growth_customers_buy_more_each_year(con: duckdb.DuckDBPyConnection) -> None:
    y1, y2, y3 = _yearly_revenue(con, "growth")
    assert y1 < y2 < y3
    assert y3 > 1.5 * y1


def test_shrinking_customers_buy_less_each_year(con: duckdb.DuckDBPyConnection) -> None:
    y1, y2, y3 = _yearly_revenue(con, "shrinking")
    assert y1 > y2 > y3
    assert y1 > 2 * y3


def test_steady_customers_stay_level(con: duckdb.DuckDBPyConnection) -> None:
    years = _yearly_revenue(con, "steady")
    assert max(years) < 1.35 * min(years)


def test_bell_customers_peak_then_fade(con: duckdb.DuckDBPyConnection) -> None:
    y1, y2, y3 = _yearly_revenue(con, "bell")
    assert y2 > 1.5 * y1 and y2 > 2 * y3
    lost = con.sql("select avg((phase = 'lost')::int) from truth where trajectory = 'bell'")
    assert lost.fetchone()[0] > 0.4  # "until the customer is lost"


def _monthly_counts(con: duckdb.DuckDBPyConnection, where: str) -> np.ndarray:
    """Invoice lines per month (columns) of the customers selected by ``where`` (rows)."""
    rows = con.sql(
        f"""
        select t.customer_id, datediff('month', date '{START}', i.date) as m, count(*)
        from invoices i join truth t using (customer_id)
        where {where} and i.category <> 'machine' group by all"""
    ).fetchall()
    ids = sorted({r[0] for r in rows})
    index = {c: k for k, c in enumerate(ids)}
    counts = np.zeros((len(ids), MONTHS))
    for cid, m, n in rows:
        counts[index[cid], m] = n
    return counts


def _lag_correlation(counts: np.ndarray, lag: int) -> float:
    centred = counts - counts.mean(axis=1, keepdims=True)
    return float(np.corrcoef(centred[:, :-lag].ravel(), centred[:, lag:].ravel())[0, 1])


def test_cyclical_customers_swing_with_their_period(con: duckdb.DuckDBPyConnection) -> None:
    established = "t.phase = 'established' and t.invoice_lines >= 15"
    cyclical = _monthly_counts(con, f"t.trajectory = 'cyclical' and t.cycle_months = 12 and "
                                    f"{established}")  # fmt: skip
    steady = _monthly_counts(con, f"t.trajectory = 'steady' and {established}")
    assert len(cyclical) >= 30 and len(steady) >= 100
    # A year apart the same season: alike; half a year apart: opposite.
    assert _lag_correlation(cyclical, 12) > 0.2
    assert _lag_correlation(cyclical, 6) < -0.2
    assert abs(_lag_correlation(steady, 6)) < 0.1
    assert abs(_lag_correlation(steady, 12)) < 0.1


def test_klette_care_eats_the_margin(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.sql(
            """select trajectory = 'klette', sum(care_cost) / sum(margin_ii) from truth
            group by 1"""
        ).fetchall()
    )
    assert rows[True] > 0.8  # margin III near zero or negative
    assert rows[False] < 0.3
    per_customer = dict(
        con.sql(
            """select t.trajectory = 'klette', count(*) / count(distinct a.customer_id)
            from activities a join truth t using (customer_id) group by 1"""
        ).fetchall()
    )
    assert per_customer[True] > 2 * per_customer[False]


def test_ground_truth_sums_match_the_invoices(con: duckdb.DuckDBPyConnection) -> None:
    diff = con.sql(
        """select max(abs(t.revenue - coalesce(i.rev, 0))), max(abs(t.care_cost -
               coalesce(a.care, 0)))
        from truth t
        left join (select customer_id, sum(amount) rev from invoices group by 1) i
            using (customer_id)
        left join (select customer_id, sum(cost) as care from activities group by 1) a
            using (customer_id)"""
    ).fetchone()
    assert float(diff[0]) < 0.01 and float(diff[1]) < 0.01


def test_lost_customers_stop_buying(con: duckdb.DuckDBPyConnection) -> None:
    late = con.sql(
        """select count(*), count(distinct t.customer_id) from invoices i
        join truth t using (customer_id)
        where t.phase = 'lost' and i.date >= t.lost_on"""
    ).fetchone()
    assert late[0] == 0
    n_lost = con.sql("select count(*) from truth where phase = 'lost'").fetchone()[0]
    assert n_lost > 0.05 * 4000


def test_new_customers_start_inside_the_window(con: duckdb.DuckDBPyConnection) -> None:
    early = con.sql(
        """select count(*) from invoices i join truth t using (customer_id)
        where t.buying_from is not null and i.date < t.buying_from"""
    ).fetchone()[0]
    assert early == 0
    new = con.sql(
        """select count(*), min(buying_from), max(customer_since <= buying_from + 31)::int
        from truth where phase = 'new'"""
    ).fetchone()
    assert new[0] > 0
    assert str(new[1]) >= "2025-06-01"  # started within the last twelve months
    assert new[2] == 1


def test_won_back_customers_pause_then_return(con: duckdb.DuckDBPyConnection) -> None:
    gap = con.sql(
        """select count(*) from invoices i join truth t using (customer_id)
        where t.phase = 'won_back' and i.date >= t.lost_on and i.date < t.won_back_on"""
    ).fetchone()[0]
    assert gap == 0
    back = con.sql(
        """select avg((i.n > 0)::int), count(*) from truth t left join (
            select customer_id, count(*) n from invoices i join truth t using (customer_id)
            where i.date >= t.won_back_on group by 1) i using (customer_id)
        where t.phase = 'won_back'"""
    ).fetchone()
    assert back[1] > 0 and back[0] > 0.6


def test_ratings_and_surveys_follow_the_trajectory(con: duckdb.DuckDBPyConnection) -> None:
    potential = dict(
        con.sql(
            """select trajectory, avg(value) from ratings join truth using (customer_id)
            where indicator = 'new_business_potential' group by 1"""
        ).fetchall()
    )
    assert potential["growth"] > potential["steady"] + 1 > potential["shrinking"] + 2
    satisfaction = dict(
        con.sql(
            """select trajectory, avg(satisfaction) from surveys join truth using (customer_id)
            group by 1"""
        ).fetchall()
    )
    assert satisfaction["shrinking"] < satisfaction["steady"] - 0.5


def test_volumes_scale_with_customers_and_years(company: DemoCompany) -> None:
    from kundenwert.demo import generate

    n = company.customers.num_rows
    assert 18 < company.invoices.num_rows / n < 22  # about 20 lines per customer in 3 years
    assert 4.2 < company.activities.num_rows / n < 5.8  # about 5 activities
    longer = generate(customers=1000, years=6, seed=1)
    assert 36 < longer.invoices.num_rows / 1000 < 44


def test_a_fifth_of_the_customers_buy_most(con: duckdb.DuckDBPyConnection) -> None:
    # B2B purchases are heavily skewed (the Pareto rule: about 80 % from the top 20 %).
    top = con.sql(
        """with r as (select customer_id, sum(amount) as revenue from invoices group by 1),
        ranked as (select revenue, row_number() over (order by revenue desc) as k from r)
        select sum(revenue) filter (where k <= (select count(*) from truth) * 0.2)
               / sum(revenue) from ranked"""
    ).fetchone()[0]
    assert 0.7 < float(top) < 0.9


def test_orders_come_more_regularly_than_at_random(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(
        f"""
        select t.customer_id, datediff('month', date '{START}', i.date) // 3 as q,
               count(distinct i.invoice_id)
        from invoices i join truth t using (customer_id)
        where t.trajectory = 'steady' and t.phase = 'established' and t.buying_from is null
            and t.invoice_lines between 20 and 80 and i.category <> 'machine'
        group by all"""
    ).fetchall()
    ids = sorted({r[0] for r in rows})
    index = {c: k for k, c in enumerate(ids)}
    counts = np.zeros((len(ids), MONTHS // 3))
    for cid, q, n in rows:
        counts[index[cid], q] = n
    assert len(ids) >= 50
    # A few orders a quarter: the month-to-month swings of the intensity hardly matter here.
    dispersion = counts.var(axis=1, ddof=1).mean() / counts.mean()
    assert dispersion < 0.85  # Poisson orders would give 1 or more
