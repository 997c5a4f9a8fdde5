"""MockZonos' in-process client answers as the HTTP client does, and shares nothing.

Each test runs the same calls through both clients against one server and
compares: what differs may only be what differs between two calls anyway
(ids, times, request ids).
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.settings import Settings
from mock_zonos.testing.client import ControlRequestError, MockZonosClient
from mock_zonos.testing.in_process import InProcessClient

from ..helpers import DEFAULT_TOKEN


@pytest.fixture
def settings() -> Settings:
    return Settings(port=0, retry_delays=(), delivery_timeout=2.0, strict_auth=True)


@pytest.fixture
def clients(client: TestClient[Any, Any]) -> tuple[MockZonosClient, MockZonosClient]:
    url = str(client.make_url("")).rstrip("/")
    over_http = MockZonosClient(url, DEFAULT_TOKEN, client.session)
    in_process = InProcessClient(url, DEFAULT_TOKEN, client.session, client.app)
    return over_http, in_process


def _without_request_ids(response: dict[str, Any]) -> dict[str, Any]:
    for error in response.get("errors", ()):
        error["extensions"].pop("requestId", None)
        error["message"] = error["message"].split(" (request ")[0]
    return response


@pytest.mark.parametrize(
    ("query", "variables", "token"),
    [
        ("{ webhooks(first: 2) { totalCount edges { node { url type } } } }", None, None),
        ("query($n: Int) { webhooks(first: $n) { totalCount } }", {"n": 1}, None),
        ("query($n: Int) { webhooks(first: $n) { totalCount } }", {"n": "one"}, None),
        ("{ webhooks { nope } }", None, None),
        ("{ webhooks(", None, None),
        ('{ order(orderId: "order_unknown") { id } }', None, None),
        ("{ webhooks { totalCount } }", None, "credential_test_unknown"),
    ],
)
async def test_graphql_answers_are_those_of_http(
    clients: tuple[MockZonosClient, MockZonosClient],
    query: str,
    variables: dict[str, Any] | None,
    token: str | None,
) -> None:
    over_http, in_process = clients
    expected = await over_http.execute(query, variables, token)
    answered = await in_process.execute(query, variables, token)
    assert _without_request_ids(answered) == _without_request_ids(expected)


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "NOT_A_TYPE"},
        {"type": "ORDER_CREATED", "orderId": "order_unknown"},
        {"type": "ORDER_CREATED", "overrides": {"order": {}}},
        {"type": "INVENTORY_CHECK", "count": 0},
    ],
)
async def test_a_refused_trigger_raises_what_http_answers(
    clients: tuple[MockZonosClient, MockZonosClient], fields: dict[str, Any]
) -> None:
    refusals = []
    for api in clients:
        with pytest.raises(ControlRequestError) as refused:
            await api._post_trigger(fields, None)
        refusals.append((refused.value.status, str(refused.value)))
    assert refusals[0] == refusals[1]
    assert refusals[0][0] in (400, 404)


async def test_an_unknown_token_is_refused_in_strict_mode_as_over_http(
    clients: tuple[MockZonosClient, MockZonosClient],
) -> None:
    refusals = []
    for api in clients:
        with pytest.raises(ControlRequestError) as refused:
            await api.trigger("INVENTORY_CHECK", token="credential_test_unknown")
        refusals.append((refused.value.status, str(refused.value)))
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == 401


async def test_a_trigger_shares_no_object_with_its_caller(
    clients: tuple[MockZonosClient, MockZonosClient],
) -> None:
    _, in_process = clients
    overrides: dict[str, Any] = {"data": {"order": {"accountOrderNumber": "A-1"}}}
    fired = await in_process.trigger("ORDER_CREATED", overrides=overrides)
    assert fired.order_id is not None
    overrides["data"]["order"]["accountOrderNumber"] = "changed by the caller"
    order = await in_process.order(fired.order_id)
    assert order is not None and order["accountOrderNumber"] == "A-1"
    order["accountOrderNumber"] = "changed again"
    again = await in_process.order(fired.order_id)
    assert again is not None and again["accountOrderNumber"] == "A-1"
