"""Review-to-review changes: moved to :mod:`kundenwert.reads.changes` (one read for the CLI, the
web and the API, with the scope of rights and the ranking as parameters)."""

from kundenwert.reads.changes import ABSENT, ReviewChanges, review_changes

__all__ = ["ABSENT", "ReviewChanges", "review_changes"]
