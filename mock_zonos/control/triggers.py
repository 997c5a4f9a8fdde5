"""Firing events by hand: /_mock/trigger, /_mock/events and /_mock/logs/{id}/resend.

Each handler parses its request, calls the operation in services/, and
answers JSON. The caller's organization comes from the optional
credentialToken header; without one, a trigger reaches every organization.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..delivery.dispatcher import DeliveryHandle
from ..domain.clock import format_timestamp
from ..domain.errors import NotFound
from ..domain.faults import FaultChanges, parse_faults
from ..domain.models import Credential, WebhookType
from ..domain.orders import OrderStatus, subject_of
from ..keys import BACKEND
from ..services.backend import Backend
from ..services.previews import preview_body
from ..services.resend import resend as resend_log
from ..services.trigger import fire, wait_for_first_attempts
from ..services.trigger_request import MAX_EVENTS_PER_TRIGGER, Trigger, subject_fields
from .responses import ControlError, caller, json_response, read_json_object

TRIGGER_FIELDS = (
    "type",
    "orderId",
    "shipmentId",
    "status",
    "overrides",
    "body",
    "webhookId",
    "wait",
    "count",
    "faults",
)


def _valid_types() -> str:
    return ", ".join(member.value for member in WebhookType)


def parse_trigger(payload: dict[str, Any]) -> tuple[Trigger, bool]:
    """A trigger and whether to wait for it, from its JSON body, or a 400 that says why."""
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
    for name in ("webhookId", "orderId", "shipmentId"):
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise ControlError(400, f'"{name}" must be a string')
    status = payload.get("status")
    if status is not None and status not in OrderStatus.__members__:
        statuses = ", ".join(OrderStatus)
        raise ControlError(400, f'"status" must be an OrderStatus: one of {statuses}')
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
    trigger = Trigger(
        type=WebhookType(type_name),
        overrides=payload.get("overrides"),
        body=payload.get("body"),
        webhook_id=payload.get("webhookId"),
        count=count,
        order_id=payload.get("orderId"),
        shipment_id=payload.get("shipmentId"),
        status=OrderStatus(status) if status is not None else None,
        faults=_faults(payload.get("faults")),
    )
    return trigger, wait


def _faults(raw: object) -> FaultChanges | None:
    """The trigger's own faults, over the server's (InvalidInput, a 400, names a bad one)."""
    return None if raw is None else parse_faults(raw)


async def trigger(request: web.Request) -> web.Response:
    """Fire an event at every ENABLED webhook of its type (or at one webhook)."""
    payload = await read_json_object(request)
    status, answer = await trigger_answer(request.app[BACKEND], payload, caller(request))
    return json_response(answer, status)


async def trigger_answer(
    backend: Backend, payload: dict[str, Any], credential: Credential | None
) -> tuple[int, dict[str, Any]]:
    """POST /_mock/trigger's status and JSON for a request's JSON and caller; MockZonos
    calls it on the server's loop, without the HTTP exchange."""
    trigger, wait = parse_trigger(payload)
    fired = await fire(backend, trigger, credential)
    answer: dict[str, Any] = {"eventId": fired.event_ids[0], "type": fired.type}
    if len(fired.event_ids) > 1:
        answer["eventIds"] = fired.event_ids
    for name, ids in (("orderId", fired.order_ids), ("shipmentId", fired.shipment_ids)):
        if ids:
            answer[name] = ids[0]
        if len(ids) > 1:
            answer[f"{name}s"] = ids
    if credential is not None:
        answer["caller"] = {
            "organizationId": credential.organization_id,
            "mode": credential.mode.value,
            "fromFixtures": backend.store.credentials.from_fixtures(credential),
        }
    return await _with_deliveries(backend, answer, fired.deliveries, wait)


async def resend(request: web.Request) -> web.Response:
    """Send a logged attempt's body again to its webhook: a new attempt of the same event."""
    options = await read_json_object(request)
    wait = options.get("wait", True)
    if set(options) - {"wait"} or not isinstance(wait, bool):
        raise ControlError(400, 'the only field is "wait": true or false')
    backend = request.app[BACKEND]
    log, handle = resend_log(backend, request.match_info["log_id"], caller(request))
    status, answer = await _with_deliveries(
        backend, {"eventId": log.event_id, "type": log.type}, [handle], wait
    )
    return json_response(answer, status)


async def _with_deliveries(
    backend: Backend, payload: dict[str, Any], handles: list[DeliveryHandle], wait: bool
) -> tuple[int, dict[str, Any]]:
    """The answer with its deliveries: at once (202), or once every first attempt is over."""
    if not wait:
        payload["deliveries"] = [_delivery_json(handle) for handle in handles]
        return 202, payload
    await wait_for_first_attempts(backend, handles)
    payload["deliveries"] = [
        _delivery_json(handle) | _first_attempt_json(handle) for handle in handles
    ]
    return 200, payload


def _delivery_json(handle: DeliveryHandle) -> dict[str, Any]:
    return {"eventId": handle.delivery.event.id, "webhookId": handle.webhook_id, "url": handle.url}


def _first_attempt_json(handle: DeliveryHandle) -> dict[str, Any]:
    future = handle.first_attempt
    if not future.done() and handle.held:
        return {"logId": None, "responseStatus": None, "error": None, "held": True}
    if not future.done() and handle.due_at is not None:
        due = format_timestamp(handle.due_at)
        return {"logId": None, "responseStatus": None, "error": None, "delayedUntil": due}
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
    """Every event type with its webhook query and what its body looks like."""
    backend = request.app[BACKEND]
    return json_response({"events": [_event_json(backend, type) for type in WebhookType]})


async def event(request: web.Request) -> web.Response:
    name = request.match_info["type"]
    if name not in WebhookType.__members__:
        raise NotFound(f"unknown type {name!r}; the types are {_valid_types()}")
    return json_response(_event_json(request.app[BACKEND], WebhookType(name)))


def _event_json(backend: Backend, type: WebhookType) -> dict[str, Any]:
    subject = subject_of(type)
    return {
        "type": type,
        "query": backend.samples[type].query,
        "body": preview_body(backend, type),
        "subject": subject.value if subject else None,
        "subjectFields": list(subject_fields(type)),
    }
