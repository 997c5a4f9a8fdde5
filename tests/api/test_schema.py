"""schema.graphql is the real Zonos webhook slice, and the Python enums mirror it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    build_client_schema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    print_schema,
    print_type,
)

from mock_zonos.api.schema import ENUMS
from mock_zonos.api.schema import build_schema as build_executable_schema
from mock_zonos.domain.models import WebhookType
from mock_zonos.resources import schema_path

from ..helpers import GraphQL

ZONOS_SDL = Path(__file__).parent.parent / "zonos_schema_2026.graphql"


def test_the_webhook_slice_is_zonos_field_for_field() -> None:
    zonos = build_schema(ZONOS_SDL.read_text())
    ours = build_schema(schema_path().read_text())
    assert find_breaking_changes(zonos, ours) == []
    assert find_dangerous_changes(zonos, ours) == []
    for name, type_ in zonos.type_map.items():
        if name.startswith("__") or name in ("Query", "Mutation"):
            continue
        assert print_type(ours.type_map[name]) == print_type(type_)
    for root in ("Query", "Mutation"):
        theirs, mine = zonos.type_map[root], ours.type_map[root]
        assert isinstance(theirs, GraphQLObjectType) and isinstance(mine, GraphQLObjectType)
        for field_name, field in theirs.fields.items():
            assert str(mine.fields[field_name].type) == str(field.type)
            assert mine.fields[field_name].args.keys() == field.args.keys()


# The order and shipment slice as Zonos' TypeScript SDK (2024) gives it.
ORDER_SLICE = {
    "order": "order(orderId: String!): Order",
    "orders": "orders(first: Int, after: String, filter: OrdersFilter): OrderConnection",
    "shipment": "shipment(id: ID!): Shipment",
    "shipments": "shipments(first: Int, after: String, last: Int, before: String, "
    "filter: ShipmentFilter): ShipmentConnection",
    "orderUpdateAccountOrderNumber": "orderUpdateAccountOrderNumber("
    "input: OrderUpdateAccountOrderNumberInput!): Order!",
    "orderCancel": "orderCancel(id: ID!): Order!",
    "orderAddTrackingNumber": "orderAddTrackingNumber(input: OrderAddTrackingNumberInput): Order",
    "orderRemoveTrackingNumber": "orderRemoveTrackingNumber("
    "input: OrderRemoveTrackingNumberInput): Order",
    "shipmentCreateWorkflow": "shipmentCreateWorkflow(input: ShipmentCreateWorkflowInput!): "
    "Shipment",
    "shipmentsCreateFromOrder": "shipmentsCreateFromOrder("
    "input: ShipmentsCreateFromOrderInput!): [Shipment!]!",
    "shipmentStatusUpdate": "shipmentStatusUpdate(input: ShipmentStatusUpdateInput!): Shipment",
}
CONNECTIONS = {
    "OrderConnection": {"edges": "[OrderEdge]", "pageInfo": "PageInfo!"},
    "OrderEdge": {"cursor": "String", "node": "Order"},
    "ShipmentConnection": {
        "edges": "[ShipmentEdge]",
        "pageInfo": "PageInfo",
        "totalCount": "Int",
    },
    "ShipmentEdge": {"cursor": "String", "node": "Shipment"},
}


@pytest.mark.parametrize("name", ORDER_SLICE)
def test_order_operations_are_the_references(name: str) -> None:
    schema = build_schema(schema_path().read_text())
    root = schema.query_type if name in schema.query_type.fields else schema.mutation_type  # type: ignore[union-attr]
    assert root is not None
    field = root.fields[name]
    arguments = ", ".join(f"{arg}: {value.type}" for arg, value in field.args.items())
    assert f"{name}({arguments}): {field.type}" == ORDER_SLICE[name]


@pytest.mark.parametrize("name", CONNECTIONS)
def test_connections_are_each_as_the_reference_gives_them(name: str) -> None:
    type_ = build_schema(schema_path().read_text()).type_map[name]
    assert isinstance(type_, GraphQLObjectType)
    assert {field: str(value.type) for field, value in type_.fields.items()} == CONNECTIONS[name]


async def test_the_served_schema_is_schema_graphql(gql: GraphQL) -> None:
    status, body = await gql.as_token(None).post(get_introspection_query())
    assert status == 200
    served = build_client_schema(body["data"])
    assert print_schema(served) == print_schema(build_schema(schema_path().read_text()))


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_python_enums_mirror_the_graphql_enums(enum: type[StrEnum]) -> None:
    graphql_enum = build_executable_schema().type_map[enum.__name__]
    assert isinstance(graphql_enum, GraphQLEnumType)
    assert sorted(graphql_enum.values) == sorted(member.name for member in enum)
    assert all(member.name == member.value for member in enum)


def test_there_are_23_webhook_types() -> None:
    assert len(WebhookType) == 23
