"""Uploaded files: read after authentication, saved under a checked name."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile

from kundenwert.errors import InputError, KundenwertError


@asynccontextmanager
async def uploaded_files(request: Request, field: str = "file") -> AsyncIterator[list[UploadFile]]:
    """The files of a multipart form field (the body is read here, not before); their
    temporary files are closed afterwards."""
    form = await request.form()
    try:
        files = [f for f in form.getlist(field) if isinstance(f, UploadFile)]
        if not files:
            raise InputError(
                "Es wurde keine Datei gesendet.",
                hint=f"Senden Sie die Datei als multipart/form-data im Feld {field}.",
            )
        yield files
    finally:
        await form.close()


def file_name(sent: str | None) -> str:
    """The file name an upload is saved under: the sent name without folders, checked."""
    name = Path((sent or "upload.csv").replace("\\", "/")).name
    if name in ("", ".", "..") or "\x00" in name or len(name.encode("utf-8")) > 255:
        raise InputError(
            f"Ungültiger Dateiname {name[:60]!r}.",
            hint="Benennen Sie die Datei um (höchstens 255 Zeichen, z. B. invoices.csv).",
        )
    return name


def save(upload: UploadFile, folder: Path) -> Path:
    """Write ``upload`` into ``folder`` under its own (checked) file name."""
    path = folder / file_name(upload.filename)
    with path.open("wb") as out:
        upload.file.seek(0)
        shutil.copyfileobj(upload.file, out)
    return path


def _hide(text: str | None, folder: str) -> str | None:
    """``text`` without ``folder`` and its subfolder ``upload`` (where the page saves files)."""
    if not text:
        return text
    return text.replace(os.path.join(folder, "upload", ""), "").replace(
        os.path.join(folder, ""), ""
    )


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A temporary folder for an import; its path appears in no message (errors raised inside
    and the files' results name the uploaded file only)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            yield Path(tmp)
        except KundenwertError as exc:
            exc.message = _hide(exc.message, tmp) or ""
            exc.hint = _hide(exc.hint, tmp)
            raise


def hide_folder(run, folder: Path) -> None:
    """Remove ``folder`` from the error texts of an import run's file results."""
    for result in run.files:
        result.error, result.hint = (
            _hide(result.error, str(folder)),
            _hide(result.hint, str(folder)),
        )
