"""The loopback guard: Host and Origin checks against DNS rebinding and cross-site writes."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos import Settings

from .helpers import DEFAULT_TOKEN, GraphQL, error_of


class TestRequestGuard:
    async def test_a_foreign_host_name_is_refused(self, client: TestClient[Any, Any]) -> None:
        response = await client.get("/_mock/state", headers={"Host": "evil.example"})
        assert response.status == 403
        assert "loopback host names only" in (await response.json())["error"]
        graphql = await client.post(
            "/graphql",
            json={"query": "{ webhooks { totalCount } }"},
            headers={"Host": "rebound.example:8787", "credentialToken": DEFAULT_TOKEN},
        )
        assert graphql.status == 403
        assert error_of(await graphql.json())["extensions"]["errorType"] == "UNAUTHORIZED"

    async def test_loopback_host_names_are_served(self, client: TestClient[Any, Any]) -> None:
        for host in ("localhost:8787", "127.0.0.1", "[::1]:8787"):
            response = await client.get("/_mock/health", headers={"Host": host})
            assert response.status == 200, host

    async def test_a_write_from_another_site_is_refused(
        self, client: TestClient[Any, Any], gql: GraphQL
    ) -> None:
        await gql.create_webhook()
        before = await gql.state()
        response = await client.post(
            "/_mock/reset",
            data="{}",
            headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
        )
        assert response.status == 403
        assert await gql.state() == before

    async def test_a_write_from_the_dashboard_itself_is_served(
        self, client: TestClient[Any, Any]
    ) -> None:
        origin = str(client.make_url("")).rstrip("/")
        response = await client.post("/_mock/reset", headers={"Origin": origin})
        assert response.status == 200

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(host="127.0.0.1")


class TestBoundToEveryAddress:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(host="0.0.0.0")

    async def test_any_host_name_is_served(self, client: TestClient[Any, Any]) -> None:
        response = await client.get("/_mock/health", headers={"Host": "mock-zonos:8787"})
        assert response.status == 200
