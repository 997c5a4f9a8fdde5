"""A capture server for webhook deliveries: it records every request and answers as told.

It runs on its own loop in a daemon thread, so sync tests can use it as
they are and async tests can await it without sharing a loop with it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson
from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from ..runner import AppServer
from .background import BackgroundLoop


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the receiver saw it."""

    method: str
    path: str
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None

    def __str__(self) -> str:
        event = self.headers.get("X-Mock-Zonos-Event-Id", "-")
        attempt = self.headers.get("X-Mock-Zonos-Attempt", "-")
        return (
            f"{self.method} {self.path} (event {event}, attempt {attempt}, {len(self.body)} bytes)"
        )


class ReceiverTimeout(AssertionError):
    """wait_for gave up; the message says what did arrive."""


class WebhookReceiver:
    """Records requests on http://127.0.0.1:<port>/ and answers 200 unless told otherwise.

    Use it as a context manager, or call start() and stop(). It serves on a loop
    of its own thread, or on `loop`, started and stopped by whoever gives it: the
    pytest plugin's receivers share one, so that a test does not pay for a thread.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, loop: BackgroundLoop | None = None
    ) -> None:
        self._host, self._port = host, port
        self._arrived = threading.Condition()
        self._requests: list[RecordedRequest] = []
        self._statuses: deque[int] = deque()
        self._status = 200
        self._body: bytes = b""
        self._delay = 0.0
        self._own_loop = loop is None
        self._loop = loop or BackgroundLoop("webhook-receiver")
        self._server: AppServer | None = None
        self.url = ""

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._server = AppServer(app, self._host, self._port, shutdown_timeout=0.05)
        if self._own_loop:
            self._loop.start()
        self.url = self._loop.run(self._server.start())

    def stop(self) -> None:
        if self._server is not None and self._loop.running:
            self._loop.run(self._server.stop())
        if self._own_loop:
            self._loop.stop()
        self._server = None

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, oldest first (a copy)."""
        with self._arrived:
            return list(self._requests)

    def respond_with(
        self, status: int | list[int] = 200, body: str | bytes = "", delay: float = 0
    ) -> None:
        """How to answer from now on. A list of statuses answers the next requests in
        order, then 200; `delay` seconds pass before each answer."""
        with self._arrived:
            if isinstance(status, list):
                self._statuses = deque(status)
                self._status = 200
            else:
                self._statuses.clear()
                self._status = status
            self._body = body.encode() if isinstance(body, str) else body
            self._delay = delay

    def clear(self) -> None:
        with self._arrived:
            self._requests.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """The recorded requests once there are at least `count`; raises after `timeout` s."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._requests) >= count, timeout):
                raise ReceiverTimeout(self._describe_shortfall(count, timeout))
            return list(self._requests)

    async def await_for(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """wait_for for async code: the calling loop keeps running while it waits."""
        return await asyncio.to_thread(self.wait_for, count, timeout)

    def _describe_shortfall(self, count: int, timeout: float) -> str:
        arrived = "\n".join(f"  {request}" for request in self._requests) or "  (none)"
        return (
            f"expected {count} request(s) at {self.url} within {timeout:g} s, "
            f"got {len(self._requests)}:\n{arrived}"
        )

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        recorded = RecordedRequest(
            request.method, request.path_qs, CIMultiDictProxy(CIMultiDict(request.headers)), body
        )
        with self._arrived:
            self._requests.append(recorded)
            status = self._statuses.popleft() if self._statuses else self._status
            answer, delay = self._body, self._delay
            self._arrived.notify_all()
        if delay:
            await asyncio.sleep(delay)
        return web.Response(status=status, body=answer)
