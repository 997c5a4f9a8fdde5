"""Resolvers for orders: `order`, `orders`, Root's links and the order mutations."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ..domain.errors import InvalidInput
from ..domain.samples import JSONObject
from ..domain.world import OrderFilter, World
from ..services import orders
from .connections import Connection, page_request
from .context import Info

query = QueryType()
mutation = MutationType()
root = ObjectType("Root")


def world_of(info: Info) -> World:
    context = info.context
    return context.store.tenant_of(context.credential).world


@query.field("order")
def resolve_order(_: None, info: Info, order_id: str) -> JSONObject | None:
    """The caller's order, or null: another tenant's order is as unknown as a made-up id."""
    return world_of(info).orders.get(order_id)


@query.field("orders")
def resolve_orders(
    _: None,
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: dict[str, Any] | None = None,
) -> Connection:
    filter = filter or {}
    between = filter.get("between") or {}
    page = world_of(info).orders_page(
        page_request(first=first, after=after),
        OrderFilter(
            account_order_number=filter.get("account_order_number"),
            created_after=between.get("after"),
            created_before=between.get("before"),
            status=filter.get("status"),
            store_id=filter.get("store_id"),
        ),
    )
    return Connection(page)


@root.field("items")
def resolve_root_items(value: JSONObject, info: Info) -> Any:
    # A root shows its order's items and parties; the world keeps them once, on the order.
    return value["order"].get("items")


@root.field("parties")
def resolve_root_parties(value: JSONObject, info: Info) -> Any:
    return value["order"].get("parties")


@mutation.field("orderUpdateAccountOrderNumber")
def resolve_update_account_order_number(_: None, info: Info, input: dict[str, Any]) -> JSONObject:
    context = info.context
    return orders.update_account_order_number(
        context.backend, context.credential, input["id"], input["account_order_number"]
    )


@mutation.field("orderCancel")
def resolve_order_cancel(_: None, info: Info, id: str) -> JSONObject:
    return orders.cancel_order(info.context.backend, info.context.credential, id)


@mutation.field("orderAddTrackingNumber")
def resolve_add_tracking_number(
    _: None, info: Info, input: dict[str, Any] | None = None
) -> JSONObject:
    return _tracking_numbers(info, input, add=True)


@mutation.field("orderRemoveTrackingNumber")
def resolve_remove_tracking_number(
    _: None, info: Info, input: dict[str, Any] | None = None
) -> JSONObject:
    return _tracking_numbers(info, input, add=False)


def _tracking_numbers(info: Info, input: dict[str, Any] | None, *, add: bool) -> JSONObject:
    if input is None:
        raise InvalidInput('Argument "input" is required: {id, trackingNumbers}.')
    context = info.context
    return orders.change_tracking_numbers(
        context.backend, context.credential, input["id"], input["tracking_numbers"], add=add
    )
