"""credentialToken auth and tenancy, lenient by default and strict on request."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.api.view import ANONYMOUS_BODY_LIMIT, MISSING_TOKEN
from mock_zonos.keys import EXECUTOR
from mock_zonos.settings import Settings

from ..helpers import GraphQL, error_of, raw_request, status_of


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


async def test_without_a_token_only_a_small_body_is_read(client: TestClient[Any, Any]) -> None:
    padding = " " * ANONYMOUS_BODY_LIMIT
    response = await client.post(
        "/graphql", data=f'{{"query": "{{ __schema {{ queryType {{ name }} }} }}{padding}"}}'
    )
    assert response.status == 401
    assert error_of(await response.json())["message"] == MISSING_TOKEN
    assert MISSING_TOKEN.endswith("except an introspection query of at most 8 KiB.")
    assert client.app[EXECUTOR].cached_entries == 0


async def test_nothing_is_parsed_for_a_request_without_a_token(
    client: TestClient[Any, Any],
) -> None:
    response = await client.post("/graphql", json={"query": "{ webhooks { nope } }"})
    assert response.status == 401
    executor = client.app[EXECUTOR]
    assert executor.cached_entries == 1  # parsed, being small: it might have been introspection
    large = "{ webhooks { totalCount } }" + " " * ANONYMOUS_BODY_LIMIT
    await client.post("/graphql", json={"query": large})
    assert executor.cached_entries == 1


async def test_a_token_that_is_not_utf8_is_401(client: TestClient[Any, Any]) -> None:
    body = b'{"query": "{ webhooks { totalCount } }"}'
    answer = await raw_request(
        str(client.make_url("")),
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"credentialToken: credential_test_\xff\xfe\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body),
    )
    assert status_of(answer) == 401
    assert b"must be printable UTF-8 text" in answer


async def test_mixing_introspection_with_data_needs_a_token(gql: GraphQL) -> None:
    status, _ = await gql.as_token(None).post("{ __typename webhooks { totalCount } }")
    assert status == 401


async def test_the_explorer_page_needs_no_token(client: TestClient[Any, Any]) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
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

    async def test_an_unknown_token_is_refused_before_its_body_is_read(
        self, client: TestClient[Any, Any]
    ) -> None:
        response = await client.post(
            "/graphql",
            data=b'{"query": "{ nope ' + b" " * 500_000 + b'"}',
            headers={"credentialToken": "credential_test_unknown"},
        )
        assert response.status == 401
        assert error_of(await response.json())["message"] == "The credentialToken is not valid."
        assert client.app[EXECUTOR].cached_entries == 0

    async def test_introspection_still_needs_no_token(self, gql: GraphQL) -> None:
        status, _ = await gql.as_token(None).post("{ __schema { types { name } } }")
        assert status == 200
