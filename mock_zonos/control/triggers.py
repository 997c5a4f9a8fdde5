"""Firing events by hand: /_mock/trigger, /_mock/events and /_mock/logs/{id}/resend.

The caller's organization comes from the optional credentialToken header;
without one, a trigger reaches the matching webhooks of every organization.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from ..delivery import DeliveryHandle
from ..errors import NotFound
from ..events import EventSample
from ..ids import new_id
from ..keys import DISPATCHER, FIXTURES, SETTINGS, STORE
from ..models import (
    Credential,
    Event,
    Webhook,
    WebhookStatus,
    WebhookType,
    format_timestamp,
    utc_now,
)
from ..store import Store
from .responses import ControlError, caller, json_response, read_json_object

MAX_EVENTS_PER_TRIGGER = 10_000
TRIGGER_FIELDS = ("type", "overrides", "body", "webhookId", "wait", "count")
# Events made and queued per turn of the event loop: a big trigger never stalls the server.
EVENTS_PER_TURN = 100
# How much longer than one attempt's timeout a waiting trigger waits for every first attempt.
WAIT_GRACE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class TriggerRequest:
    type: WebhookType
    overrides: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    webhook_id: str | None = None
    wait: bool = True
    count: int = 1


def _valid_types() -> str:
    return ", ".join(member.value for member in WebhookType)


def parse_trigger(payload: dict[str, Any]) -> TriggerRequest:
    """A trigger request from its JSON body, or a 400 that says what is wrong."""
    unknown = sorted(set(payload) - set(TRIGGER_FIELDS))
    if unknown:
        raise ControlError(
            400, f"unknown field {unknown[0]!r}; the fields are {', '.join(TRIGGER_FIELDS)}"
        )
    type_name = payload.get("type")
    if not isinstance(type_name, str):
        raise ControlError(400, f'"type" is required: one of {_valid_types()}')
    if type_name not in WebhookType.__members__:
        raise ControlError(400, f"unknown type {type_name!r}; the types are {_valid_types()}")
    for field in ("overrides", "body"):
        if payload.get(field) is not None and not isinstance(payload[field], dict):
            raise ControlError(400, f'"{field}" must be a JSON object, like {{"data": {{...}}}}')
    if payload.get("overrides") is not None and payload.get("body") is not None:
        raise ControlError(
            400, 'give "overrides" (merged into the sample) or "body" (sent as is), not both'
        )
    webhook_id = payload.get("webhookId")
    if webhook_id is not None and not isinstance(webhook_id, str):
        raise ControlError(400, '"webhookId" must be a string')
    wait = payload.get("wait", True)
    if not isinstance(wait, bool):
        raise ControlError(400, '"wait" must be true or false')
    count = payload.get("count", 1)
    if (
        not isinstance(count, int)
        or isinstance(count, bool)
        or not 1 <= count <= MAX_EVENTS_PER_TRIGGER
    ):
        raise ControlError(
            400, f'"count" must be a whole number from 1 to {MAX_EVENTS_PER_TRIGGER}'
        )
    return TriggerRequest(
        type=WebhookType(type_name),
        overrides=payload.get("overrides"),
        body=payload.get("body"),
        webhook_id=webhook_id,
        wait=wait,
        count=count,
    )


def _targets(store: Store, trigger: TriggerRequest, credential: Credential | None) -> list[Webhook]:
    if trigger.webhook_id is None:
        return store.subscribers(trigger.type, credential)
    webhook = (
        store.get_webhook(credential, trigger.webhook_id)
        if credential
        else store.find_webhook(trigger.webhook_id)
    )
    if webhook is None:
        raise NotFound(f"webhook {trigger.webhook_id} was not found")
    _check_can_receive(webhook)
    if webhook.type is not trigger.type:
        raise ControlError(
            409, f"webhook {webhook.id} subscribes to {webhook.type}, not {trigger.type}"
        )
    return [webhook]


def _check_can_receive(webhook: Webhook) -> None:
    if webhook.status is not WebhookStatus.ENABLED:
        raise ControlError(
            409, f"webhook {webhook.id} is DISABLED, and DISABLED webhooks receive nothing"
        )


def _event_body(sample: EventSample, trigger: TriggerRequest, timestamp: str) -> bytes:
    try:
        if trigger.body is not None:
            return orjson.dumps(trigger.body)
        return sample.render(timestamp, trigger.overrides)
    except orjson.JSONEncodeError as exc:
        raise ControlError(400, f"the event body cannot be sent as JSON: {exc}") from None


async def trigger(request: web.Request) -> web.Response:
    """Fire an event at every ENABLED webhook of its type (or at one webhook)."""
    trigger = parse_trigger(await read_json_object(request))
    store = request.app[STORE]
    webhooks = _targets(store, trigger, caller(request))
    sample = request.app[FIXTURES].events[trigger.type]
    dispatcher = request.app[DISPATCHER]
    generation = dispatcher.generation
    now = utc_now()
    timestamp = format_timestamp(now)
    events: list[Event] = []
    handles: list[DeliveryHandle] = []
    for number in range(trigger.count):
        if number and number % EVENTS_PER_TURN == 0:
            await asyncio.sleep(0)
            if dispatcher.generation != generation:
                break  # a reset came: the rest of this trigger belongs to the old state
        event = Event(new_id("event"), trigger.type, _event_body(sample, trigger, timestamp), now)
        events.append(event)
        handles += dispatcher.deliver(event, webhooks, generation)
    payload: dict[str, Any] = {"eventId": events[0].id, "type": trigger.type}
    if trigger.count > 1:
        payload["eventIds"] = [event.id for event in events]
    return await _answer(request, payload, handles, trigger.wait)


async def resend(request: web.Request) -> web.Response:
    """Send a logged attempt's body again to its webhook: a new attempt of the same event."""
    options = await read_json_object(request)
    wait = options.get("wait", True)
    if set(options) - {"wait"} or not isinstance(wait, bool):
        raise ControlError(400, 'the only field is "wait": true or false')
    store, log_id = request.app[STORE], request.match_info["log_id"]
    credential = caller(request)
    log = store.get_log(credential, log_id) if credential else store.find_log(log_id)
    if log is None:
        raise NotFound(f"log {log_id} was not found")
    webhook = store.webhook_of(log)
    if webhook is None:
        raise ControlError(409, f"webhook {log.webhook_id} of log {log_id} has been deleted")
    _check_can_receive(webhook)
    if webhook.type is not log.type:
        raise ControlError(
            409, f"webhook {webhook.id} subscribes to {webhook.type} now, not {log.type}"
        )
    handle = request.app[DISPATCHER].resend(log, webhook)
    return await _answer(request, {"eventId": log.event_id, "type": log.type}, [handle], wait)


async def _answer(
    request: web.Request, payload: dict[str, Any], handles: list[DeliveryHandle], wait: bool
) -> web.Response:
    if not wait:
        payload["deliveries"] = [_delivery_json(handle) for handle in handles]
        return json_response(payload, status=202)
    if handles:
        timeout = request.app[SETTINGS].delivery_timeout + WAIT_GRACE_SECONDS
        await asyncio.wait([handle.first_attempt for handle in handles], timeout=timeout)
    payload["deliveries"] = [
        _delivery_json(handle) | _first_attempt_json(handle) for handle in handles
    ]
    return json_response(payload)


def _delivery_json(handle: DeliveryHandle) -> dict[str, Any]:
    return {"eventId": handle.delivery.event.id, "webhookId": handle.webhook_id, "url": handle.url}


def _first_attempt_json(handle: DeliveryHandle) -> dict[str, Any]:
    future = handle.first_attempt
    if not future.done():
        return {
            "logId": None,
            "responseStatus": None,
            "error": "still in flight when the trigger answered",
        }
    if future.cancelled():
        return {"logId": None, "responseStatus": None, "error": "cancelled before it was sent"}
    log = future.result()
    error = None
    if not log.succeeded:
        error = log.response if log.response_status is None else f"HTTP {log.response_status}"
    return {
        "logId": log.id,
        "attempt": log.attempt,
        "responseStatus": log.response_status,
        "latencyMs": log.latency_ms,
        "error": error,
    }


async def events(request: web.Request) -> web.Response:
    """Every event type with its sample body (placeholders unexpanded) and query."""
    samples = request.app[FIXTURES].events
    return json_response({"events": [_sample_json(samples[type]) for type in WebhookType]})


async def event(request: web.Request) -> web.Response:
    name = request.match_info["type"]
    if name not in WebhookType.__members__:
        raise NotFound(f"unknown type {name!r}; the types are {_valid_types()}")
    return json_response(_sample_json(request.app[FIXTURES].events[WebhookType(name)]))


def _sample_json(sample: EventSample) -> dict[str, Any]:
    return {"type": sample.type, "query": sample.query, "body": sample.body}
