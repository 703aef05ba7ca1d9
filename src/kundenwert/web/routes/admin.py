"""Reviews, imports and settings pages."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from kundenwert.errors import ConfigError, InputError, NotFoundError
from kundenwert.importing import import_path, status, write_rejected
from kundenwert.reads import review_changes
from kundenwert.reads.batches import rejected_rows
from kundenwert.review import run_review
from kundenwert.review.compute import REVIEW_STEPS
from kundenwert.web import settings_store, views
from kundenwert.web.deps import (
    SHORT,
    TEXT,
    csrf_checked,
    db,
    language,
    page_user,
    render,
    require,
    state,
)
from kundenwert.web.state import RequestStore
from kundenwert.web.uploads import hide_folder, save, upload_folder, uploaded_files
from kundenwert.web.users import User

router = APIRouter()


def _is_manager(user: User) -> bool:
    return user.role in ("admin", "manager")


@router.get("/reviews")
def reviews(request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)):
    jobs = sorted(state(request).jobs.values(), key=lambda j: -j.job_id)
    return render(
        request,
        "reviews.html",
        reviews=views.review_list(store, user),
        jobs=jobs,
        today=date.today(),
    )


@router.post("/reviews")
def start_review(
    request: Request,
    as_of: str = Form(..., max_length=SHORT),
    window: int = Form(12),
    user: User = Depends(csrf_checked),
):
    require(user, _is_manager(user))
    try:
        day = date.fromisoformat(as_of)
    except ValueError as exc:
        raise InputError(f"Ungültiger Stichtag {as_of!r}.", hint="Format JJJJ-MM-TT.") from exc
    app = state(request)

    def runner(store, job) -> int:
        def progress(step: str) -> None:
            job.step, job.step_no, job.steps = (
                step,
                REVIEW_STEPS.index(step) + 1,
                len(REVIEW_STEPS),
            )

        resolved = app.resolved_settings
        result = run_review(
            store,
            resolved.settings,
            day,
            window,
            created_by=user.name,
            progress=progress,
            settings_version=resolved.version_id,
        )
        return result.review_id

    job = app.start_job(day, user.name, runner)
    return RedirectResponse(f"/reviews?job={job.job_id}", status_code=303)


@router.get("/reviews/jobs/{job_id}")
def job_status(request: Request, job_id: int, user: User = Depends(page_user)):
    job = state(request).jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"Auftrag {job_id} gibt es nicht.", hint="Laden Sie die Seite neu.")
    return render(request, "job.html", job=job)


@router.get("/reviews/compare")
def compare(
    request: Request,
    first: int,
    second: int,
    rank: str = "score",
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    changes = review_changes(
        store, first, second, scope=user.scope, rank=rank, top=0, moved_limit=200
    )
    labels = {
        k: v.get(language(request)) for k, v in state(request).settings.review.matrix.labels.items()
    }
    return render(
        request, "compare.html", changes=changes, moved=changes.moved.to_pylist(), labels=labels
    )


@router.get("/imports")
def imports(request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)):
    require(user, _is_manager(user))
    return render(request, "imports.html", status=status(store, last=30), result=None)


@router.post("/imports")
async def upload(request: Request, user: User = Depends(csrf_checked)):
    """One or more export files; with several, the folder rules apply (customers first).

    The session is checked before the body is read (no file parameter: FastAPI would read it
    first)."""
    require(user, _is_manager(user))
    app = state(request)
    store = app.cursor()
    try:
        with upload_folder() as tmp:
            folder = tmp / "upload"
            folder.mkdir()
            async with uploaded_files(request) as uploads:
                for upload_file in uploads:
                    save(upload_file, folder)
            files = sorted(folder.iterdir())
            target = files[0] if len(files) == 1 else folder
            with app.write_lock:
                run = import_path(store, target, app.settings, report_dir=tmp / "report")
            hide_folder(run, tmp)
        app.changed()
        rejected = {
            f.batch_id: rejected_rows(store.con, f.batch_id) for f in run.files if f.batch_id
        }
        return render(
            request,
            "imports.html",
            status=status(store, last=30),
            result=run,
            rejected=rejected,
        )
    finally:
        store.close()


@router.get("/imports/{batch_id}")
def batch(
    request: Request,
    batch_id: int,
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    require(user, _is_manager(user))
    return render(request, "batch.html", batch_id=batch_id, rows=rejected_rows(store.con, batch_id))


@router.get("/imports/{batch_id}/rejected.csv")
def rejected_csv(
    request: Request,
    batch_id: int,
    user: User = Depends(page_user),
    store: RequestStore = Depends(db),
):
    require(user, _is_manager(user))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rejected.csv"
        write_rejected(store, batch_id, out, state(request).file_settings.language)
        body = out.read_bytes()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rejected-{batch_id}.csv"'},
    )


def _settings_page(
    request: Request,
    store: RequestStore,
    *,
    status_code: int = 200,
    problem: dict | None = None,
    typed: tuple[str, str] | None = None,
):
    """The settings page; after a refused change with its problem, and the section text the
    user typed (``typed``: section, text) kept for correcting."""
    current = state(request).settings
    sections: dict[str, str] = {
        s: settings_store.section_json(current, s) for s in settings_store.EDITABLE
    }
    if typed:
        sections[typed[0]] = typed[1]
    return render(
        request,
        "settings.html",
        status_code,
        sections=sections,
        form=settings_store.scoring_form(current),
        versions=settings_store.versions(store),
        problem=problem,
        saved=None if problem else request.query_params.get("saved"),
    )


@router.get("/settings")
def settings_page(
    request: Request, user: User = Depends(page_user), store: RequestStore = Depends(db)
):
    # The settings are company-wide: not for account managers, who see only their customers.
    require(user, not user.own_customers_only)
    return _settings_page(request, store)


@router.post("/settings/scoring")
async def save_scoring(
    request: Request,
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    """Weights and split points from the form: a new settings version, validated."""
    require(user, user.is_admin)
    app = state(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        settings_store.save_scoring_form(
            store, app.settings, form, by=user.name, comment=form.get("comment") or None
        )
    except ConfigError as exc:
        return _settings_page(request, store, status_code=422, problem=exc.to_dict())
    app.changed(settings=True)
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings")
def save_settings(
    request: Request,
    section: str = Form(..., max_length=SHORT),
    text: str = Form(..., max_length=200_000),
    comment: str = Form("", max_length=TEXT),
    user: User = Depends(csrf_checked),
    store: RequestStore = Depends(db),
):
    require(user, user.is_admin)
    app = state(request)
    try:
        settings_store.save_section(
            store, app.settings, section, text, by=user.name, comment=comment or None
        )
    except ConfigError as exc:
        return _settings_page(
            request, store, status_code=422, problem=exc.to_dict(), typed=(section, text)
        )
    app.changed(settings=True)
    return RedirectResponse("/settings?saved=1", status_code=303)
