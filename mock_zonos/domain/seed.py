"""The starting state a store is reset to, as the fixtures describe it, and the logs it makes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import Credential, Delivery, Event, Webhook, WebhookLog
from .orders import MINIMAL_ORDER, Owner
from .samples import JSONObject, Template, copied
from .world import Numbering


@dataclass(frozen=True, slots=True)
class LogSeed:
    """A delivery attempt the fixtures pre-record, rebuilt on every reset."""

    id: str
    webhook_id: str
    event_id: str
    body: bytes
    response: str | None
    response_status: int | None
    created_at: datetime
    attempt: int


@dataclass(frozen=True, slots=True)
class WorldSeed:
    """The orders and shipments one tenant starts with, complete and linked."""

    owner: Owner
    orders: tuple[JSONObject, ...] = ()
    shipments: tuple[JSONObject, ...] = ()


def copied_worlds(worlds: Iterable[WorldSeed]) -> list[WorldSeed]:
    """A copy of the worlds, as linked as they are: a record that two others hold (an
    order and its shipments hold each other) is copied once, and both hold the copy."""
    memo: dict[int, Any] = {}
    return [
        WorldSeed(
            world.owner,
            tuple(copied(order, memo) for order in world.orders),
            tuple(copied(shipment, memo) for shipment in world.shipments),
        )
        for world in worlds
    ]


@dataclass(frozen=True, slots=True)
class Seed:
    """The starting state a reset returns to; webhooks and worlds are copied, never shared.

    The templates are what new orders and shipments are made of, and
    `numbering` where their numbers start.
    """

    credentials: tuple[Credential, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    logs: tuple[LogSeed, ...] = ()
    worlds: tuple[WorldSeed, ...] = ()
    order_template: Template = field(default_factory=lambda: Template(MINIMAL_ORDER))
    shipment_template: Template = field(default_factory=lambda: Template({}))
    numbering: Numbering = field(default_factory=Numbering)


def seeded_logs(
    seeds: Iterable[LogSeed], webhook_of: Callable[[str], Webhook | None]
) -> Iterator[WebhookLog]:
    """The fixtures' attempts as logs, oldest first. The attempts of one event at one webhook
    share a delivery, which counts as many attempts as the highest of them."""
    deliveries: dict[tuple[str, str], Delivery] = {}
    for seed in sorted(seeds, key=lambda s: s.created_at):
        webhook = webhook_of(seed.webhook_id)
        assert webhook is not None, "fixtures check that seeded logs name a seeded webhook"
        key = (seed.event_id, seed.webhook_id)
        delivery = deliveries.get(key)
        if delivery is None:
            event = Event(
                id=seed.event_id, type=webhook.type, body=seed.body, created_at=seed.created_at
            )
            delivery = deliveries[key] = Delivery(event=event, webhook_id=webhook.id)
        delivery.attempts = max(delivery.attempts, seed.attempt)
        yield WebhookLog(
            id=seed.id,
            organization_id=webhook.organization_id,
            mode=webhook.mode,
            webhook_id=webhook.id,
            url=webhook.url,
            delivery=delivery,
            attempt=seed.attempt,
            created_at=seed.created_at,
            response=seed.response,
            response_status=seed.response_status,
        )
