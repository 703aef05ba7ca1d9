"""Every service commitment measured (DOMAIN.md point 9, issue 14 item 7).

- :mod:`~kundenwert.commitments.catalogue`: which commitments a level promises, their words;
- :mod:`~kundenwert.commitments.measure`: adherence per customer from the activity log;
- :mod:`~kundenwert.commitments.importance`: importance and performance per dimension;
- :mod:`~kundenwert.commitments.view`: both per customer and per segment, in words.

The read API (:func:`kundenwert.reads.commitments.service_commitments`) puts them together
for the CLI, the web pages, the API and the workbook.
"""

from kundenwert.commitments.catalogue import COMMITMENTS, promises
from kundenwert.commitments.measure import measure
from kundenwert.commitments.view import CommitmentView

__all__ = ["COMMITMENTS", "CommitmentView", "measure", "promises"]
