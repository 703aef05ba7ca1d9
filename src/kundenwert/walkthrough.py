"""`kundenwert demo`: a whole first hour in one call.

Generates the demo company as German CSV (so the importer sees what real exports look like),
imports it into a fresh database, runs the review as of the demo's end date and the customer
dynamics (trajectories, phases, alerts, next actions) on it, and writes the workbook. Each
later stage of the product adds its step here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from kundenwert.importing import ImportRun, import_path
from kundenwert.settings import Settings
from kundenwert.store import open_store

Step = Callable[[str], None]


@dataclass
class DemoRun:
    out_dir: Path
    data_dir: Path
    database: Path
    import_run: ImportRun
    review_id: int | None = None
    workbook: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    alerts: pa.Table | None = None
    actions: pa.Table | None = None
    contact_alerts: list[dict] = field(default_factory=list)
    chains: list[int] = field(default_factory=list)


def run_demo(
    out_dir: Path,
    *,
    customers: int = 2000,
    years: int = 3,
    seed: int = 42,
    settings: Settings | None = None,
    step: Step | None = None,
) -> DemoRun:
    """Generate, import, review and export the demo company under ``out_dir`` (replaced)."""
    from kundenwert.commitments.export import commitment_tables
    from kundenwert.contacts.coverage import contact_coverage
    from kundenwert.contacts.export import contact_tables
    from kundenwert.demo import DEFAULT_END, generate_to
    from kundenwert.demo.chains import add_example_chains
    from kundenwert.reporting import dynamics_tables
    from kundenwert.review import export_review, run_review
    from kundenwert.store.maintenance import optimize

    settings = settings or Settings()
    say = step or (lambda _text: None)
    out_dir = Path(out_dir)
    data_dir, database = out_dir / "data", out_dir / "kundenwert.duckdb"
    for stale in (data_dir, out_dir / "reports"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in (database, database.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)

    say(f"Demo-Firma mit {customers} Kunden erzeugen")
    files = generate_to(data_dir, customers=customers, years=years, seed=seed, format="csv")
    # The generator's intentions are for tests only and never imported: keep them apart.
    truth = files.pop("ground_truth")
    files["ground_truth"] = truth.rename(out_dir / truth.name)
    with open_store(database, create=True) as store:
        say("Exportdateien importieren")
        run = import_path(store, data_dir, settings, report_dir=out_dir / "reports" / "import")
        say("Nach Kunde und Datum sortieren (kundenwert optimize)")
        optimize(store)
        say(f"Kundenwert-Review zum {DEFAULT_END:%d.%m.%Y}")
        review = run_review(store, settings, as_of=DEFAULT_END, created_by="demo")
        say("Verläufe, Phasen, Warnungen und nächste Schritte")
        dynamics, extra = dynamics_tables(store, settings, review.review_id, settings.language)
        say("Kontaktabdeckung und zwei Beispiel-Problemlöseketten")
        chains = add_example_chains(store, DEFAULT_END)
        extra.update(contact_tables(store, review.review_id, settings.language))
        contact_alerts = contact_coverage(store, as_of=DEFAULT_END).alerts
        say("Servicezusagen gemessen, Wichtigkeit und Leistung aus Befragungen")
        extra.update(commitment_tables(store, review.review_id, settings.language))
        say("Arbeitsmappe schreiben")
        workbook = export_review(
            store,
            review.review_id,
            "xlsx",
            out_dir / "kundenwert-review.xlsx",
            settings.language,
            extra=extra,
        )
    return DemoRun(
        out_dir,
        data_dir,
        database,
        run,
        review.review_id,
        workbook,
        files,
        alerts=dynamics.alerts,
        actions=dynamics.actions,
        contact_alerts=contact_alerts,
        chains=chains,
    )
