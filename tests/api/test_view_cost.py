"""What a request costs: the zonos-query-complexity header, the limit, the rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.api.view import COST_HEADER
from mock_zonos.settings import Settings

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, GraphQL, error_of, wait_until

PAGE = "{ webhooks(first: 10) { edges { node { id } } } }"
CREATE = """mutation { webhookCreate(input: {url: "https://x.example", type: ORDER_CREATED,
             status: ENABLED}) { id headers { key } } }"""


async def post(client: TestClient[Any, Any], query: str, token: str = DEFAULT_TOKEN) -> Any:
    return await client.post("/graphql", json={"query": query}, headers={"credentialToken": token})


async def test_every_answer_carries_its_cost(client: TestClient[Any, Any]) -> None:
    response = await post(client, PAGE)
    assert response.status == 200
    assert response.headers[COST_HEADER] == "15"
    mutation = await post(client, CREATE)
    assert mutation.headers[COST_HEADER] == str(10 + 1 + 1)


async def test_the_cost_of_a_page_given_as_a_variable_is_read_per_request(
    client: TestClient[Any, Any],
) -> None:
    query = "query($n: Int) { webhooks(first: $n) { edges { node { id } } } }"
    for size in (1, 7):
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": {"n": size}},
            headers={"credentialToken": DEFAULT_TOKEN},
        )
        assert response.headers[COST_HEADER] == str(5 + size)


def test_the_limit_defaults_to_the_bucket_size() -> None:
    assert Settings().query_cost_limit == 300_000
    assert Settings(rate_limit_points=1_000).query_cost_limit == 1_000
    assert Settings(max_query_cost=50).query_cost_limit == 50
    with pytest.raises(ValueError, match="could never be paid for"):
        Settings(rate_limit=True, rate_limit_points=100, max_query_cost=101)


class TestCostLimit:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, max_query_cost=11)

    async def test_an_over_limit_query_is_refused_before_it_runs(
        self, client: TestClient[Any, Any], gql: GraphQL
    ) -> None:
        before = await gql.state()
        response = await post(client, CREATE)
        assert response.status == 400
        assert response.headers[COST_HEADER] == "12"
        body = await response.json()
        assert "data" not in body
        error = error_of(body)
        assert error["extensions"]["errorType"] == "BAD_REQUEST"
        assert error["message"].startswith(
            "The query costs 12 points, over the limit of 11 points per request."
        )
        assert await gql.state() == before

    async def test_a_query_within_the_limit_runs(self, client: TestClient[Any, Any]) -> None:
        response = await post(client, '{ webhook(id: "webhook_x") { id headers { key } } }')
        assert (response.status, response.headers[COST_HEADER]) == (200, "7")


class TestRateLimit:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, rate_limit=True, rate_limit_points=50, rate_limit_refill=1)

    async def test_an_empty_bucket_answers_429_with_retry_after(
        self, client: TestClient[Any, Any]
    ) -> None:
        for _ in range(3):  # 3 x 15 of the 50 points
            assert (await post(client, PAGE)).status == 200
        response = await post(client, PAGE)
        assert response.status == 429
        assert response.headers["Retry-After"] == "10"  # 10 more points at 1 a second
        assert response.headers[COST_HEADER] == "15"
        error = error_of(await response.json())
        assert error["extensions"]["errorType"] == "RATE_LIMITED"
        assert error["message"] == (
            "Rate limit exceeded: the query costs 15 points and 5 of 50 are left; "
            "the bucket gets back 1 point a second. Retry after 10 s."
        )

    async def test_each_credential_has_its_own_bucket(self, client: TestClient[Any, Any]) -> None:
        for _ in range(3):
            await post(client, PAGE)
        assert (await post(client, PAGE)).status == 429
        assert (await post(client, PAGE, OTHER_ORG_TOKEN)).status == 200

    async def test_a_reset_fills_every_bucket(self, client: TestClient[Any, Any]) -> None:
        for _ in range(4):
            await post(client, PAGE)
        assert (await client.post("/_mock/reset")).status == 200
        assert (await post(client, PAGE)).status == 200

    async def test_introspection_without_a_token_is_not_charged(
        self, client: TestClient[Any, Any]
    ) -> None:
        for _ in range(5):
            response = await client.post(
                "/graphql", json={"query": "{ __schema { types { name } } }"}
            )
            assert response.status == 200


class TestRefill:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, rate_limit=True, rate_limit_points=15, rate_limit_refill=100)

    async def test_the_bucket_refills_while_the_client_backs_off(
        self, client: TestClient[Any, Any]
    ) -> None:
        assert (await post(client, PAGE)).status == 200
        refused = await post(client, PAGE)
        assert refused.status == 429
        assert refused.headers["Retry-After"] == "1"

        async def served_again() -> bool:
            return bool((await post(client, PAGE)).status == 200)

        await wait_until(served_again, within=5.0, interval=0.05)
