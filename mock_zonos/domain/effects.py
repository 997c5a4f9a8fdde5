"""What happens to the world: status changes, tracking numbers, and what each event does.

Zonos does not publish what each webhook type means for an order; these are
mock-zonos' choices, one line each in the README's table of event effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .models import WebhookType
from .orders import OrderStatus, ShipmentStatusType, Stamp, tracking_numbers_of
from .samples import JSONObject


def touch(record: JSONObject, stamp: Stamp) -> None:
    record["updatedAt"] = stamp.at
    record["updatedBy"] = stamp.by


def set_order_status(
    order: JSONObject, status: OrderStatus, stamp: Stamp, note: str | None = None
) -> None:
    """Set the status and append the transition that records it."""
    order["status"] = status.value
    order["statusTransitions"].append(
        {"createdAt": stamp.at, "createdBy": stamp.by, "note": note, "status": status.value}
    )
    touch(order, stamp)


def add_tracking_numbers(order: JSONObject, numbers: Iterable[str], stamp: Stamp) -> None:
    """Append the numbers the order does not have yet, in order."""
    tracking = order["trackingNumbers"]
    for number in numbers:
        if number not in tracking:
            tracking.append(number)
    touch(order, stamp)


def remove_tracking_numbers(order: JSONObject, numbers: Iterable[str], stamp: Stamp) -> None:
    gone = set(numbers)
    order["trackingNumbers"] = [n for n in order["trackingNumbers"] if n not in gone]
    touch(order, stamp)


def set_shipment_status(
    shipment: JSONObject, status: ShipmentStatusType, stamp: Stamp, note: str | None = None
) -> None:
    """Set the status and append its transition; a voided shipment's tracking numbers
    leave its order."""
    shipment["status"] = status.value
    shipment["statusTransitions"].append(
        {"changedAt": stamp.at, "note": note, "status": status.value}
    )
    if status is ShipmentStatusType.VOIDED:
        remove_tracking_numbers(shipment["order"], tracking_numbers_of(shipment), stamp)


def shipment_created(order: JSONObject, shipment: JSONObject, stamp: Stamp) -> None:
    """A new shipment's tracking numbers join its order, and an OPEN order is now shipping."""
    add_tracking_numbers(order, tracking_numbers_of(shipment), stamp)
    if order["status"] == OrderStatus.OPEN:
        set_order_status(order, OrderStatus.PARTIALLY_SHIPPED, stamp, "shipment created")


OrderEffect = Callable[[JSONObject, Stamp], None]


def _to(status: OrderStatus, note: str) -> OrderEffect:
    def effect(order: JSONObject, stamp: Stamp) -> None:
        set_order_status(order, status, stamp, note)

    return effect


# What a trigger of each order type does to its order (ORDER_STATUS_CHANGED takes
# the status it is given, and SHIPMENT_* act on shipments: both are the trigger's).
ORDER_EFFECTS: dict[WebhookType, OrderEffect] = {
    WebhookType.ORDER_CREATED: lambda order, stamp: None,
    WebhookType.ORDER_UPDATED: touch,
    WebhookType.ORDER_CANCELED: _to(OrderStatus.CANCELED, "order canceled"),
    WebhookType.ORDER_SHIPPING: _to(OrderStatus.PARTIALLY_SHIPPED, "order shipping"),
    WebhookType.ORDER_COMBINED: _to(OrderStatus.COMBINED, "order combined"),
    WebhookType.ORDER_PAYOUT_DETAILS_READY: touch,
    WebhookType.COLLECT_EMAIL_SENT: touch,
    WebhookType.COLLECT_EMAIL_SENT_FAILED: touch,
    WebhookType.COLLECT_PAYMENT_LINK_OPENED: touch,
    WebhookType.COLLECT_PAYMENT_LINK_EXPIRED: _to(OrderStatus.PAYMENT_FAILED, "link expired"),
    WebhookType.COLLECT_PAYMENT_FAILED: _to(OrderStatus.PAYMENT_FAILED, "payment failed"),
    WebhookType.COLLECT_PAYMENT_SUCCEEDED: _to(OrderStatus.OPEN, "payment succeeded"),
}
# The status a new order of each kind starts in: Collect orders wait for their payment.
COLLECT_TYPES = frozenset(t for t in WebhookType if t.startswith("COLLECT_"))


def starting_status(type: WebhookType) -> OrderStatus:
    return OrderStatus.PAYMENT_PENDING if type in COLLECT_TYPES else OrderStatus.OPEN
