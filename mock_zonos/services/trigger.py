"""Firing events: what each one does to the world, its body, and its deliveries.

The caller is the optional credential: with one, a trigger acts in its own
organization and mode; without one, in every organization with a webhook of
the type (or in the one that holds the order or shipment it names).

An ORDER_*, COLLECT_* or SHIPMENT_* event is about an order or a shipment:
the trigger makes or changes it in the world (domain/effects.py says how),
and the body each webhook receives is its own query answered by the API on
the world, so a later `order(orderId:)` agrees with it. Inclusive-pricing and
inventory events have no world object: their bodies are rendered samples.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..delivery.dispatcher import DeliveryHandle
from ..domain.effects import ORDER_EFFECTS, set_order_status, set_shipment_status
from ..domain.errors import Conflict, InvalidInput, NotFound, Unavailable
from ..domain.ids import new_id
from ..domain.models import Credential, Event, Webhook, WebhookStatus, WebhookType
from ..domain.orders import OrderStatus, ShipmentStatusType, Stamp, subject_of
from ..domain.samples import JSONObject, RenderContext
from ..domain.tenant import Tenant
from .backend import Backend, tenant_credential
from .events import world_events
from .trigger_request import Trigger, check_subject
from .world import apply_changes, check_changes, make_order, make_shipment, store_shipment

# Events made and queued per turn of the event loop: a big trigger never stalls the server.
EVENTS_PER_TURN = 100
# How much longer than one attempt's timeout a waiting trigger waits for every first attempt.
WAIT_GRACE_SECONDS = 1.0
# What ORDER_STATUS_CHANGED sets when the trigger names no status.
DEFAULT_STATUS = OrderStatus.COMPLETED


@dataclass(slots=True)
class Fired:
    """The events a trigger made, the orders and shipments they are about, the deliveries."""

    type: WebhookType
    event_ids: list[str] = field(default_factory=list)
    deliveries: list[DeliveryHandle] = field(default_factory=list)
    order_ids: list[str] = field(default_factory=list)
    shipment_ids: list[str] = field(default_factory=list)


async def fire(backend: Backend, trigger: Trigger, caller: Credential | None) -> Fired:
    """Act on the world, make the trigger's events and start delivering each to its webhooks."""
    check_subject(trigger)
    targets = _targets(backend, trigger, caller)
    dispatcher = backend.dispatcher
    subscribed = [webhook for _, webhooks in targets for webhook in webhooks]
    plan = dispatcher.plan(trigger.faults, subscribed, trigger.count)
    generation = dispatcher.generation
    fired = Fired(trigger.type)
    for number in range(trigger.count):
        if number and number % EVENTS_PER_TURN == 0:
            await asyncio.sleep(0)
            if dispatcher.generation != generation:
                break  # a reset came: the rest of this trigger belongs to the old state
        if not targets:  # nobody subscribes: an event nobody receives
            fired.event_ids.append(new_id("event"))
        for tenant, webhooks in targets:
            for event, receivers in _events(backend, trigger, tenant, webhooks, caller, fired):
                fired.event_ids.append(event.id)
                fired.deliveries += dispatcher.deliver(event, receivers, generation, plan)
    return fired


async def wait_for_first_attempts(backend: Backend, handles: list[DeliveryHandle]) -> None:
    """Until every first attempt is logged, or one attempt's timeout and a grace have passed.
    Held and delayed deliveries are not waited for: nothing sends them now.

    Raises Unavailable when the server starts shutting down first: the caller gets an
    answer that says so, rather than a connection dropped at shutdown.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + backend.settings.delivery_timeout + WAIT_GRACE_SECONDS
    sending: set[asyncio.Future[Any]] = {h.first_attempt for h in handles if h.sending}
    if not sending:
        return
    pending = set(sending)
    stopping = asyncio.ensure_future(backend.dispatcher.stopping.wait())
    try:
        while pending and not stopping.done() and (remaining := deadline - loop.time()) > 0:
            done, _ = await asyncio.wait(
                {*pending, stopping}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            pending -= done
    finally:
        stopping.cancel()
    unfinished = sum(not future.done() for future in sending)
    if unfinished and backend.dispatcher.stopping.is_set():
        raise Unavailable(
            f"mock-zonos is shutting down: {unfinished} of {len(sending)} first attempts "
            "had not finished; they are logged as cancelled"
        )


def check_enabled(webhook: Webhook) -> None:
    if webhook.status is not WebhookStatus.ENABLED:
        raise Conflict(f"webhook {webhook.id} is DISABLED, and DISABLED webhooks receive nothing")


def _targets(
    backend: Backend, trigger: Trigger, caller: Credential | None
) -> list[tuple[Tenant, list[Webhook]]]:
    """The tenants the trigger acts in, each with the webhooks its events go to."""
    store = backend.store
    if trigger.webhook_id is not None:
        webhook = _webhook(backend, trigger, caller)
        tenant = store.tenant_of_webhook(webhook)
        _check_subject_in(tenant, trigger)
        return [(tenant, [webhook])]
    if trigger.order_id is not None or trigger.shipment_id is not None:
        tenant = _subject_tenant(backend, trigger, caller)
        return [(tenant, list(tenant.webhook_list(trigger.type, WebhookStatus.ENABLED)))]
    if caller is not None:
        return [(store.tenant_of(caller), store.subscribers(trigger.type, caller))]
    by_tenant: dict[Tenant, list[Webhook]] = defaultdict(list)
    for webhook in store.subscribers(trigger.type, None):
        by_tenant[store.tenant_of_webhook(webhook)].append(webhook)
    return list(by_tenant.items())


def _webhook(backend: Backend, trigger: Trigger, caller: Credential | None) -> Webhook:
    store = backend.store
    assert trigger.webhook_id is not None
    webhook = (
        store.get_webhook(caller, trigger.webhook_id)
        if caller
        else store.find_webhook(trigger.webhook_id)
    )
    if webhook is None:
        raise NotFound(f"webhook {trigger.webhook_id} was not found")
    check_enabled(webhook)
    if webhook.type is not trigger.type:
        raise Conflict(f"webhook {webhook.id} subscribes to {webhook.type}, not {trigger.type}")
    return webhook


def _subject_tenant(backend: Backend, trigger: Trigger, caller: Credential | None) -> Tenant:
    """The tenant whose world holds the order or shipment the trigger names: the caller's
    own, or, without a caller, whichever holds it."""
    store = backend.store
    if caller is not None:
        tenant = store.tenant_of(caller)
        _check_subject_in(tenant, trigger)
        return tenant
    found = (
        store.find_order(trigger.order_id)
        if trigger.order_id is not None
        else store.find_shipment(trigger.shipment_id or "")
    )
    if found is None:
        raise NotFound(_unknown_subject(trigger))
    return found


def _check_subject_in(tenant: Tenant, trigger: Trigger) -> None:
    world = tenant.world
    if trigger.order_id is not None and trigger.order_id not in world.orders:
        raise NotFound(_unknown_subject(trigger))
    if trigger.shipment_id is not None and trigger.shipment_id not in world.shipments:
        raise NotFound(_unknown_subject(trigger))


def _unknown_subject(trigger: Trigger) -> str:
    if trigger.order_id is not None:
        return f"order {trigger.order_id} was not found in this organization and mode"
    return f"shipment {trigger.shipment_id} was not found in this organization and mode"


def _events(
    backend: Backend,
    trigger: Trigger,
    tenant: Tenant,
    webhooks: list[Webhook],
    caller: Credential | None,
    fired: Fired,
) -> Iterable[tuple[Event, list[Webhook]]]:
    """One event per body: a tenant's webhooks with the same query share one."""
    store = backend.store
    credential = caller or tenant_credential(tenant.organization_id, tenant.mode)
    stamp = store.stamp(credential)
    now = store.clock.now()
    if trigger.body is not None or subject_of(trigger.type) is None:
        body = _sample_body(backend, trigger, tenant, stamp.at)
        yield Event(new_id("event"), trigger.type, body, now), webhooks
        return
    order, shipment = act(backend, trigger, tenant, stamp)
    fired.order_ids.append(order["id"])
    if shipment is not None:
        fired.shipment_ids.append(shipment["id"])
    if not webhooks:  # the world changed, and nobody is told
        yield Event(new_id("event"), trigger.type, b"", now, order["id"]), []
        return
    yield from world_events(backend, trigger.type, webhooks, credential, order, shipment)


def _sample_body(backend: Backend, trigger: Trigger, tenant: Tenant, timestamp: str) -> bytes:
    try:
        if trigger.body is not None:
            return orjson.dumps(trigger.body)
        context = RenderContext(timestamp, tenant.organization_id, tenant.mode.value)
        return backend.samples[trigger.type].render(context, trigger.overrides)
    except orjson.JSONEncodeError as exc:
        raise InvalidInput(f"the event body cannot be sent as JSON: {exc}") from None


def act(
    backend: Backend, trigger: Trigger, tenant: Tenant, stamp: Stamp
) -> tuple[JSONObject, JSONObject | None]:
    """What the event does to the world: the order it is about, and its shipment."""
    world = tenant.world
    changes = _changes(trigger)
    if trigger.type is WebhookType.SHIPMENT_CANCELED:
        shipment = (
            world.shipments[trigger.shipment_id]
            if trigger.shipment_id is not None
            else _quiet_shipment(backend, tenant, trigger.type, stamp)
        )
        _check(backend, tenant, shipment, "Shipment", changes, stamp)
        set_shipment_status(shipment, ShipmentStatusType.VOIDED, stamp, "shipment canceled")
        _apply(backend, tenant, shipment, "Shipment", changes, stamp)
        return shipment["order"], shipment
    existing = world.orders.get(trigger.order_id) if trigger.order_id is not None else None
    order = existing or make_order(backend, world, trigger.type, stamp)
    if trigger.type is WebhookType.SHIPMENT_CREATED:
        shipment = make_shipment(backend, world, order, stamp)
        _check(backend, tenant, shipment, "Shipment", changes, stamp, new=True)
        _pin_id(shipment, changes)
        if existing is None:
            world.add_order(order)
        store_shipment(world, shipment, stamp)
        _apply(backend, tenant, shipment, "Shipment", changes, stamp)
        return order, shipment
    _check(backend, tenant, order, "Order", changes, stamp, new=existing is None)
    if existing is None:
        _pin_id(order, changes)
        world.add_order(order)
    if trigger.type is WebhookType.ORDER_STATUS_CHANGED:
        set_order_status(order, trigger.status or DEFAULT_STATUS, stamp, "status changed")
    else:
        ORDER_EFFECTS[trigger.type](order, stamp)
    _apply(backend, tenant, order, "Order", changes, stamp)
    return order, None


def _pin_id(record: JSONObject, changes: Any) -> None:
    """A new record takes the id an override gives it before it is stored under one."""
    if changes is not None and "id" in changes:
        record["id"] = changes["id"]


def _quiet_shipment(
    backend: Backend, tenant: Tenant, type: WebhookType, stamp: Stamp
) -> JSONObject:
    """An order and its shipment made for a SHIPMENT_CANCELED without one (no webhooks)."""
    order = make_order(backend, tenant.world, type, stamp)
    shipment = make_shipment(backend, tenant.world, order, stamp)
    tenant.world.add_order(order)
    store_shipment(tenant.world, shipment, stamp)
    return shipment


def _changes(trigger: Trigger) -> Any:
    subject = subject_of(trigger.type)
    if trigger.overrides is None or subject is None:
        return None
    return trigger.overrides["data"].get(subject.value)


def _check(
    backend: Backend,
    tenant: Tenant,
    record: JSONObject,
    type_name: str,
    changes: Any,
    stamp: Stamp,
    *,
    new: bool = False,
) -> None:
    if changes is not None:
        where = f"overrides.data.{type_name.lower()}"
        check_changes(backend, tenant.world, record, type_name, changes, stamp, where, new=new)


def _apply(
    backend: Backend, tenant: Tenant, record: JSONObject, type_name: str, changes: Any, stamp: Stamp
) -> None:
    if changes is not None:
        apply_changes(backend, tenant.world, record, type_name, changes, stamp)
