"""The order and shipment queries and mutations, and the webhooks the mutations announce."""

from __future__ import annotations

from typing import Any

import pytest

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL, error_of

SEEDED = "order_c0ffee00-0000-4000-8000-00000000d001"
SEEDED_SHIPMENT = "shipment_c0ffee00-0000-4000-8000-00000000e001"
ORDER = """query($orderId: String!) { order(orderId: $orderId) {
  id accountOrderNumber status trackingNumbers updatedAt
  statusTransitions { status note }
  items { id }
  root { items { id } parties { id } order { id } }
  parties { id }
  shipments { id status }
} }"""


async def _new_order(gql: GraphQL) -> str:
    _, answer = await gql.trigger("ORDER_CREATED")
    order_id: str = answer["orderId"]
    return order_id


async def _order(gql: GraphQL, order_id: str) -> dict[str, Any]:
    order: dict[str, Any] = (await gql.data(ORDER, {"orderId": order_id}))["order"]
    return order


async def test_order_takes_the_php_sdks_id_variable(gql: GraphQL) -> None:
    data = await gql.data(
        "query Order($orderId: ID!) { order(orderId: $orderId) { id } }", {"orderId": SEEDED}
    )
    assert data == {"order": {"id": SEEDED}}
    status, body = await gql.post(
        "query($orderId: Int!) { order(orderId: $orderId) { id } }", {"orderId": 1}
    )
    assert status == 400
    assert "expecting type 'String!'" in error_of(body)["message"]


async def test_an_unknown_order_is_null_not_an_error(gql: GraphQL) -> None:
    status, body = await gql.post(ORDER, {"orderId": "order_nope"})
    assert (status, body) == (200, {"data": {"order": None}})


async def test_a_root_shows_its_orders_items_and_parties(gql: GraphQL) -> None:
    order = await _order(gql, SEEDED)
    assert order["root"]["items"] == order["items"]
    assert order["root"]["parties"] == order["parties"]
    assert order["root"]["order"] == {"id": SEEDED}


async def test_orders_page_newest_first_with_the_webhooks_rules(gql: GraphQL) -> None:
    made = [await _new_order(gql) for _ in range(3)]
    page = """query($after: String) { orders(first: 2, after: $after) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    first = (await gql.data(page, {"after": None}))["orders"]
    assert [edge["node"]["id"] for edge in first["edges"]] == [made[2], made[1]]
    rest = (await gql.data(page, {"after": first["pageInfo"]["endCursor"]}))["orders"]
    assert [edge["node"]["id"] for edge in rest["edges"]] == [made[0], SEEDED]
    assert rest["pageInfo"]["hasNextPage"] is False
    for bad in (
        "{ orders(first: 101) { pageInfo { hasNextPage } } }",
        '{ orders(after: "nope") { pageInfo { hasNextPage } } }',
    ):
        status, body = await gql.post(bad)
        assert status == 200
        assert error_of(body)["extensions"]["errorType"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"status": "COMPLETED"}, [SEEDED]),
        ({"accountOrderNumber": "TG-100917"}, [SEEDED]),
        ({"accountOrderNumber": "TG-0"}, []),
        ({"between": {"before": "2026-01-16T00:00:00Z"}}, [SEEDED]),
        ({"between": {"after": "2026-01-16T00:00:00Z"}, "status": "COMPLETED"}, []),
        ({"storeId": "store_1"}, []),
    ],
)
async def test_orders_filter(gql: GraphQL, filter: dict[str, Any], expected: list[str]) -> None:
    await _new_order(gql)
    data = await gql.data(
        "query($f: OrdersFilter) { orders(filter: $f) { edges { node { id } } } }", {"f": filter}
    )
    assert [edge["node"]["id"] for edge in data["orders"]["edges"]] == expected


async def test_a_new_account_order_number_is_announced_with_order_updated(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    data = await gql.data(
        'mutation { orderUpdateAccountOrderNumber(input: {accountOrderNumber: "A-77", '
        'id: "%s"}) { id accountOrderNumber } }' % SEEDED
    )
    assert data["orderUpdateAccountOrderNumber"] == {"id": SEEDED, "accountOrderNumber": "A-77"}
    (delivered,) = await receiver.await_for(1)
    assert delivered.json["data"]["order"]["accountOrderNumber"] == "A-77"
    assert (await _order(gql, SEEDED))["accountOrderNumber"] == "A-77"


async def test_an_account_order_number_in_use_is_a_bad_request(gql: GraphQL) -> None:
    other = await _new_order(gql)
    before = await _order(gql, other)
    _, body = await gql.post(
        'mutation { orderUpdateAccountOrderNumber(input: {accountOrderNumber: "TG-100917", '
        'id: "%s"}) { id } }' % other
    )
    error = error_of(body)
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert "TG-100917" in error["message"] and SEEDED in error["message"]
    assert await _order(gql, other) == before
    _, body = await gql.post(
        'mutation { orderUpdateAccountOrderNumber(input: {accountOrderNumber: "X", '
        'id: "order_nope"}) { id } }'
    )
    assert error_of(body)["extensions"]["errorType"] == "NOT_FOUND"


async def test_cancel_answers_before_the_delivery_is_done(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(delay=1)
    await gql.create_webhook(url=receiver.url, type="ORDER_CANCELED")
    order_id = await _new_order(gql)
    data = await gql.data('mutation { orderCancel(id: "%s") { id status } }' % order_id)
    assert data["orderCancel"] == {"id": order_id, "status": "CANCELED"}
    assert await gql.logs() == []
    (delivered,) = await receiver.await_for(1)
    assert delivered.json["data"]["order"]["status"] == "CANCELED"
    # Canceling again changes nothing and announces nothing.
    await gql.data('mutation { orderCancel(id: "%s") { id } }' % order_id)
    transitions = (await _order(gql, order_id))["statusTransitions"]
    assert [t["status"] for t in transitions] == ["OPEN", "CANCELED"]


async def test_tracking_numbers_are_added_once_and_removed(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    order_id = await _new_order(gql)
    add = 'mutation { orderAddTrackingNumber(input: {id: "%s", trackingNumbers: %s}) {'
    add += " id status trackingNumbers } }"
    data = await gql.data(add % (order_id, '["1Z1", "1Z2"]'))
    assert data["orderAddTrackingNumber"]["trackingNumbers"] == ["1Z1", "1Z2"]
    data = await gql.data(add % (order_id, '["1Z2", "1Z3"]'))
    assert data["orderAddTrackingNumber"]["trackingNumbers"] == ["1Z1", "1Z2", "1Z3"]
    remove = (
        'mutation { orderRemoveTrackingNumber(input: {id: "%s", trackingNumbers: ["1Z1"]}) '
        "{ trackingNumbers } }" % order_id
    )
    assert (await gql.data(remove))["orderRemoveTrackingNumber"]["trackingNumbers"] == [
        "1Z2",
        "1Z3",
    ]
    assert len(await receiver.await_for(3)) == 3
    _, body = await gql.post("mutation { orderAddTrackingNumber { id } }")
    assert error_of(body)["extensions"]["errorType"] == "BAD_REQUEST"
    _, body = await gql.post(add % (order_id, '["two\\nlines"]'))
    assert "printable" in error_of(body)["message"]


async def test_shipment_create_workflow_makes_a_shipment_and_announces_it(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="SHIPMENT_CREATED")
    order_id = await _new_order(gql)
    item = (await _order(gql, order_id))["items"][0]["id"]
    data = await gql.data(
        """mutation($input: ShipmentCreateWorkflowInput!) { shipmentCreateWorkflow(input: $input) {
          id status serviceLevel { code } order { id trackingNumbers status }
          shipmentCartons { carton { length weightUnit } tracking { number } }
        } }""",
        {
            "input": {
                "orderId": order_id,
                "serviceLevel": "dhl.express",
                "trackingNumbers": ["JD0001"],
                "shipmentCartons": [
                    {
                        "dimensionalUnit": "CENTIMETER",
                        "weightUnit": "KILOGRAM",
                        "length": 30,
                        "items": [{"itemId": item, "quantity": 1}],
                    },
                    {"dimensionalUnit": "INCH", "weightUnit": "POUND", "items": []},
                ],
            }
        },
    )
    shipment = data["shipmentCreateWorkflow"]
    assert shipment["serviceLevel"] == {"code": "dhl.express"}
    numbers = [carton["tracking"]["number"] for carton in shipment["shipmentCartons"]]
    assert numbers[0] == "JD0001" and numbers[1] != "JD0001"
    assert shipment["shipmentCartons"][0]["carton"] == {"length": 30, "weightUnit": "KILOGRAM"}
    assert shipment["order"]["trackingNumbers"] == numbers
    assert shipment["order"]["status"] == "PARTIALLY_SHIPPED"
    (delivered,) = await receiver.await_for(1)
    assert delivered.json["data"]["shipment"]["id"] == shipment["id"]


async def test_a_carton_with_an_item_of_no_order_is_refused_and_makes_nothing(
    gql: GraphQL,
) -> None:
    order_id = await _new_order(gql)
    _, body = await gql.post(
        """mutation { shipmentsCreateFromOrder(input: {orderId: "%s", shipments: [
          {shipmentCartons: [{dimensionalUnit: INCH, weightUnit: POUND, items: []}]},
          {shipmentCartons: [{dimensionalUnit: INCH, weightUnit: POUND,
                              items: [{itemId: "item_nope", quantity: 1}]}]}
        ]}) { id } }"""
        % order_id
    )
    assert "item_nope" in error_of(body)["message"]
    assert (await _order(gql, order_id))["shipments"] == []
    _, body = await gql.post("mutation { shipmentCreateWorkflow(input: {}) { id } }")
    assert error_of(body)["extensions"]["errorType"] == "BAD_REQUEST"


async def test_shipments_from_an_order_and_a_void_announced_as_canceled(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="SHIPMENT_CANCELED")
    order_id = await _new_order(gql)
    data = await gql.data(
        """mutation { shipmentsCreateFromOrder(input: {orderId: "%s", shipments: [
          {trackingNumber: "T-1", shipmentCartons: []}, {shipmentCartons: []}
        ]}) { id tracking { number } } }"""
        % order_id
    )
    first, second = data["shipmentsCreateFromOrder"]
    assert first["tracking"]["number"] == "T-1"
    update = (
        'mutation { shipmentStatusUpdate(input: {shipment: "%s", status: %s, note: "%s"}) '
        "{ status statusTransitions { status note } } }"
    )
    data = await gql.data(update % (first["id"], "IN_TRANSIT", "picked up"))
    assert data["shipmentStatusUpdate"]["statusTransitions"][-1] == {
        "status": "IN_TRANSIT",
        "note": "picked up",
    }
    await gql.data(update % (second["id"], "VOIDED", "label voided"))
    (delivered,) = await receiver.await_for(1)
    assert delivered.json["data"]["shipment"]["id"] == second["id"]
    assert "T-1" in (await _order(gql, order_id))["trackingNumbers"]


async def test_shipments_are_filtered_paged_and_counted(gql: GraphQL) -> None:
    order_id = await _new_order(gql)
    await gql.trigger("SHIPMENT_CREATED", orderId=order_id)
    _, second = await gql.trigger("SHIPMENT_CREATED", orderId=order_id)
    query = """query($f: ShipmentFilter, $last: Int) { shipments(filter: $f, last: $last) {
      totalCount edges { node { id order { id } } } pageInfo { hasNextPage hasPreviousPage } } }"""
    data = (await gql.data(query, {"f": {"orderId": order_id}}))["shipments"]
    assert data["totalCount"] == 2
    assert data["edges"][0]["node"]["id"] == second["shipmentId"]
    everything = (await gql.data(query, {"f": None}))["shipments"]
    assert everything["totalCount"] == 3
    oldest = (await gql.data(query, {"f": None, "last": 1}))["shipments"]
    assert [edge["node"]["id"] for edge in oldest["edges"]] == [SEEDED_SHIPMENT]
    number = await gql.data(
        "query($id: ID!) { shipment(id: $id) { tracking { number } } }",
        {"id": second["shipmentId"]},
    )
    tracked = await gql.data(
        query, {"f": {"trackingNumber": number["shipment"]["tracking"]["number"]}}
    )
    assert [e["node"]["id"] for e in tracked["shipments"]["edges"]] == [second["shipmentId"]]
