"""The command line: thin commands that parse input, call one library function, format output.

Each command group lives in its own module and registers itself on ``app`` at import time.
Errors from the library (:class:`~kundenwert.errors.KundenwertError`) are translated here, in
one place, into a message on stderr (or one JSON object with ``--json``) and an exit code.
"""

from __future__ import annotations

import json
import sys

from rich.markup import escape

from kundenwert.cli.app import app, console_err, use_cli_classes
from kundenwert.errors import KundenwertError

# Command modules register their commands on `app` when imported.
from kundenwert.cli import data as _data  # noqa: F401  isort: skip
from kundenwert.cli import demo as _demo  # noqa: F401  isort: skip
from kundenwert.cli import review as _review  # noqa: F401  isort: skip
from kundenwert.cli import customers as _customers  # noqa: F401  isort: skip
from kundenwert.cli import forecast as _forecast  # noqa: F401  isort: skip
from kundenwert.cli import dynamics as _dynamics  # noqa: F401  isort: skip
from kundenwert.cli import status as _status  # noqa: F401  isort: skip
from kundenwert.cli import web as _web  # noqa: F401  isort: skip
from kundenwert.cli import contacts as _contacts  # noqa: F401  isort: skip
from kundenwert.cli import chains as _chains  # noqa: F401  isort: skip
from kundenwert.cli import units as _units  # noqa: F401  isort: skip

use_cli_classes(app)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="kundenwert")
    except KundenwertError as exc:
        if "--json" in args:
            print(json.dumps(exc.to_dict(), ensure_ascii=False))
        else:
            console_err.print(f"[bold red]Fehler:[/] {escape(exc.message)}", highlight=False)
            if exc.hint:
                console_err.print(escape(exc.hint), highlight=False)
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
