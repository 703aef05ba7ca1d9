"""Importing ERP and CRM exports: files in, typed rows stored, rejected rows kept with reasons.

Public API: :func:`import_path` for a file or a folder, :class:`ImportRun` and
:class:`FileResult` for what happened. See docs/data-format.md for the format.
"""

from __future__ import annotations

import csv
import fnmatch
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kundenwert.cells import csv_cell
from kundenwert.errors import ImportFileError
from kundenwert.i18n import translate
from kundenwert.importing.messages import TEXT
from kundenwert.importing.pipeline import FileResult, ImportProgress, import_file, unreadable
from kundenwert.importing.sources import SUFFIXES
from kundenwert.schema import TABLES, Table
from kundenwert.settings import Settings
from kundenwert.store import Store, consistency
from kundenwert.store.maintenance import last_optimize
from kundenwert.store.queries import scalar

__all__ = ["FileResult", "ImportProgress", "ImportRun", "import_path", "status"]

EXIT_OK, EXIT_UNREADABLE, EXIT_REJECTED = 0, 2, 3


@dataclass
class ImportRun:
    """The outcome of one ``kundenwert import``: one result per file, and where reports went."""

    files: list[FileResult] = field(default_factory=list)
    report_dir: Path | None = None
    summary_file: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 all rows stored, 3 some rows rejected, 2 a file could not be read at all."""
        if any(f.status == "failed" for f in self.files):
            return EXIT_UNREADABLE
        if any(f.rejected for f in self.files):
            return EXIT_REJECTED
        return EXIT_OK

    def to_dict(self) -> dict[str, object]:
        return {
            "exit_code": self.exit_code,
            "report_dir": str(self.report_dir) if self.report_dir else None,
            "summary_file": str(self.summary_file) if self.summary_file else None,
            "files": [f.to_dict() for f in self.files],
        }


def table_for(path: Path, settings: Settings) -> Table | None:
    """The table a file belongs to: a configured file pattern, else the file's stem."""
    for name, spec in settings.import_.tables.items():
        if spec.file and fnmatch.fnmatch(path.name.lower(), spec.file.lower()):
            return TABLES[name]
    return TABLES.get(path.stem.lower())


def _plan(path: Path, settings: Settings, table: str | None) -> list[tuple[Path, Table | None]]:
    lang = settings.language
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        planned = [(p, table_for(p, settings)) for p in files]
        if not planned:
            raise ImportFileError(
                translate(TEXT, "no_files", lang, path=path),
                hint=translate(TEXT, "no_files_hint", lang),
                file=str(path),
            )
        order = list(TABLES)
        # Referenced tables (customers) before the tables that reference them.
        return sorted(
            planned, key=lambda pt: (order.index(pt[1].name) if pt[1] else 99, pt[0].name)
        )
    if table is not None:
        if table not in TABLES:
            raise ImportFileError(
                f"Unbekannte Tabelle {table!r}.",
                hint=f"Tabellen: {', '.join(TABLES)}.",
            )
        return [(path, TABLES[table])]
    return [(path, table_for(path, settings))]


def import_path(
    store: Store,
    path: str | Path,
    settings: Settings,
    *,
    table: str | None = None,
    progress: ImportProgress | None = None,
    report_dir: Path | None = None,
) -> ImportRun:
    """Import a file or every export file of a folder; write the summary and rejected rows.

    A file that cannot be read at all is reported as failed and the others are still imported.
    """
    path = Path(path)
    lang = settings.language
    if not path.exists():
        raise ImportFileError(
            f"{path}: nicht gefunden.", hint="Prüfen Sie den Pfad.", file=str(path)
        )
    run = ImportRun()
    for file, tbl in _plan(path, settings, table):
        if tbl is None:
            exc = ImportFileError(
                translate(TEXT, "unknown_table", lang, file=file.name),
                hint=translate(TEXT, "unknown_table_hint", lang, tables=", ".join(TABLES)),
            )
            # In a folder, a file of no known table is reported and left alone (it may be a
            # note or another export); named on its own, it is an error.
            result = unreadable(file, None, exc)
            result.status = "skipped" if path.is_dir() else "failed"
            run.files.append(result)
            continue
        try:
            run.files.append(import_file(store, file, tbl, settings, progress=progress))
        except ImportFileError as exc:
            run.files.append(unreadable(file, tbl.name, exc))
    _write_reports(store, run, report_dir or _new_report_dir(settings), lang)
    return run


def _new_report_dir(settings: Settings) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return settings.import_.report_dir / stamp


_REJECTED_HEADERS = {
    "de": ["Datei", "Zeile", "Feld", "Grund"],
    "en": ["file", "row", "field", "reason"],
}


def _write_reports(store: Store, run: ImportRun, report_dir: Path, lang: str) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    run.report_dir = report_dir
    for result in run.files:
        if result.rejected and result.batch_id is not None:
            result.rejected_file = report_dir / f"{result.path.stem}.rejected.csv"
            write_rejected(store, result.batch_id, result.rejected_file, lang)
    run.summary_file = report_dir / "summary.json"
    run.summary_file.write_text(
        json.dumps(run.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )


def write_rejected(store: Store, batch_id: int, out: Path, lang: str = "de") -> int:
    """Write a batch's rejected rows as CSV that Excel opens: reason first, then the row as read."""
    cursor = store.con.execute(
        "SELECT file_name, line_no, field, reason, record FROM rejected_rows "
        "WHERE batch_id = ? ORDER BY line_no",
        [batch_id],
    )
    rows = cursor.fetchall()
    records = [json.loads(r[4]) for r in rows]
    original: list[str] = []
    for record in records:
        original.extend(k for k in record if k not in original)
    # UTF-8 with BOM and semicolons: what German Excel opens correctly by double-click.
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(_REJECTED_HEADERS.get(lang, _REJECTED_HEADERS["de"]) + original)
        for row, record in zip(rows, records, strict=True):
            cells = [*row[:4], *(_plain(record.get(k)) for k in original)]
            writer.writerow([csv_cell(c) for c in cells])
    return len(rows)


def _plain(value: object) -> object:
    return "" if value is None else value


def rejected_by_table(store: Store) -> dict[str, int]:
    """Rejected rows per table as they stand: those of the latest import of each file.

    Every import keeps its rejected rows (its report stays reproducible), so a file imported
    twice has them twice; only the latest import of a file (same table, same file name)
    says which of its rows are rejected now.
    """
    rows = store.con.execute(
        "WITH latest AS (SELECT max(batch_id) AS batch_id FROM import_batches "
        "WHERE state = 'done' GROUP BY table_name, file_name) "
        "SELECT r.table_name, count(*) FROM rejected_rows AS r SEMI JOIN latest AS l "
        "ON r.batch_id = l.batch_id GROUP BY r.table_name ORDER BY r.table_name"
    ).fetchall()
    return {table: int(n) for table, n in rows}


def status(store: Store, *, last: int = 10) -> dict[str, Any]:
    """What the database holds: row counts per table and the latest import batches.

    ``rejected_rows`` counts the rejected rows of the latest import of each file
    (:func:`rejected_by_table`), not every import's.
    """
    con = store.con
    counts = {
        name: scalar(con, f'SELECT count(*) FROM "{name}"')
        for name in (*TABLES, "unassigned_invoices")
    }
    cols = [
        "batch_id",
        "table_name",
        "file_name",
        "started_at",
        "rows_read",
        "rows_inserted",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "content_hash",
    ]
    batches = con.execute(
        f"SELECT {', '.join(cols)} FROM import_batches WHERE state = 'done' "
        "ORDER BY batch_id DESC LIMIT ?",
        [last],
    ).fetchall()
    optimized = last_optimize(store)
    rejected = rejected_by_table(store)
    if optimized is not None:
        optimized["finished_at"] = optimized["finished_at"].isoformat(timespec="seconds")
    return {
        "database": str(store.path) if store.path else ":memory:",
        "schema_version": store.schema_version,
        "tables": counts,
        "optimized": optimized,
        "rejected_rows": sum(rejected.values()),
        "rejected_rows_by_table": rejected,
        # The start-up check: rows of killed imports removed on opening, rows of no batch.
        "interrupted_imports_removed": [o.to_dict() for o in store.repaired],
        "orphan_rows": [o.to_dict() for o in consistency.orphans(store)],
        "batches": [
            {
                k: (v.isoformat() if isinstance(v, datetime) else v)
                for k, v in zip(cols, b, strict=True)
            }
            for b in batches
        ],
    }
