"""Acting on the world: new orders and shipments, changes checked before they are made.

Every change to an order or a shipment that comes from outside (a trigger's
overrides, a fixture, a mutation's input) is tried on a copy first and
checked against schema.graphql, so a bad one is refused whole and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..domain import effects
from ..domain.errors import InvalidInput
from ..domain.models import WebhookType
from ..domain.orders import (
    RELATIONS,
    Stamp,
    complete_order,
    new_order,
    new_shipment,
)
from ..domain.samples import JSONObject, RenderContext, Template, copied, deep_merge
from ..domain.world import World
from .backend import Backend

# What an override may not change: who the record is and whose.
_IDENTITY = {"Order": ("id", "organization", "mode"), "Shipment": ("id",)}


def make_order(backend: Backend, world: World, type: WebhookType, stamp: Stamp) -> JSONObject:
    """A new order of the template, numbered and in its starting status, not yet stored."""
    zonos, account = world.next_numbers()
    return new_order(
        _render(backend.store.seed.order_template, world, stamp),
        world.owner,
        stamp,
        zonos_order_id=zonos,
        account_order_number=account,
        status=effects.starting_status(type),
    )


def make_shipment(
    backend: Backend,
    world: World,
    order: JSONObject,
    stamp: Stamp,
    content: Mapping[str, Any] | None = None,
    tracking_numbers: Iterable[str | None] = (),
) -> JSONObject:
    """A new shipment of the order, from the template and `content`, checked, not yet stored."""
    rendered = _render(backend.store.seed.shipment_template, world, stamp)
    shipment = new_shipment(
        deep_merge(rendered, content or {}), order, stamp, tracking_numbers=tracking_numbers
    )
    backend.shapes.check("Shipment", shipment, "shipment")
    return shipment


def store_shipment(world: World, shipment: JSONObject, stamp: Stamp) -> None:
    """Keep a new shipment: its order gets its tracking numbers, and ships if it was OPEN."""
    world.add_shipment(shipment)
    effects.shipment_created(shipment["order"], shipment, stamp)


def check_changes(
    backend: Backend,
    world: World,
    record: JSONObject,
    type_name: str,
    changes: Any,
    stamp: Stamp,
    where: str,
    *,
    new: bool = False,
) -> None:
    """Refuse changes that merged into the record would not fit its type (nothing changes).

    A record this request makes (`new`) may be given its own id, one its world lacks.
    """
    if not isinstance(changes, dict):
        raise InvalidInput(f"{where}: must be an object of {type_name} fields")
    _refuse_links(changes, type_name, where)
    candidate = copied(record, {id(link): link for link in _links(record, type_name)})
    _merge(backend, world, candidate, type_name, changes, stamp, where)
    for field in _IDENTITY[type_name]:
        if candidate.get(field) != record.get(field) and not (new and field == "id"):
            raise InvalidInput(f"{where}.{field}: an override cannot change a record's {field}")
    records = world.orders if type_name == "Order" else world.shipments
    if new and candidate["id"] in records:
        raise InvalidInput(f"{where}.id: {candidate['id']} is already in use")
    if type_name == "Order" and candidate.get("accountOrderNumber") is not None:
        world.check_account_number_free(candidate["accountOrderNumber"], record["id"])


def apply_changes(
    backend: Backend,
    world: World,
    record: JSONObject,
    type_name: str,
    changes: Any,
    stamp: Stamp,
) -> None:
    """Merge changes that `check_changes` accepted into the stored record.

    A copy of them: the record must not share a list or an object with the trigger's
    overrides, which the next event of a `count` merges into another record."""
    number = record.get("accountOrderNumber")
    _merge(backend, world, record, type_name, copied(changes), stamp, "")
    if type_name == "Order" and record.get("accountOrderNumber") != number:
        new_number = record["accountOrderNumber"]
        record["accountOrderNumber"] = number
        world.renumber(record, new_number)


def _merge(
    backend: Backend,
    world: World,
    record: JSONObject,
    type_name: str,
    changes: Any,
    stamp: Stamp,
    where: str,
) -> None:
    deep_merge(record, changes)
    if type_name == "Order":
        complete_order(record, world.owner, stamp)
    backend.shapes.check(type_name, record, where)


def _refuse_links(changes: JSONObject, type_name: str, where: str) -> None:
    """The links between records (an order's shipments, its root's order…) are the world's."""
    nested = {"Order": {"root": "Root"}}.get(type_name, {})
    for key, value in changes.items():
        if key in RELATIONS.get(type_name, ()):
            raise InvalidInput(f"{where}.{key}: a link the world keeps, which no override sets")
        if key in nested and isinstance(value, dict):
            _refuse_links(value, nested[key], f"{where}.{key}")


def _links(record: JSONObject, type_name: str) -> list[Any]:
    """What a copy of the record shares with it rather than copies: the records it links."""
    if type_name == "Order":
        return list(record["shipments"])
    return [record["order"]]


def _render(template: Template, world: World, stamp: Stamp) -> JSONObject:
    owner = world.owner
    content: JSONObject = template.render_value(
        RenderContext(stamp.at, owner.organization_id, owner.mode.value)
    )
    return content
