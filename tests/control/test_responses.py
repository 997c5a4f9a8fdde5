"""What every /_mock/ endpoint shares: JSON errors, 405 with Allow, and the caller's token."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.settings import Settings

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN

UNKNOWN = {"credentialToken": "credential_test_unknown"}
ENDPOINTS = [
    ("GET", "/_mock/health"),
    ("GET", "/_mock/state"),
    ("GET", "/_mock/credentials"),
    ("GET", "/_mock/webhooks"),
    ("GET", "/_mock/logs"),
    ("GET", "/_mock/logs/webhook_log_x"),
    ("GET", "/_mock/events"),
    ("GET", "/_mock/stream"),
    ("POST", "/_mock/reset"),
    ("POST", "/_mock/trigger"),
    ("POST", "/_mock/logs/webhook_log_x/resend"),
]


class TestStrictAuth:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, strict_auth=True)

    @pytest.mark.parametrize(("method", "path"), ENDPOINTS)
    async def test_an_unknown_token_is_401_everywhere(
        self, client: TestClient[Any, Any], method: str, path: str
    ) -> None:
        before = await (await client.get("/_mock/state")).json()
        response = await client.request(method, path, json={}, headers=UNKNOWN)
        assert response.status == 401
        assert await response.json() == {"error": "The credentialToken is not valid."}
        assert await (await client.get("/_mock/state")).json() == before

    async def test_no_token_still_sees_every_organization(
        self, client: TestClient[Any, Any]
    ) -> None:
        state = await (await client.get("/_mock/state")).json()
        assert len(state["tenants"]) == 3
        assert len(state["credentials"]) == 3


async def test_with_a_token_state_and_credentials_show_its_tenant(
    client: TestClient[Any, Any],
) -> None:
    headers = {"credentialToken": OTHER_ORG_TOKEN}
    state = await (await client.get("/_mock/state", headers=headers)).json()
    assert [t["organizationId"] for t in state["tenants"]] == [
        "organization_decade00-0000-4000-8000-000000000002"
    ]
    assert [c["token"] for c in state["credentials"]] == [OTHER_ORG_TOKEN]
    mine = await (
        await client.get("/_mock/credentials", headers={"credentialToken": DEFAULT_TOKEN})
    ).json()
    assert [c["token"] for c in mine["credentials"]] == [DEFAULT_TOKEN]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/_mock/reset", "POST"),
        ("GET", "/_mock/trigger", "POST"),
        ("POST", "/_mock/state", "GET"),
    ],
)
async def test_a_wrong_method_is_405_naming_the_right_one(
    client: TestClient[Any, Any], method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert response.status == 405
    assert allowed in response.headers["Allow"]
    assert await response.json() == {"error": f"{method} is not allowed on {path}: use {allowed}"}
