"""The application factory and the server entry point."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from kundenwert import __version__
from kundenwert.errors import KundenwertError
from kundenwert.settings import Settings
from kundenwert.store import Store, open_store
from kundenwert.web import control
from kundenwert.web.deps import LoginRequired, render
from kundenwert.web.headers import SecurityHeaders
from kundenwert.web.limits import BodyLimits
from kundenwert.web.state import AppState

STATUS = {
    "not_found": 404,
    "invalid_input": 422,
    "config_error": 422,
    "import_file_error": 422,
    "store_error": 503,
    "unauthorized": 401,
    "forbidden": 403,
    "too_large": 413,
    "timeout": 408,
}
#: The one JSON shape of every API error (documented in the OpenAPI description).
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "hint": {"type": "string"},
        "details": {"type": "object"},
    },
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, body: dict, headers: Mapping[str, str] | None = None):
    if _is_api(request):
        return JSONResponse(body, status_code=status, headers=headers)
    response = render(request, "error.html", status_code=status, error=body)
    response.headers.update(headers or {})
    return response


def _allowed(request: Request) -> str:
    """Every method some route of this path takes (Starlette names only the first route's)."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    )


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(KundenwertError)
    async def kundenwert_error(request: Request, exc: KundenwertError):
        return _error(request, STATUS.get(exc.code, 400), exc.to_dict())

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        body = {
            "error": "invalid_input",
            "message": "Ungültige Anfrage: "
            + "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems),
            "hint": "Prüfen Sie die Parameter gegen /api/v1/openapi.json.",
            "details": {"errors": problems},
        }
        return _error(request, 422, body)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        # Still a 500, but in the one shape and without internals (the server log has them).
        body = {
            "error": "internal_error",
            "message": "Interner Fehler.",
            "hint": "Versuchen Sie es erneut; bleibt der Fehler, melden Sie ihn dem Administrator.",
        }
        return _error(request, 500, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {"error": code, "message": str(exc.detail)}
        headers = {"Allow": _allowed(request)} if exc.status_code == 405 else exc.headers
        return _error(request, exc.status_code, body, headers)


def create_app(db: str | Path | Store | None, settings: Settings | None = None) -> FastAPI:
    """The web application on the database ``db`` (a path, an open Store, or None: memory)."""
    from kundenwert.web.routes import accounts, admin, api, auth, chains, pages

    settings = settings or Settings()
    store = db if isinstance(db, Store) else open_store(db)
    state = AppState(store, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        state.shutdown()
        # Here, not after uvicorn.run: on SIGTERM uvicorn re-raises the signal once it has
        # shut down, which ends the process before code after run() could remove the file.
        if state.control_db is not None:
            control.withdraw(state.control_db)

    app = FastAPI(
        lifespan=lifespan,
        title="kundenwert",
        version=__version__,
        description="Customer value results for CRM integrations. Authenticate with "
        "`Authorization: Bearer <token>`; every error has the shape "
        "`{error, message, hint?, details?}`.",
        # No browsable docs (Swagger UI loads from a CDN); the description is served by
        # routes.api behind the token check.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.kw = state
    limits = settings.web
    app.add_middleware(
        BodyLimits,
        max_bytes=int(limits.max_body_mb * 1_000_000),
        timeout=limits.body_timeout_seconds,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    _handlers(app)
    for module in (auth, pages, admin, accounts, chains):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(accounts.api_router, responses=api.ERRORS)
    app.include_router(chains.api_router, responses=api.ERRORS)
    return app


def serve(
    db: str | Path,
    settings: Settings | None = None,
    host: str | None = None,
    port: int | None = None,
    *,
    demo_login: bool = False,
) -> None:
    """Run the application until Ctrl-C; with ``demo_login`` the user demo (manager) gets a
    new generated password, which is printed."""
    import uvicorn

    settings = settings or Settings()
    host = host or settings.web.host
    port = port or settings.web.port
    store = open_store(db)
    password = demo_password(store) if demo_login else None
    app = create_app(store, settings)
    url = f"http://{host}:{port}/"
    print(f"kundenwert läuft auf {url}  (Strg-C beendet)", flush=True)
    if password:
        print(f"Demo-Anmeldung: Benutzer demo, Passwort {password}", flush=True)
    # The CLI reaches the database through this server while it runs (web/control.py).
    app.state.kw.local_secret = control.publish(db, url)
    app.state.kw.control_db = db
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        control.withdraw(db)


def demo_password(store: Store) -> str:
    """A new random password for the user demo (manager), created if absent."""
    import secrets

    from kundenwert.web.users import add_user

    password = secrets.token_urlsafe(15)  # 20 characters
    add_user(store, "demo", "manager", password, replace=True)
    return password
