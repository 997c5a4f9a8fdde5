"""Events about the world: one per body, each body a webhook's query answered on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..domain.ids import new_id
from ..domain.models import Credential, Event, Webhook, WebhookStatus, WebhookType
from ..domain.samples import JSONObject
from .backend import Backend


def world_events(
    backend: Backend,
    type: WebhookType,
    webhooks: list[Webhook],
    caller: Credential,
    order: JSONObject,
    shipment: JSONObject | None,
) -> Iterator[tuple[Event, list[Webhook]]]:
    """An event for each distinct query among the webhooks, with the webhooks that share it.

    A query receives `$orderId` and, for shipment events, `$shipmentId`.
    """
    variables = {"orderId": order["id"], "shipmentId": shipment["id"] if shipment else None}
    by_query: dict[str, list[Webhook]] = defaultdict(list)
    for webhook in webhooks:
        by_query[webhook.query].append(webhook)
    now = backend.store.clock.now()
    for query, receivers in by_query.items():
        event = Event(
            new_id("event"),
            type,
            backend.bodies.build(backend, query, variables, caller),
            now,
            order_id=order["id"],
            shipment_id=shipment["id"] if shipment else None,
        )
        yield event, receivers


def announce(
    backend: Backend,
    type: WebhookType,
    caller: Credential,
    order: JSONObject,
    shipment: JSONObject | None = None,
) -> None:
    """Deliver an event about a change a mutation made to the caller's ENABLED webhooks of
    the type; nobody waits for the deliveries."""
    tenant = backend.store.tenant_of(caller)
    webhooks = list(tenant.webhook_list(type, WebhookStatus.ENABLED))
    for event, receivers in world_events(backend, type, webhooks, caller, order, shipment):
        backend.dispatcher.deliver(event, receivers)
