"""Reordering deliveries: /_mock/deliveries/hold, /_mock/deliveries/release and .../held.

With a credentialToken header they act on that organization and mode;
without one, on every organization.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..delivery.dispatcher import DeliveryHandle
from ..delivery.holding import check_order
from ..keys import BACKEND
from ..services import deliveries
from .responses import ControlError, caller, json_response, read_json_object

RELEASE_FIELDS = ("order", "seed")
# Up to 100,000 deliveries may wait: a listing shows the oldest, and counts them all.
LISTED = 1000


async def hold(request: web.Request) -> web.Response:
    """From now on, new first attempts wait in the held queue instead of going out."""
    if await read_json_object(request):
        raise ControlError(400, "hold takes no fields: send {} or nothing")
    return json_response({"held": deliveries.hold(request.app[BACKEND], caller(request))})


async def release(request: web.Request) -> web.Response:
    """Send what is held, one attempt after another in the order asked; end the hold."""
    payload = await read_json_object(request)
    unknown = sorted(set(payload) - set(RELEASE_FIELDS))
    if unknown:
        raise ControlError(
            400, f"unknown field {unknown[0]!r}; the fields are {', '.join(RELEASE_FIELDS)}"
        )
    order = check_order(payload.get("order", "fifo"))
    seed = payload.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ControlError(400, f'"seed" must be a whole number, got {seed!r}')
    logs = await deliveries.release(request.app[BACKEND], caller(request), order, seed)
    return json_response({"released": [log.id for log in logs]})


async def held(request: web.Request) -> web.Response:
    """Whether deliveries are held, and which wait, oldest first."""
    state = deliveries.held(request.app[BACKEND], caller(request))
    rows = [_held_json(request, handle) for handle in state.deliveries[:LISTED]]
    count = len(state.deliveries)
    return json_response({"holding": state.holding, "count": count, "held": rows})


def _held_json(request: web.Request, handle: DeliveryHandle) -> dict[str, Any]:
    webhook = request.app[BACKEND].store.find_webhook(handle.webhook_id)
    event = handle.delivery.event
    return {
        "eventId": event.id,
        "type": event.type.value,
        "webhookId": handle.webhook_id,
        "url": handle.url,
        "organizationId": webhook.organization_id if webhook else None,
        "mode": webhook.mode.value if webhook else None,
    }
