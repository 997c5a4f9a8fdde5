"""Firing events: fresh bodies from the samples, delivered to every subscriber.

The caller is the optional credential: with one, a trigger reaches its own
organization and mode; without one, the matching webhooks of every
organization.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson

from ..delivery.dispatcher import DeliveryHandle
from ..domain.clock import format_timestamp
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.faults import FaultChanges
from ..domain.ids import new_id
from ..domain.models import Credential, Event, Webhook, WebhookStatus, WebhookType
from ..domain.samples import EventSample
from .backend import Backend

MAX_EVENTS_PER_TRIGGER = 10_000
# Events made and queued per turn of the event loop: a big trigger never stalls the server.
EVENTS_PER_TURN = 100
# How much longer than one attempt's timeout a waiting trigger waits for every first attempt.
WAIT_GRACE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Trigger:
    """What to fire: a type, how its body is made, whom it reaches, how many times,
    and how its deliveries misbehave (the server's faults, changed by `faults`)."""

    type: WebhookType
    overrides: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    webhook_id: str | None = None
    count: int = 1
    faults: FaultChanges | None = None


@dataclass(frozen=True, slots=True)
class Fired:
    """The events a trigger made, and one handle per delivery under way."""

    type: WebhookType
    event_ids: list[str]
    deliveries: list[DeliveryHandle]


async def fire(backend: Backend, trigger: Trigger, caller: Credential | None) -> Fired:
    """Make the trigger's events and start delivering each to every target webhook."""
    webhooks = _targets(backend, trigger, caller)
    sample = backend.samples[trigger.type]
    dispatcher = backend.dispatcher
    plan = dispatcher.plan(trigger.faults, webhooks, trigger.count)
    generation = dispatcher.generation
    now = backend.store.clock.now()
    timestamp = format_timestamp(now)
    event_ids: list[str] = []
    handles: list[DeliveryHandle] = []
    for number in range(trigger.count):
        if number and number % EVENTS_PER_TURN == 0:
            await asyncio.sleep(0)
            if dispatcher.generation != generation:
                break  # a reset came: the rest of this trigger belongs to the old state
        event = Event(new_id("event"), trigger.type, _body(sample, trigger, timestamp), now)
        event_ids.append(event.id)
        handles += dispatcher.deliver(event, webhooks, generation, plan)
    return Fired(trigger.type, event_ids, handles)


async def wait_for_first_attempts(backend: Backend, handles: list[DeliveryHandle]) -> None:
    """Until every first attempt is logged, or one attempt's timeout and a grace have passed.
    Held and delayed deliveries are not waited for: nothing sends them now."""
    sending = [handle.first_attempt for handle in handles if handle.sending]
    if sending:
        timeout = backend.settings.delivery_timeout + WAIT_GRACE_SECONDS
        await asyncio.wait(sending, timeout=timeout)


def check_enabled(webhook: Webhook) -> None:
    if webhook.status is not WebhookStatus.ENABLED:
        raise Conflict(f"webhook {webhook.id} is DISABLED, and DISABLED webhooks receive nothing")


def _check_can_receive(webhook: Webhook, type: WebhookType) -> None:
    """A webhook may receive an event only while ENABLED and subscribed to its type."""
    check_enabled(webhook)
    if webhook.type is not type:
        raise Conflict(f"webhook {webhook.id} subscribes to {webhook.type}, not {type}")


def _targets(backend: Backend, trigger: Trigger, caller: Credential | None) -> list[Webhook]:
    store = backend.store
    if trigger.webhook_id is None:
        return store.subscribers(trigger.type, caller)
    webhook = (
        store.get_webhook(caller, trigger.webhook_id)
        if caller
        else store.find_webhook(trigger.webhook_id)
    )
    if webhook is None:
        raise NotFound(f"webhook {trigger.webhook_id} was not found")
    _check_can_receive(webhook, trigger.type)
    return [webhook]


def _body(sample: EventSample, trigger: Trigger, timestamp: str) -> bytes:
    try:
        if trigger.body is not None:
            return orjson.dumps(trigger.body)
        return sample.render(timestamp, trigger.overrides)
    except orjson.JSONEncodeError as exc:
        raise InvalidInput(f"the event body cannot be sent as JSON: {exc}") from None
