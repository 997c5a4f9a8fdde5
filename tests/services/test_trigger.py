"""Triggers: bodies made fresh from the samples, overrides and raw bodies, who receives what."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp.test_utils import TestClient

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import OTHER_ORG_TOKEN, GraphQL


async def test_overrides_merge_deeply(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url)
    await gql.trigger(
        "ORDER_CREATED",
        overrides={
            "data": {"order": {"accountOrderNumber": "A-1", "amountSubtotals": {"duties": 1.5}}}
        },
    )
    order = (await receiver.await_for(1))[0].json["data"]["order"]
    response = await client.get("/_mock/events/ORDER_CREATED")
    template = (await response.json())["body"]["data"]["order"]
    assert order["accountOrderNumber"] == "A-1"
    assert order["amountSubtotals"]["duties"] == 1.5
    assert order["amountSubtotals"]["items"] == template["amountSubtotals"]["items"]
    assert order["currencyCode"] == template["currencyCode"]
    assert [item["sku"] for item in order["items"]] == [item["sku"] for item in template["items"]]
    assert set(order) == set(template)


async def test_a_body_replaces_the_sample(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    await gql.trigger("ORDER_UPDATED", body={"anything": ["goes", 1]})
    assert (await receiver.await_for(1))[0].json == {"anything": ["goes", 1]}


async def test_every_trigger_makes_fresh_ids_and_timestamps(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="SHIPMENT_CREATED")
    await gql.trigger("SHIPMENT_CREATED")
    await gql.trigger("SHIPMENT_CREATED")
    first, second = (r.json["data"]["shipment"] for r in await receiver.await_for(2))
    assert first["id"] != second["id"]
    assert first["id"].startswith("shipment_")
    assert first["order"]["id"] != second["order"]["id"]
    assert first["order"]["id"].startswith("order_")
    assert "${" not in orjson.dumps(first).decode()


async def test_overrides_pin_what_would_be_fresh(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url)
    pinned = {"data": {"order": {"id": "order_pinned", "createdAt": "2024-07-23T16:18:57.104Z"}}}
    await gql.trigger("ORDER_CREATED", overrides=pinned)
    order = (await receiver.await_for(1))[0].json["data"]["order"]
    assert (order["id"], order["createdAt"]) == ("order_pinned", "2024-07-23T16:18:57.104Z")


async def test_wait_false_answers_202_before_any_attempt(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(delay=1)
    await gql.create_webhook(url=receiver.url)
    status, answer = await gql.trigger("ORDER_CREATED", wait=False)
    assert status == 202
    assert set(answer["deliveries"][0]) == {"eventId", "webhookId", "url"}
    assert await gql.logs() == []


async def test_without_a_token_a_trigger_reaches_every_organization(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=f"{receiver.url}/mine")
    await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=f"{receiver.url}/theirs")
    _, scoped = await gql.trigger("ORDER_CREATED")
    assert len(scoped["deliveries"]) == 1
    _, everyone = await gql.as_token(None).trigger("ORDER_CREATED")
    assert len(everyone["deliveries"]) == 2
    assert sorted(r.path for r in await receiver.await_for(3)) == ["/mine", "/mine", "/theirs"]


async def test_a_trigger_by_webhook_id_reaches_only_that_webhook(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    target = await gql.create_webhook(url=f"{receiver.url}/target")
    await gql.create_webhook(url=f"{receiver.url}/other")
    _, answer = await gql.trigger("ORDER_CREATED", webhookId=target["id"])
    assert [d["webhookId"] for d in answer["deliveries"]] == [target["id"]]
    status, refused = await gql.trigger("ORDER_UPDATED", webhookId=target["id"])
    assert status == 409
    assert "subscribes to ORDER_CREATED" in refused["error"]
    theirs = await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=receiver.url)
    status, _ = await gql.trigger("ORDER_CREATED", webhookId=theirs["id"])
    assert status == 404


async def test_a_body_nested_too_deep_to_send_is_a_400(gql: GraphQL) -> None:
    nested: dict[str, Any] = {}
    for _ in range(300):
        nested = {"inner": nested}
    for field in ("body", "overrides"):
        status, answer = await gql.trigger("INVENTORY_CHECK", **{field: nested})
        assert status == 400
        assert "cannot be sent as JSON" in answer["error"]
