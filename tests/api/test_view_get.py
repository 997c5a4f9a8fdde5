"""GraphQL over GET: queries for clients that ask for JSON, the explorer for browsers."""

from __future__ import annotations

import json
from typing import Any

from aiohttp.test_utils import TestClient

from ..helpers import DEFAULT_TOKEN, error_of

JSON = {"Accept": "application/json", "credentialToken": DEFAULT_TOKEN}


async def get(client: TestClient[Any, Any], headers: dict[str, str], **params: str) -> Any:
    return await client.get("/graphql", params=params, headers=headers)


async def test_a_query_runs_over_get(client: TestClient[Any, Any]) -> None:
    response = await get(client, JSON, query="{ webhooks { totalCount } }")
    assert response.status == 200
    assert await response.json() == {"data": {"webhooks": {"totalCount": 1}}}
    assert response.headers["zonos-query-complexity"] == "5"


async def test_variables_and_operation_name_come_from_the_query_string(
    client: TestClient[Any, Any],
) -> None:
    response = await get(
        client,
        JSON,
        query="query A($n: Int) { webhooks(first: $n) { totalCount } } query B { __typename }",
        variables=json.dumps({"n": 1}),
        operationName="A",
    )
    assert (await response.json())["data"] == {"webhooks": {"totalCount": 1}}
    bad = await get(client, JSON, query="{ __typename }", variables="{nope")
    assert bad.status == 400
    assert '"variables" is not valid JSON' in error_of(await bad.json())["message"]


async def test_a_mutation_over_get_is_405_and_changes_nothing(
    client: TestClient[Any, Any],
) -> None:
    before = await (await client.get("/_mock/state")).json()
    response = await get(client, JSON, query='mutation { webhookDelete(id: "x") }')
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    error = error_of(await response.json())
    assert error["message"] == "A mutation needs POST: GET runs queries only."
    assert await (await client.get("/_mock/state")).json() == before


async def test_get_without_a_query_says_how_to_send_one(client: TestClient[Any, Any]) -> None:
    response = await get(client, JSON)
    assert response.status == 400
    assert "?query=" in error_of(await response.json())["message"]


async def test_a_browser_gets_the_explorer(client: TestClient[Any, Any]) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = await get(client, browser, query="{ __typename }")
    assert response.status == 200
    assert response.content_type == "text/html"


async def test_get_keeps_the_token_rules(client: TestClient[Any, Any]) -> None:
    anonymous = {"Accept": "application/json"}
    introspection = await get(client, anonymous, query="{ __schema { queryType { name } } }")
    assert introspection.status == 200
    data = await get(client, anonymous, query="{ webhooks { totalCount } }")
    assert data.status == 401


async def test_other_methods_are_405_with_allow(client: TestClient[Any, Any]) -> None:
    for path in ("/graphql", "/graphql/"):
        response = await client.put(path, json={"query": "{ __typename }"})
        assert response.status == 405
        assert response.headers["Allow"] == "GET, POST"
        error = error_of(await response.json())
        assert error["message"] == f"PUT is not allowed on {path}: use POST (or GET for a query)."
