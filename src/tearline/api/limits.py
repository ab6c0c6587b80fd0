"""ASGI middleware enforcing request limits: body size and time.

* Body size: a ``Content-Length`` above the limit is refused before anything is read;
  a body streamed without one is read here, counted as it arrives, and refused once it
  passes the limit (then handed on whole otherwise). Either way the answer is 413.
* Time: a request whose response has not started after the timeout is answered 503;
  work already handed to a database thread may still finish, but the client is freed.
  When a request is cut off is decided by its :data:`Deadline` — ``asyncio.timeout``
  of the configured seconds; tests pass one that they fire themselves, so what they
  check never depends on how fast the machine runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tearline.api.error_envelope import error_response, request_locale
from tearline.errors import StoreError, TooLarge, tr


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await _drain_and_answer(receive, send, scope, self._too_large())
                    return
        if scope.get("method") in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # No (acceptable) length declared: read the body here, up to the limit, and
        # hand it on whole; past the limit the answer is 413 before the app runs.
        chunks: list[bytes] = []
        seen = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            body = message.get("body", b"")
            seen += len(body)
            if seen > self.max_bytes:
                await _drain_and_answer(receive, send, scope, self._too_large())
                return
            chunks.append(body)
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> TooLarge:
        # Made only when refusing: an exception built per request cost every request.
        return TooLarge(tr("request body exceeds {limit:,} bytes", limit=self.max_bytes))


def _locale(scope: Scope) -> str:
    """The locale the client of ``scope`` asks for (its ``Accept-Language``)."""
    header = next((value.decode("latin-1") for name, value in scope.get("headers", ())
                   if name == b"accept-language"), None)
    return request_locale(header)


async def _drain_and_answer(receive: Receive, send: Send, scope: Scope, error: Any) -> None:
    response = error_response(error, _locale(scope))
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


#: The deadline of one request, made from the timeout in seconds as it starts: an async
#: context manager raising :class:`TimeoutError` out of its block when time is up.
Deadline = Callable[[float], AbstractAsyncContextManager[object]]


class Timeout:
    def __init__(self, app: ASGIApp, seconds: float,
                 deadline: Deadline = asyncio.timeout) -> None:
        self.app = app
        self.seconds = seconds
        self.deadline = deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            # A deadline on this task, not wait_for's extra task per request.
            async with self.deadline(self.seconds):
                await self.app(scope, receive, tracking)
        except TimeoutError:
            if started:
                raise
            error = StoreError(tr("the request took longer than {seconds:g} s; try a "
                                  "narrower query", seconds=self.seconds))
            await error_response(error, _locale(scope))(scope, receive, send)
