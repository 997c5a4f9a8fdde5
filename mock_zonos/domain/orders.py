"""Orders and shipments as the world holds them: JSON-shaped records, made from templates.

A record is a dict keyed by the GraphQL field names of `Order` or `Shipment`
in schema.graphql, so the API reads it as it is and an override merges into
it as into a body. A template (from the fixtures) gives the content; the
factories here give each new record what must be its own: fresh ids, the
tenant's organization and mode, the audit fields, its first status.

Records point at each other: an order lists its shipments, a shipment and an
order's root point back at the order. Those links are relations, never
overridden and never written in fixtures.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .ids import new_id
from .models import Mode, WebhookType
from .samples import JSONObject

TRACKING_URL = "https://www.ups.com/track?tracknum={number}"
LABEL_URL = "https://labels.zonos.com/shipments/{shipment}/cartons/{carton}.pdf"


class OrderStatus(StrEnum):
    CANCELED = "CANCELED"
    COMBINED = "COMBINED"
    COMPLETED = "COMPLETED"
    FRAUD_HOLD = "FRAUD_HOLD"
    HOLD = "HOLD"
    IN_TRANSIT_TO_CONSOLIDATION_CENTER = "IN_TRANSIT_TO_CONSOLIDATION_CENTER"
    OPEN = "OPEN"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    PAYMENT_PENDING = "PAYMENT_PENDING"


class ShipmentStatusType(StrEnum):
    CREATED = "CREATED"
    DELIVERED = "DELIVERED"
    DELIVERED_TO_CONSOLIDATION_CENTER = "DELIVERED_TO_CONSOLIDATION_CENTER"
    IN_TRANSIT = "IN_TRANSIT"
    IN_TRANSIT_TO_CONSOLIDATION_CENTER = "IN_TRANSIT_TO_CONSOLIDATION_CENTER"
    VOIDED = "VOIDED"


class Subject(StrEnum):
    """The world object an event is about, and its key in `data` of the body."""

    ORDER = "order"
    SHIPMENT = "shipment"


def subject_of(type: WebhookType) -> Subject | None:
    """Order for ORDER_* and COLLECT_*, shipment for SHIPMENT_*, None for the rest
    (inclusive pricing and inventory, which no public query answers for)."""
    if type.startswith(("ORDER_", "COLLECT_")):
        return Subject.ORDER
    if type.startswith("SHIPMENT_"):
        return Subject.SHIPMENT
    return None


# The least a template gives: what no default can stand in for.
MINIMAL_ORDER: JSONObject = {
    "amountSubtotals": {
        "duties": 0,
        "fees": 0,
        "items": 0,
        "shipping": 0,
        "taxes": 0,
        "variance": 0,
    }
}

# Fields that link records: set by the world, never by a template, a fixture or an override.
RELATIONS = {
    "Order": frozenset({"shipments"}),
    "Shipment": frozenset({"order"}),
    "Root": frozenset({"order", "items", "parties", "shipment"}),
}


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who changes the world, and when (a formatted DateTime)."""

    at: str
    by: str


@dataclass(frozen=True, slots=True)
class Owner:
    """The tenant a record belongs to."""

    organization_id: str
    mode: Mode


def _audit(record: JSONObject, owner: Owner, stamp: Stamp, kind: str) -> JSONObject:
    """Give a nested record what such records have: an id, its owner, its audit fields."""
    record.setdefault("id", new_id(kind))
    record.setdefault("mode", owner.mode.value)
    record.setdefault("organization", owner.organization_id)
    for field, value in (("createdAt", stamp.at), ("createdBy", stamp.by)):
        record.setdefault(field, value)
    record.setdefault("updatedAt", record["createdAt"])
    record.setdefault("updatedBy", record["createdBy"])
    return record


def new_order(
    content: JSONObject,
    owner: Owner,
    stamp: Stamp,
    *,
    zonos_order_id: str,
    account_order_number: str,
    status: OrderStatus,
) -> JSONObject:
    """A complete order from a rendered template (or a fixture's entry merged into one)."""
    order = content
    order.setdefault("zonosOrderId", zonos_order_id)
    order.setdefault("accountOrderNumber", account_order_number)
    order.setdefault("status", status.value)
    order["shipments"] = []
    order.setdefault(
        "statusTransitions",
        [{"createdAt": stamp.at, "createdBy": stamp.by, "note": None, "status": order["status"]}],
    )
    return complete_order(order, owner, stamp)


def complete_order(order: JSONObject, owner: Owner, stamp: Stamp) -> JSONObject:
    """Fill in what an order's parts need and do not say: ids, owner, audit fields.

    It only adds what is missing, so it also completes items or parties that
    an override brought in.
    """
    _audit(order, owner, stamp, "order")
    order.setdefault("currencyCode", "USD")
    for field in ("metadata", "references", "trackingNumbers"):
        order.setdefault(field, [])
    for item in _records(order.setdefault("items", [])):
        _audit(item, owner, stamp, "item")
        item.setdefault("currencyCode", order["currencyCode"])
        item.setdefault("productId", "")
        item.setdefault("quantity", 1)
    for party in _records(order.setdefault("parties", [])):
        _new_party(party, owner, stamp)
    root = order.setdefault("root", {})
    if isinstance(root, dict):
        root.setdefault("id", new_id("root"))
        for rate in _records(root.setdefault("exchangeRates", [])):
            rate.setdefault("id", new_id("exchange_rate"))
            rate.setdefault("mode", owner.mode.value)
            rate.setdefault("createdAt", stamp.at)
            rate.setdefault("createdBy", stamp.by)
            rate.setdefault("expiresAt", stamp.at)
        root["order"] = order
    return order


def _records(value: Any) -> list[JSONObject]:
    """The objects of a list, skipping what is not one (the shape check names it later)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _new_party(party: JSONObject, owner: Owner, stamp: Stamp) -> None:
    _audit(party, owner, stamp, "party")
    party.setdefault("organizationId", owner.organization_id)
    for field in ("location", "person"):
        if isinstance(party.get(field), dict):
            _audit(party[field], owner, stamp, field)


def new_tracking_number() -> str:
    """A UPS-like tracking number, fresh every time."""
    return "1Z" + secrets.token_hex(8).upper()


def new_shipment(
    content: JSONObject,
    order: JSONObject,
    stamp: Stamp,
    *,
    tracking_numbers: Iterable[str | None] = (),
) -> JSONObject:
    """A CREATED shipment of the order, from a rendered template: each carton its own
    label and tracking number (the given ones, carton by carton; None or none left,
    a fresh one)."""
    shipment = content
    shipment.setdefault("id", new_id("shipment"))
    shipment.setdefault("createdAt", stamp.at)
    shipment.setdefault("createdBy", stamp.by)
    shipment.setdefault("status", ShipmentStatusType.CREATED.value)
    shipment.setdefault("shipmentType", "INTERNATIONAL")
    shipment.setdefault("shipmentDate", stamp.at)
    shipment.setdefault("declaredValue", order["amountSubtotals"].get("items"))
    level = shipment.setdefault("serviceLevel", {"code": "ups.worldwide_expedited"})
    level.setdefault("id", level.get("code") or new_id("service_level"))
    level.setdefault("name", level.get("code"))
    numbers = iter(tracking_numbers)
    cartons = shipment.setdefault("shipmentCartons", [])
    if not cartons:
        cartons.append({"carton": {}})
    trackings = [_new_carton(c, shipment, stamp, next(numbers, None)) for c in cartons]
    shipment["tracking"] = trackings[0]
    shipment["trackingDetails"] = trackings
    shipment["parties"] = list(order.get("parties") or [])
    shipment["statusTransitions"] = [
        {"changedAt": stamp.at, "note": None, "status": shipment["status"]}
    ]
    shipment["order"] = order
    return shipment


def _new_carton(
    shipment_carton: JSONObject, shipment: JSONObject, stamp: Stamp, number: str | None
) -> JSONObject:
    shipment_carton.setdefault("id", new_id("shipment_carton"))
    carton = shipment_carton.setdefault("carton", {})
    for field, value in _CARTON_DEFAULTS.items():
        carton.setdefault(field, value)
    carton.setdefault("id", new_id("carton"))
    for field, value in (("createdAt", stamp.at), ("createdBy", stamp.by)):
        carton.setdefault(field, value)
        carton.setdefault(field.replace("created", "updated"), value)
    number = number or new_tracking_number()
    label = {
        "id": new_id("label"),
        "createdAt": stamp.at,
        "createdBy": stamp.by,
        "shipmentCarton": shipment_carton["id"],
        "trackingNumber": number,
        "url": LABEL_URL.format(shipment=shipment["id"], carton=shipment_carton["id"]),
    }
    tracking = {
        "id": new_id("tracking"),
        "label": label,
        "number": number,
        "url": TRACKING_URL.format(number=number),
    }
    shipment_carton["label"] = label
    shipment_carton["tracking"] = tracking
    return tracking


_CARTON_DEFAULTS: dict[str, Any] = {
    "dimensionalUnit": "INCH",
    "height": 6.0,
    "length": 16.0,
    "weight": 4.6,
    "weightUnit": "POUND",
    "width": 12.0,
}


def tracking_numbers_of(shipment: JSONObject) -> list[str]:
    return [tracking["number"] for tracking in shipment["trackingDetails"]]
