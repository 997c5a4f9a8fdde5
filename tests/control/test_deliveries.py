"""Reordering: hold new first attempts, then release them in fifo, reverse or shuffled order."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, GraphQL

AS_SHOP = {"credentialToken": DEFAULT_TOKEN}


async def _post(
    client: TestClient[Any, Any], path: str, payload: Any = None, token: str | None = DEFAULT_TOKEN
) -> tuple[int, dict[str, Any]]:
    headers = {"credentialToken": token} if token else {}
    response = await client.post(path, json=payload, headers=headers)
    return response.status, await response.json()


async def _held(client: TestClient[Any, Any], token: str | None = DEFAULT_TOKEN) -> dict[str, Any]:
    headers = {"credentialToken": token} if token else {}
    answer: dict[str, Any] = await (
        await client.get("/_mock/deliveries/held", headers=headers)
    ).json()
    return answer


async def test_updated_arrives_before_created_when_released_in_reverse(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_CREATED")
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    assert await _post(client, "/_mock/deliveries/hold") == (200, {"held": 0})
    status, created = await gql.trigger("ORDER_CREATED")
    assert status == 200
    assert created["deliveries"][0] | {"url": ""} == {
        "eventId": created["eventId"],
        "webhookId": created["deliveries"][0]["webhookId"],
        "url": "",
        "logId": None,
        "responseStatus": None,
        "error": None,
        "held": True,
    }
    _, updated = await gql.trigger("ORDER_UPDATED")
    held = await _held(client)
    assert held["holding"] is True and held["count"] == 2
    assert [row["eventId"] for row in held["held"]] == [created["eventId"], updated["eventId"]]
    assert receiver.requests == []

    status, answer = await _post(client, "/_mock/deliveries/release", {"order": "reverse"})
    assert status == 200
    received = [r.headers["X-Mock-Zonos-Event-Id"] for r in receiver.requests]
    assert received == [updated["eventId"], created["eventId"]]
    logs = await gql.logs()
    assert answer["released"] == [log["id"] for log in reversed(logs)]
    # What catches it: a receiver that re-reads the order instead of trusting arrival order.
    assert [log["type"] for log in reversed(logs)] == ["ORDER_UPDATED", "ORDER_CREATED"]


async def test_a_release_ends_the_hold(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url)
    await _post(client, "/_mock/deliveries/hold")
    await gql.trigger("ORDER_CREATED")
    await _post(client, "/_mock/deliveries/release", {})
    assert (await _held(client))["holding"] is False
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 200
    assert await _post(client, "/_mock/deliveries/release") == (200, {"released": []})


async def test_a_hold_with_a_token_holds_only_that_tenant(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    other = gql.as_token(OTHER_ORG_TOKEN)
    await gql.create_webhook(url=f"{receiver.url}/shop")
    await other.create_webhook(url=f"{receiver.url}/other")
    await _post(client, "/_mock/deliveries/hold")
    _, held = await gql.trigger("ORDER_CREATED")
    _, sent = await other.trigger("ORDER_CREATED")
    assert held["deliveries"][0]["held"] is True
    assert sent["deliveries"][0]["responseStatus"] == 200
    assert (await _held(client, OTHER_ORG_TOKEN)) == {"holding": False, "count": 0, "held": []}
    assert (await _held(client, None))["count"] == 1
    assert await _post(client, "/_mock/deliveries/release", token=OTHER_ORG_TOKEN) == (
        200,
        {"released": []},
    )
    assert [r.path for r in receiver.requests] == ["/other"]
    await _post(client, "/_mock/deliveries/release")
    assert [r.path for r in receiver.requests] == ["/other", "/shop"]


async def test_a_hold_without_a_token_holds_everyone(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    other = gql.as_token(OTHER_ORG_TOKEN)
    await gql.create_webhook(url=f"{receiver.url}/shop")
    await other.create_webhook(url=f"{receiver.url}/other")
    await _post(client, "/_mock/deliveries/hold", token=None)
    await gql.trigger("ORDER_CREATED")
    await other.trigger("ORDER_CREATED")
    assert (await _held(client, None))["count"] == 2
    _, answer = await _post(client, "/_mock/deliveries/release", token=None)
    assert len(answer["released"]) == 2
    assert [r.path for r in receiver.requests] == ["/shop", "/other"]


async def test_each_release_sends_one_attempt_after_another(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    with WebhookReceiver() as slow:
        slow.respond_with(delay=0.05)
        await gql.create_webhook(url=slow.url)
        await gql.create_webhook(url=receiver.url)
        await _post(client, "/_mock/deliveries/hold")
        await gql.trigger("ORDER_CREATED", count=3)
        _, answer = await _post(client, "/_mock/deliveries/release")
        assert len(answer["released"]) == 6
        logs = (await (await client.get("/_mock/logs", headers=AS_SHOP)).json())["logs"][::-1]
        assert [log["id"] for log in logs] == answer["released"]
        assert [log["url"] for log in logs] == [slow.url, receiver.url] * 3


async def test_a_shuffle_with_a_seed_is_repeatable(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url)

    async def shuffled(seed: int) -> list[int]:
        await _post(client, "/_mock/deliveries/hold")
        _, fired = await gql.trigger("ORDER_CREATED", count=8)
        await _post(client, "/_mock/deliveries/release", {"order": "shuffle", "seed": seed})
        sent = [r.headers["X-Mock-Zonos-Event-Id"] for r in receiver.requests[-8:]]
        return [fired["eventIds"].index(event_id) for event_id in sent]

    first = await shuffled(42)
    assert first == await shuffled(42)
    assert sorted(first) == list(range(8)) and first != list(range(8))


async def test_a_reset_drops_what_is_held_and_ends_the_hold(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url)
    await _post(client, "/_mock/deliveries/hold")
    await gql.trigger("ORDER_CREATED")
    await client.post("/_mock/reset")
    assert await _held(client) == {"holding": False, "count": 0, "held": []}
    assert await _post(client, "/_mock/deliveries/release") == (200, {"released": []})
    assert receiver.requests == []


async def test_a_held_delivery_whose_webhook_was_disabled_is_not_sent(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    webhook = await gql.create_webhook(url=receiver.url)
    await _post(client, "/_mock/deliveries/hold")
    await gql.trigger("ORDER_CREATED")
    await gql.data(
        'mutation { webhookUpdate(input: {id: "%s", status: DISABLED}) { id } }' % webhook["id"]
    )
    assert await _post(client, "/_mock/deliveries/release") == (200, {"released": []})
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("path", "payload", "message"),
    [
        ("/_mock/deliveries/release", {"order": "lifo"}, "the orders are fifo, reverse, shuffle"),
        ("/_mock/deliveries/release", {"order": "fifo", "seed": "x"}, '"seed" must be a whole'),
        ("/_mock/deliveries/release", {"sort": "fifo"}, "the fields are order, seed"),
        ("/_mock/deliveries/hold", {"order": "fifo"}, "hold takes no fields"),
    ],
)
async def test_bad_requests_are_refused(
    client: TestClient[Any, Any], path: str, payload: dict[str, Any], message: str
) -> None:
    status, answer = await _post(client, path, payload)
    assert status == 400
    assert message in answer["error"]
