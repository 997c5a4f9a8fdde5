"""credentialToken auth and tenancy, lenient by default and strict on request."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.settings import Settings

from ..helpers import GraphQL, error_of


async def test_a_missing_token_is_401_unauthorized(gql: GraphQL) -> None:
    status, body = await gql.as_token(None).post("{ webhooks { totalCount } }")
    assert status == 401
    error = error_of(body)
    assert error["extensions"]["errorType"] == "UNAUTHORIZED"
    assert "credentialToken" in error["message"]
    assert "data" not in body


async def test_a_mutation_without_a_token_changes_nothing(gql: GraphQL) -> None:
    before = await gql.state()
    status, _ = await gql.as_token(None).post(
        'mutation { webhookCreate(input: {url: "https://x.example", type: ORDER_CREATED, '
        "status: ENABLED}) { id } }"
    )
    assert status == 401
    assert await gql.state() == before


async def test_introspection_needs_no_token(gql: GraphQL) -> None:
    anonymous = gql.as_token(None)
    status, body = await anonymous.post("{ __schema { queryType { name } } }")
    assert (status, body) == (200, {"data": {"__schema": {"queryType": {"name": "Query"}}}})
    status, body = await anonymous.post('{ __type(name: "WebhookLog") { name } }')
    assert (status, body["data"]["__type"]["name"]) == (200, "WebhookLog")


async def test_mixing_introspection_with_data_needs_a_token(gql: GraphQL) -> None:
    status, _ = await gql.as_token(None).post("{ __typename webhooks { totalCount } }")
    assert status == 401


async def test_the_explorer_page_needs_no_token(client: TestClient[Any, Any]) -> None:
    response = await client.get("/graphql")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "<html" in (await response.text()).lower()


async def test_an_unknown_token_gets_a_fresh_organization(gql: GraphQL) -> None:
    newcomer = gql.as_token("credential_test_someone-new")
    created = await newcomer.create_webhook()
    assert created["organizationId"].startswith("organization_")
    assert created["organizationId"] != "organization_c0ffee00-0000-4000-8000-000000000001"
    assert created["mode"] == "TEST"
    data = await newcomer.data("{ webhooks { totalCount } }")
    assert data["webhooks"]["totalCount"] == 1
    another = await gql.as_token("credential_test_someone-else").data("{ webhooks { totalCount } }")
    assert another["webhooks"]["totalCount"] == 0


async def test_an_unknown_live_token_gets_live_mode(gql: GraphQL) -> None:
    created = await gql.as_token("credential_live_brand-new").create_webhook()
    assert created["mode"] == "LIVE"
    other = await gql.as_token("some-token-without-prefix").create_webhook()
    assert other["mode"] == "TEST"


async def test_live_and_test_modes_of_one_organization_are_separate(gql: GraphQL) -> None:
    live = gql.as_token("credential_live_c0ffee00-0000-4000-8000-000000000002")
    created = await live.create_webhook()
    assert created["mode"] == "LIVE"
    assert created["organizationId"] == "organization_c0ffee00-0000-4000-8000-000000000001"
    assert await gql.data('{ webhook(id: "%s") { id } }' % created["id"]) == {"webhook": None}


class TestStrictAuth:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, strict_auth=True)

    async def test_an_unknown_token_is_401(self, gql: GraphQL) -> None:
        status, body = await gql.as_token("credential_test_unknown").post(
            "{ webhooks { totalCount } }"
        )
        assert status == 401
        assert error_of(body)["extensions"]["errorType"] == "UNAUTHORIZED"

    async def test_a_fixture_token_still_works(self, gql: GraphQL) -> None:
        data = await gql.data("{ webhooks { totalCount } }")
        assert data["webhooks"]["totalCount"] == 1

    async def test_introspection_still_needs_no_token(self, gql: GraphQL) -> None:
        status, _ = await gql.as_token(None).post("{ __schema { types { name } } }")
        assert status == 200
