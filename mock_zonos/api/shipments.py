"""Resolvers for shipments: `shipment`, `shipments` and the shipment mutations."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, QueryType

from ..domain.errors import InvalidInput
from ..domain.samples import JSONObject
from ..domain.world import ShipmentFilter
from ..services import orders
from .connections import Connection, page_request
from .context import Info
from .orders import world_of

query = QueryType()
mutation = MutationType()


@query.field("shipment")
def resolve_shipment(_: None, info: Info, id: str) -> JSONObject | None:
    return world_of(info).shipments.get(id)


@query.field("shipments")
def resolve_shipments(
    _: None, info: Info, filter: dict[str, Any] | None = None, **pagination: Any
) -> Connection:
    filter = filter or {}
    shipped = filter.get("ship_date") or {}
    page, total = world_of(info).shipments_page(
        page_request(**pagination),
        ShipmentFilter(
            order_id=filter.get("order_id"),
            service_level_id=filter.get("service_level_id"),
            shipped_after=shipped.get("after"),
            shipped_before=shipped.get("before"),
            shipment_type=filter.get("shipment_type"),
            tracking_number=filter.get("tracking_number"),
        ),
    )
    return Connection(page, total)


@mutation.field("shipmentCreateWorkflow")
def resolve_shipment_create_workflow(_: None, info: Info, input: dict[str, Any]) -> JSONObject:
    order_id = input.get("order_id")
    if order_id is None:
        raise InvalidInput(
            'Invalid value for "input.orderId": mock-zonos makes shipments of orders only.'
        )
    context = info.context
    (shipment,) = orders.create_shipments(context.backend, context.credential, order_id, [input])
    return shipment


@mutation.field("shipmentsCreateFromOrder")
def resolve_shipments_create_from_order(
    _: None, info: Info, input: dict[str, Any]
) -> list[JSONObject]:
    context = info.context
    return orders.create_shipments(
        context.backend, context.credential, input["order_id"], input["shipments"]
    )


@mutation.field("shipmentStatusUpdate")
def resolve_shipment_status_update(_: None, info: Info, input: dict[str, Any]) -> JSONObject:
    context = info.context
    return orders.update_shipment_status(
        context.backend, context.credential, input["shipment"], input["status"], input.get("note")
    )
