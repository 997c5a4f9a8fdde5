"""Shared test helpers: a thin GraphQL client over real HTTP, and condition waits."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

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
