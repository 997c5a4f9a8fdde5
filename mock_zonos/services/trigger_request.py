"""What a trigger asks for: an event type, what it is about, its body, whom it reaches
and its faults, as POST /_mock/trigger reads them into a `Trigger`.

Each type takes its own subject fields (an order, a shipment, or nothing); they
are checked before the trigger touches anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.faults import FaultChanges
from ..domain.models import WebhookType
from ..domain.orders import OrderStatus, Subject, subject_of

MAX_EVENTS_PER_TRIGGER = 10_000


@dataclass(frozen=True, slots=True)
class Trigger:
    """What to fire: a type, what it is about, how its body is made, whom it reaches,
    and how its deliveries misbehave (the server's faults, changed by `faults`)."""

    type: WebhookType
    overrides: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    webhook_id: str | None = None
    count: int = 1
    order_id: str | None = None
    shipment_id: str | None = None
    status: OrderStatus | None = None
    faults: FaultChanges | None = None


# The trigger fields that name what an event is about, as POST /_mock/trigger spells them.
SUBJECT_FIELDS = {"orderId": "order_id", "shipmentId": "shipment_id", "status": "status"}


def subject_fields(type: WebhookType) -> tuple[str, ...]:
    """The subject fields a type takes: an order, a shipment, or nothing."""
    if type is WebhookType.SHIPMENT_CANCELED:
        return ("shipmentId",)
    if type is WebhookType.ORDER_STATUS_CHANGED:
        return ("orderId", "status")
    if subject_of(type) is Subject.ORDER or type is WebhookType.SHIPMENT_CREATED:
        return ("orderId",)
    return ()


def check_subject(trigger: Trigger) -> None:
    """Refuse subject fields the type does not take, and a raw body beside them."""
    allowed = subject_fields(trigger.type)
    given = [name for name, attr in SUBJECT_FIELDS.items() if getattr(trigger, attr) is not None]
    for name in given:
        if name not in allowed:
            takes = ", ".join(allowed) or "none"
            raise InvalidInput(f'{trigger.type} takes no "{name}" (its subject fields: {takes})')
    if given and trigger.body is not None:
        raise InvalidInput(
            'a raw "body" touches no order or shipment: give it or the subject fields, not both'
        )
    subject = subject_of(trigger.type)
    if trigger.overrides is not None and subject is not None:
        _check_override_keys(trigger.overrides, subject)


def _check_override_keys(overrides: dict[str, Any], subject: Subject) -> None:
    data = overrides.get("data")
    if set(overrides) != {"data"} or not isinstance(data, dict) or set(data) - {subject.value}:
        raise InvalidInput(
            f"overrides of this type change the {subject.value} the event is about: write them "
            f'as {{"data": {{"{subject.value}": {{...}}}}}}'
        )
