"""The order and shipment mutations: each checks its input, changes the caller's world, and
announces the change with the webhook Zonos would send (mock behaviour, in the README).

Nothing changes until everything is checked: a refused mutation changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ..domain.clock import format_timestamp
from ..domain.effects import (
    add_tracking_numbers,
    remove_tracking_numbers,
    set_order_status,
    set_shipment_status,
    touch,
)
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import Credential, WebhookType
from ..domain.orders import OrderStatus, ShipmentStatusType
from ..domain.samples import JSONObject
from ..domain.world import World
from .backend import Backend
from .events import announce
from .world import make_shipment, store_shipment

# A tracking number is one line of printable text of reasonable length.
MAX_TRACKING_NUMBER = 100


def _world(backend: Backend, caller: Credential) -> World:
    return backend.store.tenant_of(caller).world


def _order(world: World, order_id: str) -> JSONObject:
    order = world.orders.get(order_id)
    if order is None:
        raise NotFound(f"Order {order_id} was not found.")
    return order


def update_account_order_number(
    backend: Backend, caller: Credential, order_id: str, number: str
) -> JSONObject:
    """Give the order a new accountOrderNumber, unique in its organization; ORDER_UPDATED."""
    world = _world(backend, caller)
    order = _order(world, order_id)
    if not number.strip():
        raise InvalidInput('Invalid value for "input.accountOrderNumber": it must not be empty.')
    world.renumber(order, number)
    touch(order, backend.store.stamp(caller))
    announce(backend, WebhookType.ORDER_UPDATED, caller, order)
    return order


def cancel_order(backend: Backend, caller: Credential, order_id: str) -> JSONObject:
    """CANCELED, with its transition; ORDER_CANCELED. Canceling it again changes nothing."""
    order = _order(_world(backend, caller), order_id)
    if order["status"] != OrderStatus.CANCELED:
        set_order_status(order, OrderStatus.CANCELED, backend.store.stamp(caller), "canceled")
        announce(backend, WebhookType.ORDER_CANCELED, caller, order)
    return order


def change_tracking_numbers(
    backend: Backend, caller: Credential, order_id: str, numbers: Sequence[str], *, add: bool
) -> JSONObject:
    """Add (without duplicates) or remove tracking numbers; ORDER_UPDATED."""
    order = _order(_world(backend, caller), order_id)
    _check_tracking_numbers(numbers, "input.trackingNumbers")
    stamp = backend.store.stamp(caller)
    if add:
        add_tracking_numbers(order, numbers, stamp)
    else:
        remove_tracking_numbers(order, numbers, stamp)
    announce(backend, WebhookType.ORDER_UPDATED, caller, order)
    return order


def _check_tracking_numbers(numbers: Sequence[str], where: str) -> None:
    for index, number in enumerate(numbers):
        if not number.strip() or len(number) > MAX_TRACKING_NUMBER or not number.isprintable():
            raise InvalidInput(
                f'Invalid value for "{where}[{index}]": a tracking number is one line of '
                f"1 to {MAX_TRACKING_NUMBER} printable characters, got {number!r}."
            )


def create_shipments(
    backend: Backend, caller: Credential, order_id: str, requests: Sequence[Mapping[str, Any]]
) -> list[JSONObject]:
    """One CREATED shipment per request, each announced with SHIPMENT_CREATED.

    A request holds the input fields of shipmentCreateWorkflow or of one of
    shipmentsCreateFromOrder's shipments, names converted to snake_case.
    """
    world = _world(backend, caller)
    order = _order(world, order_id)
    stamp = backend.store.stamp(caller)
    made = []
    for index, request in enumerate(requests):
        where = f"input.shipments[{index}]" if len(requests) > 1 else "input"
        content, numbers = _shipment_content(order, request, where)
        made.append(make_shipment(backend, world, order, stamp, content, numbers))
    for shipment in made:
        store_shipment(world, shipment, stamp)
        announce(backend, WebhookType.SHIPMENT_CREATED, caller, order, shipment)
    return made


def _shipment_content(
    order: JSONObject, request: Mapping[str, Any], where: str
) -> tuple[JSONObject, Sequence[str | None]]:
    """Shipment fields and tracking numbers from a mutation's input, checked."""
    content: JSONObject = {}
    level = request.get("service_level")
    if level is not None:
        content["serviceLevel"] = {"id": level, "code": level, "name": level}
    for name, field in (("declared_value", "declaredValue"), ("exemption", "exemption")):
        if request.get(name) is not None:
            content[field] = request[name]
    if request.get("itn_number") is not None:
        content["itnNumber"] = request["itn_number"]
    if isinstance(request.get("shipment_date"), datetime):
        content["shipmentDate"] = format_timestamp(request["shipment_date"])
    # Each carton's own tracking number, else the next one the request gives, else a fresh one.
    pool = [request["tracking_number"]] if request.get("tracking_number") else []
    pool += request.get("tracking_numbers") or []
    _check_tracking_numbers(pool, f"{where}.trackingNumbers")
    cartons = request.get("shipment_cartons") or []
    if not cartons:
        return content, pool
    item_ids = {item["id"] for item in order.get("items") or []}
    numbers: list[str | None] = []
    content["shipmentCartons"] = []
    for index, carton in enumerate(cartons):
        for position, item in enumerate(carton.get("items") or []):
            if item["item_id"] not in item_ids:
                raise NotFound(
                    f'"{where}.shipmentCartons[{index}].items[{position}].itemId": order '
                    f"{order['id']} has no item {item['item_id']}."
                )
        own = carton.get("tracking_number")
        if own:
            _check_tracking_numbers([own], f"{where}.shipmentCartons[{index}].trackingNumber")
        numbers.append(own or (pool.pop(0) if pool else None))
        dimensions = {
            field: carton[name]
            for name, field in _CARTON_FIELDS.items()
            if carton.get(name) is not None
        }
        content["shipmentCartons"].append({"carton": dimensions})
    return content, numbers


_CARTON_FIELDS = {
    "dimensional_unit": "dimensionalUnit",
    "height": "height",
    "length": "length",
    "weight": "weight",
    "weight_unit": "weightUnit",
    "width": "width",
}


def update_shipment_status(
    backend: Backend, caller: Credential, shipment_id: str, status: str, note: str | None
) -> JSONObject:
    """Set the status and its transition; VOIDED announces SHIPMENT_CANCELED."""
    world = _world(backend, caller)
    shipment = world.shipments.get(shipment_id)
    if shipment is None:
        raise NotFound(f"Shipment {shipment_id} was not found.")
    new_status = ShipmentStatusType(status)
    set_shipment_status(shipment, new_status, backend.store.stamp(caller), note)
    if new_status is ShipmentStatusType.VOIDED:
        announce(backend, WebhookType.SHIPMENT_CANCELED, caller, shipment["order"], shipment)
    return shipment
