"""Shared test helpers: a thin GraphQL client over real HTTP, and condition waits."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient

from mock_zonos.api.bodies import WebhookBodies
from mock_zonos.api.execution import GraphQLExecutor
from mock_zonos.api.schema import build_schema
from mock_zonos.delivery.dispatcher import Dispatcher
from mock_zonos.delivery.signing import new_secret
from mock_zonos.domain.models import WebhookType
from mock_zonos.domain.seed import Seed
from mock_zonos.domain.store import Store
from mock_zonos.fixtures import load_fixtures
from mock_zonos.services.backend import Backend
from mock_zonos.settings import Settings
from mock_zonos.testing.client import MockZonosClient

DEFAULT_TOKEN = "credential_test_c0ffee00-0000-4000-8000-000000000001"
LIVE_TOKEN = "credential_live_c0ffee00-0000-4000-8000-000000000002"
OTHER_ORG_TOKEN = "credential_test_decade00-0000-4000-8000-000000000003"


class GraphQL:
    """Posts GraphQL documents to a running server, as a given credential."""

    def __init__(self, client: TestClient[Any, Any], token: str | None = DEFAULT_TOKEN) -> None:
        self.client = client
        self.token = token

    def as_token(self, token: str | None) -> GraphQL:
        return GraphQL(self.client, token)

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, path: str = "/graphql"
    ) -> tuple[int, dict[str, Any]]:
        headers = {"credentialToken": self.token} if self.token else {}
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        response = await self.client.post(path, json=payload, headers=headers)
        return response.status, await response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a request that must succeed without errors."""
        status, body = await self.post(query, variables)
        assert status == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def create_webhook(
        self,
        url: str = "https://example.com/webhooks/zonos",
        type: str = "ORDER_CREATED",
        status: str = "ENABLED",
        headers: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        api = MockZonosClient(str(self.client.make_url("")), self.token, self.client.session)
        return await api.create_webhook(url, type, status, headers)

    async def trigger(self, type: str, **fields: Any) -> tuple[int, dict[str, Any]]:
        """POST /_mock/trigger as this credential (or as nobody when the token is None)."""
        headers = {"credentialToken": self.token} if self.token else {}
        response = await self.client.post(
            "/_mock/trigger", json={"type": type, **fields}, headers=headers
        )
        return response.status, await response.json()

    async def logs(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every log of this credential's tenant, newest first."""
        data = await self.data(
            """query($type: WebhookType) {
              webhookLogs(first: 100, filter: {type: $type}) { edges { node {
                id type url request response responseStatus createdAt webhook { id }
              } } }
            }""",
            {"type": type},
        )
        return [edge["node"] for edge in data["webhookLogs"]["edges"]]

    async def state(self) -> dict[str, Any]:
        response = await self.client.get("/_mock/state")
        assert response.status == 200
        state: dict[str, Any] = await response.json()
        return state


def make_store(
    seed: Seed | None = None, queries: Mapping[WebhookType, str] | None = None, **options: Any
) -> Store:
    """A store wired as create_app wires one; every type's query is a stub unless given."""
    return Store(
        seed or Seed(),
        queries or {type: "query { x }" for type in WebhookType},
        new_secret=new_secret,
        **options,
    )


def backend_for(store: Store) -> Backend:
    """A backend around a store, wired as create_app wires one, for resolvers called directly."""
    fixtures = load_fixtures()
    settings = Settings()
    bodies = WebhookBodies(GraphQLExecutor(build_schema()))
    dispatcher = Dispatcher(store, settings)
    return Backend(settings, store, fixtures.events, dispatcher, fixtures.shapes, bodies)


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single error of a response, checked for the Zonos shape."""
    assert len(body["errors"]) == 1, body
    error: dict[str, Any] = body["errors"][0]
    assert set(error["extensions"]) == {"errorType", "requestId"}, error
    assert error["extensions"]["requestId"].startswith("request_")
    return error


async def wait_until(
    condition: Callable[[], Awaitable[bool]], within: float = 5.0, interval: float = 0.005
) -> None:
    """Poll an async condition until it holds; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(interval)


def run_installed(site: Path, code: str) -> str:
    """Run Python code against an unpacked wheel alone, away from the checkout; its output."""
    return subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=site.parent,
        env={"PYTHONPATH": str(site)},
    ).stdout


class ServerProcess:
    """A `python -m mock_zonos` child, its URL read from its first line of output; what
    it writes to stderr is collected as it comes, so a chatty log never blocks it."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process, self.url = process, url
        self._stderr: list[bytes] = []
        assert process.stderr is not None
        self._reader = asyncio.create_task(self._collect(process.stderr))

    async def _collect(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            self._stderr.append(chunk)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_bytes(self) -> int:
        """The child's resident memory now."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS line in /proc/<pid>/status")

    async def stop(self, signum: int) -> tuple[int, str]:
        """Send a signal; the exit status and everything written to stderr."""
        self.process.send_signal(signum)
        await asyncio.wait_for(self.process.wait(), timeout=10)
        await asyncio.wait_for(self._reader, timeout=10)
        assert self.process.returncode is not None
        return self.process.returncode, b"".join(self._stderr).decode()

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        with suppress(asyncio.CancelledError):
            self._reader.cancel()
            await self._reader


async def spawn_mock_zonos(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )


@asynccontextmanager
async def serve_in_process(*args: str) -> AsyncIterator[ServerProcess]:
    """`python -m mock_zonos ARGS` serving, killed on the way out if still running."""
    process = await spawn_mock_zonos(*args)
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
    assert line.startswith("mock-zonos listening on "), line
    child = ServerProcess(process, line.split()[3])
    try:
        yield child
    finally:
        await child.kill()


async def raw_request(url: str, request: bytes) -> bytes:
    """Send these bytes as they are to the server at `url`; its whole answer. The
    request should say `Connection: close`, or the server waits for the next one."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()
        with suppress(ConnectionError):
            await writer.wait_closed()


def status_of(answer: bytes) -> int:
    """The status code of a raw HTTP answer."""
    return int(answer.split(b" ", 2)[1])


def raw_request_sync(url: str, request: bytes) -> bytes:
    """`raw_request` for sync code, against a server on another thread or process."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
