"""The demo company has customers served by two business units (issue 14.6), so that the
review per business unit has something to show."""

from __future__ import annotations

import duckdb


def test_a_share_of_customers_is_served_by_two_units(company):
    con = duckdb.connect()
    con.register("invoices", company.tables["invoices"])
    con.register("customers", company.tables["customers"])
    units = dict(
        con.execute(
            "SELECT n, count(*) FROM (SELECT i.customer_id, "
            "count(DISTINCT coalesce(i.business_unit, c.business_unit)) AS n "
            "FROM invoices i JOIN customers c USING (customer_id) GROUP BY 1) GROUP BY 1"
        ).fetchall()
    )
    buyers = sum(units.values())
    assert units.get(2, 0) >= 0.3 * buyers  # service and parts are booked by their own unit
    # Lines of another unit than the customer's own exist for every unit.
    others = con.execute(
        "SELECT count(DISTINCT c.business_unit) FROM invoices i JOIN customers c "
        "USING (customer_id) WHERE i.business_unit <> c.business_unit"
    ).fetchone()[0]
    assert others == 3
