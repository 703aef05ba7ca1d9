"""Request bodies: at most ``[web] max_body_mb``, and none may stall (ASGI middleware).

The body is only read when a route reads it; the upload routes authenticate first, so a
stranger's upload is answered 401 (or sent to the log-in) without a byte of it being read.
A body larger than the limit (declared or counted) is refused with 413; one that pauses for
longer than ``[web] body_timeout_seconds`` with 408.
"""

from __future__ import annotations

import asyncio

from kundenwert.errors import KundenwertError


class BodyTooLarge(KundenwertError):
    code = "too_large"


class BodyTimeout(KundenwertError):
    code = "timeout"


class BodyLimits:
    def __init__(self, app, max_bytes: int, timeout: float) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    def _too_large(self) -> BodyTooLarge:
        mb = self.max_bytes / 1_000_000
        return BodyTooLarge(
            f"Die Anfrage ist zu groß (höchstens {mb:g} MB).",
            hint="Teilen Sie die Datei auf oder erhöhen Sie [web] max_body_mb.",
        )

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"0")
        state = {"read": 0, "done": False, "declared": int(declared) if declared.isdigit() else 0}

        async def limited_receive():
            if state["done"]:  # the body is complete: later calls wait for a disconnect
                return await receive()
            if state["declared"] > self.max_bytes:
                raise self._too_large()
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise BodyTimeout(
                    "Die Anfrage kam zu langsam an und wurde abgebrochen.",
                    hint="Senden Sie sie erneut.",
                ) from None
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                state["done"] = not message.get("more_body", False)
                if state["read"] > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, limited_receive, send)
