"""Events act on the world: orders and shipments made and changed, agreed on by the API."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import OTHER_ORG_TOKEN, GraphQL

ORDER = """query($orderId: String!) { order(orderId: $orderId) {
  id zonosOrderId accountOrderNumber status organization mode trackingNumbers
  statusTransitions { status note }
  shipments { id status trackingDetails { number } }
} }"""


async def _answer(gql: GraphQL, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    return await gql.data(query, variables)


async def _delivered(receiver: WebhookReceiver, count: int) -> dict[str, Any]:
    """The body of the `count`-th request the receiver got."""
    body: dict[str, Any] = (await receiver.await_for(count))[count - 1].json
    return body


async def test_an_order_created_is_the_tenants_own_and_the_api_knows_it(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    webhook = await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=receiver.url)
    status, answer = await gql.as_token(OTHER_ORG_TOKEN).trigger("ORDER_CREATED")
    assert status == 200
    body = await _delivered(receiver, 1)
    order = body["data"]["order"]
    assert order["id"] == answer["orderId"]
    assert order["organization"] == "organization_decade00-0000-4000-8000-000000000002"
    assert order["mode"] == "TEST"
    # The body is the webhook's own query answered on the world, now as then.
    again = await gql.as_token(OTHER_ORG_TOKEN).data(webhook["query"], {"orderId": order["id"]})
    assert again == body["data"]


async def test_two_orders_created_get_their_own_numbers_and_ids(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED")
    await gql.trigger("ORDER_CREATED")
    first, second = (r.json["data"]["order"] for r in await receiver.await_for(2))
    for field in ("id", "zonosOrderId", "accountOrderNumber", "createdAt"):
        assert first[field] != second[field], field
    assert {item["id"] for item in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    assert int(second["zonosOrderId"]) == int(first["zonosOrderId"]) + 1


async def test_another_organization_cannot_see_or_trigger_the_order(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    _, answer = await gql.trigger("ORDER_CREATED")
    theirs = gql.as_token(OTHER_ORG_TOKEN)
    assert (await theirs.data(ORDER, {"orderId": answer["orderId"]}))["order"] is None
    status, refused = await theirs.trigger("ORDER_CANCELED", orderId=answer["orderId"])
    assert status == 404
    assert answer["orderId"] in refused["error"]
    live = gql.as_token("credential_live_c0ffee00-0000-4000-8000-000000000002")
    assert (await live.data(ORDER, {"orderId": answer["orderId"]}))["order"] is None


async def test_without_a_token_the_order_is_found_wherever_it_is(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=receiver.url, type="ORDER_CANCELED")
    _, made = await gql.as_token(OTHER_ORG_TOKEN).trigger("ORDER_CREATED")
    status, _ = await gql.as_token(None).trigger("ORDER_CANCELED", orderId=made["orderId"])
    assert status == 200
    assert (await _delivered(receiver, 1))["data"]["order"]["status"] == "CANCELED"
    status, _ = await gql.as_token(None).trigger("ORDER_CANCELED", orderId="order_nope")
    assert status == 404


async def test_without_a_token_each_subscribing_tenant_gets_an_order_of_its_own(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=f"{receiver.url}/mine")
    await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=f"{receiver.url}/theirs")
    _, answer = await gql.as_token(None).trigger("ORDER_CREATED")
    assert len(answer["orderIds"]) == 2
    bodies = {r.path: r.json["data"]["order"] for r in await receiver.await_for(2)}
    assert bodies["/mine"]["organization"] != bodies["/theirs"]["organization"]
    assert {bodies["/mine"]["id"], bodies["/theirs"]["id"]} == set(answer["orderIds"])


async def test_every_order_and_shipment_type_acts_on_one_order(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    _, made = await gql.trigger("ORDER_CREATED")
    order_id = made["orderId"]
    expected = {
        "ORDER_SHIPPING": "PARTIALLY_SHIPPED",
        "COLLECT_PAYMENT_FAILED": "PAYMENT_FAILED",
        "COLLECT_PAYMENT_SUCCEEDED": "OPEN",
        "ORDER_COMBINED": "COMBINED",
        "ORDER_CANCELED": "CANCELED",
    }
    for type, status in expected.items():
        _, answer = await gql.trigger(type, orderId=order_id)
        assert answer["orderId"] == order_id
        order = (await gql.data(ORDER, {"orderId": order_id}))["order"]
        assert order["status"] == status, type
    transitions = [t["status"] for t in order["statusTransitions"]]
    assert transitions == ["OPEN", *expected.values()]


async def test_status_changed_sets_the_status_given_or_completed(gql: GraphQL) -> None:
    _, made = await gql.trigger("ORDER_STATUS_CHANGED", status="FRAUD_HOLD")
    order = (await gql.data(ORDER, {"orderId": made["orderId"]}))["order"]
    assert (order["status"], order["statusTransitions"][-1]["status"]) == ("FRAUD_HOLD",) * 2
    await gql.trigger("ORDER_STATUS_CHANGED", orderId=made["orderId"])
    order = (await gql.data(ORDER, {"orderId": made["orderId"]}))["order"]
    assert order["status"] == "COMPLETED"


async def test_a_collect_order_starts_waiting_for_its_payment(gql: GraphQL) -> None:
    _, made = await gql.trigger("COLLECT_EMAIL_SENT")
    order = (await gql.data(ORDER, {"orderId": made["orderId"]}))["order"]
    assert order["status"] == "PAYMENT_PENDING"


async def test_a_shipment_created_joins_its_order_and_its_cancellation_leaves_it(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=f"{receiver.url}/created", type="SHIPMENT_CREATED")
    await gql.create_webhook(url=f"{receiver.url}/canceled", type="SHIPMENT_CANCELED")
    _, made = await gql.trigger("ORDER_CREATED")
    _, shipped = await gql.trigger("SHIPMENT_CREATED", orderId=made["orderId"])
    created = (await _delivered(receiver, 1))["data"]["shipment"]
    assert created["id"] == shipped["shipmentId"]
    assert created["order"]["id"] == made["orderId"]
    number = created["tracking"]["number"]
    order = (await gql.data(ORDER, {"orderId": made["orderId"]}))["order"]
    assert order["trackingNumbers"] == [number]
    assert order["status"] == "PARTIALLY_SHIPPED"
    assert order["shipments"] == [
        {"id": created["id"], "status": "CREATED", "trackingDetails": [{"number": number}]}
    ]
    await gql.trigger("SHIPMENT_CANCELED", shipmentId=created["id"])
    canceled = (await _delivered(receiver, 2))["data"]["shipment"]
    assert canceled["status"] == "VOIDED"
    assert canceled["statusTransitions"][-1]["status"] == "VOIDED"
    assert canceled["order"]["trackingNumbers"] == []


async def test_a_type_alone_makes_what_it_needs(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url, type="SHIPMENT_CANCELED")
    _, answer = await gql.trigger("SHIPMENT_CANCELED")
    shipment = (await _delivered(receiver, 1))["data"]["shipment"]
    assert shipment["id"] == answer["shipmentId"]
    assert shipment["status"] == "VOIDED"
    assert shipment["order"]["id"] == answer["orderId"]


async def test_overrides_become_the_orders_state(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url)
    overrides = {"data": {"order": {"accountOrderNumber": "A-1", "currencyCode": "EUR"}}}
    _, answer = await gql.trigger("ORDER_CREATED", overrides=overrides)
    assert (await _delivered(receiver, 1))["data"]["order"]["accountOrderNumber"] == "A-1"
    order = await gql.data(
        "query($id: String!) { order(orderId: $id) { accountOrderNumber currencyCode } }",
        {"id": answer["orderId"]},
    )
    assert order["order"] == {"accountOrderNumber": "A-1", "currencyCode": "EUR"}


async def test_overridden_items_are_completed_like_the_templates(gql: GraphQL) -> None:
    item = {"name": "Gift card", "amount": 25, "sku": "GC-25"}
    _, answer = await gql.trigger("ORDER_CREATED", overrides={"data": {"order": {"items": [item]}}})
    data = await gql.data(
        "query($id: String!) { order(orderId: $id) { items { id name amount quantity mode "
        "createdAt } } }",
        {"id": answer["orderId"]},
    )
    (stored,) = data["order"]["items"]
    assert stored["id"].startswith("item_")
    assert (stored["name"], stored["amount"], stored["quantity"]) == ("Gift card", 25, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"data": {"order": {"colour": "red"}}}, "overrides.data.order.colour: Order has no"),
        ({"data": {"order": {"status": "LOST"}}}, "must be a OrderStatus"),
        ({"data": {"order": {"amountSubtotals": {"duties": "ten"}}}}, "must be a number"),
        ({"data": {"order": {"createdAt": "yesterday"}}}, "RFC 3339"),
        ({"data": {"order": {"items": [{"name": "x"}]}}}, "items[0].amount: is required"),
        ({"data": {"order": {"organization": "organization_x"}}}, "cannot change"),
        ({"data": {"order": {"shipments": []}}}, "a link the world keeps"),
        ({"data": {"order": {"root": {"order": None}}}}, "root.order: a link"),
        ({"data": {"shipment": {}}}, 'as {"data": {"order": {...}}}'),
        ({"order": {}}, 'as {"data": {"order": {...}}}'),
    ],
)
async def test_a_bad_override_is_refused_and_changes_nothing(
    gql: GraphQL, overrides: dict[str, Any], message: str
) -> None:
    _, made = await gql.trigger("ORDER_CREATED")
    before = await gql.data(ORDER, {"orderId": made["orderId"]})
    orders_before = await gql.data("{ orders(first: 100) { edges { node { id } } } }")
    for subject in ({}, {"orderId": made["orderId"]}):
        status, answer = await gql.trigger("ORDER_UPDATED", overrides=overrides, **subject)
        assert status == 400, answer
        assert message in answer["error"]
    assert await gql.data(ORDER, {"orderId": made["orderId"]}) == before
    assert await gql.data("{ orders(first: 100) { edges { node { id } } } }") == orders_before


async def test_an_override_can_pin_a_new_orders_id(gql: GraphQL) -> None:
    _, made = await gql.trigger("ORDER_CREATED", overrides={"data": {"order": {"id": "order_1"}}})
    assert made["orderId"] == "order_1"
    assert (await gql.data(ORDER, {"orderId": "order_1"}))["order"]["id"] == "order_1"
    status, answer = await gql.trigger(
        "ORDER_CREATED", overrides={"data": {"order": {"id": "order_1"}}}
    )
    assert status == 400
    assert "already in use" in answer["error"]


async def test_a_raw_body_touches_no_state(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url)
    before = await gql.data("{ orders { edges { node { id } } } }")
    _, answer = await gql.trigger("ORDER_CREATED", body={"data": {"order": {"id": "made_up"}}})
    assert "orderId" not in answer
    assert (await _delivered(receiver, 1)) == {"data": {"order": {"id": "made_up"}}}
    assert await gql.data("{ orders { edges { node { id } } } }") == before


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"type": "INVENTORY_CHECK", "orderId": "order_x"}, 400, 'takes no "orderId"'),
        ({"type": "ORDER_CREATED", "shipmentId": "s"}, 400, "its subject fields: orderId"),
        ({"type": "ORDER_UPDATED", "status": "OPEN"}, 400, 'takes no "status"'),
        ({"type": "SHIPMENT_CANCELED", "orderId": "o"}, 400, "shipmentId"),
        ({"type": "ORDER_STATUS_CHANGED", "status": "LOST"}, 400, "must be an OrderStatus"),
        ({"type": "ORDER_UPDATED", "orderId": 5}, 400, '"orderId" must be a string'),
        ({"type": "ORDER_UPDATED", "orderId": "order_nope"}, 404, "order_nope"),
        ({"type": "SHIPMENT_CANCELED", "shipmentId": "shipment_nope"}, 404, "shipment_nope"),
        ({"type": "ORDER_UPDATED", "orderId": "o", "body": {}}, 400, 'a raw "body"'),
    ],
)
async def test_bad_subjects_are_refused(
    client: TestClient[Any, Any], fields: dict[str, Any], status: int, message: str
) -> None:
    headers = {"credentialToken": "credential_test_c0ffee00-0000-4000-8000-000000000001"}
    before = await (await client.get("/_mock/orders", headers=headers)).json()
    response = await client.post("/_mock/trigger", json=fields, headers=headers)
    assert response.status == status
    assert message in (await response.json())["error"]
    assert await (await client.get("/_mock/orders", headers=headers)).json() == before


async def test_count_makes_as_many_orders(gql: GraphQL) -> None:
    _, answer = await gql.trigger("ORDER_CREATED", count=3)
    assert len(set(answer["orderIds"])) == 3
    assert answer["orderId"] == answer["orderIds"][0]


async def test_the_orders_of_one_count_share_no_list_with_each_other(gql: GraphQL) -> None:
    overrides = {"data": {"order": {"trackingNumbers": ["1Z0"]}}}
    _, answer = await gql.trigger("ORDER_CREATED", count=2, overrides=overrides)
    first, second = answer["orderIds"]
    add = 'mutation { orderAddTrackingNumber(input: {id: "%s", trackingNumbers: ["1Z1"]}) { id } }'
    await gql.data(add % first)
    read = "query($id: String!) { order(orderId: $id) { trackingNumbers } }"
    assert (await gql.data(read, {"id": first}))["order"]["trackingNumbers"] == ["1Z0", "1Z1"]
    assert (await gql.data(read, {"id": second}))["order"]["trackingNumbers"] == ["1Z0"]


async def test_a_reset_puts_the_world_back_to_the_fixtures(
    gql: GraphQL, client: TestClient[Any, Any]
) -> None:
    before = await gql.data("{ orders { edges { node { id status trackingNumbers } } } }")
    _, made = await gql.trigger("ORDER_CREATED")
    await gql.trigger("ORDER_CANCELED", orderId="order_c0ffee00-0000-4000-8000-00000000d001")
    await client.post("/_mock/reset")
    assert await gql.data("{ orders { edges { node { id status trackingNumbers } } } }") == before
    assert (await gql.data(ORDER, {"orderId": made["orderId"]}))["order"] is None


async def test_inventory_and_inclusive_price_bodies_carry_the_tenants_organization(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=receiver.url, type="INVENTORY_CHECK")
    await gql.as_token(None).trigger("INVENTORY_CHECK")
    inventory = (await _delivered(receiver, 1))["data"]["inventory"]
    assert inventory["organization"] == "organization_decade00-0000-4000-8000-000000000002"
    assert "${" not in orjson.dumps(inventory).decode()
