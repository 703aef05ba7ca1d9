"""One read API for the command line, the web pages and the API.

Every question an edge asks of a stored review is answered here, with the scope of rights
(:class:`Scope`: an account manager's own customers, or everyone's) as a parameter:

- :mod:`~kundenwert.reads.customers`: the customer list (search, filter, sort, page), one
  customer, totals, counts, Pareto, the matrix points, alerts and actions of the list;
- :mod:`~kundenwert.reads.changes`: two reviews compared, one ranking of changes;
- :mod:`~kundenwert.reads.history`: one customer's months with margins I–III;
- :mod:`~kundenwert.reads.commitments`: every service commitment measured, per customer and
  segment, with importance against performance from surveys;
- :mod:`~kundenwert.reads.listfile`: a list as a CSV or xlsx file;
- :mod:`~kundenwert.reads.batches`: an import batch's rejected rows.
"""

from kundenwert.reads.changes import ReviewChanges, class_migrations, review_changes
from kundenwert.reads.commitments import service_commitments
from kundenwert.reads.customers import (
    FILTERS,
    SORTABLE,
    CustomerQuery,
    ReviewFrame,
    open_frame,
)
from kundenwert.reads.history import monthly_history
from kundenwert.reads.scope import EVERYONE, Scope, customer_visible

__all__ = [
    "EVERYONE",
    "FILTERS",
    "SORTABLE",
    "CustomerQuery",
    "ReviewChanges",
    "ReviewFrame",
    "Scope",
    "class_migrations",
    "customer_visible",
    "monthly_history",
    "open_frame",
    "review_changes",
    "service_commitments",
]
