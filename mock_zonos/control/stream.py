"""GET /_mock/stream: server-sent events of every new delivery attempt and every reset.

Events: `log`, whose data is the attempt's summary (as a row of /_mock/logs,
with its cursor), for every attempt of every organization, or only of the
credentialToken's organization and mode when the header is given; `reset`
after a reset to the fixtures; `held` when the held queue changed and `clock`
when the virtual clock moved, with no data: a viewer reads those afresh. A
stream that ends (a viewer too far behind, or the server shutting down) is
resumed by the browser's EventSource after `retry`.
"""

from __future__ import annotations

import asyncio

import orjson
from aiohttp import web

from ..domain.models import WebhookLog
from ..domain.store import LOG_CURSORS
from ..keys import LIVE_FEED
from ..services.live import Subscription
from .responses import caller
from .views import log_summary_json

# A comment line this often: a write is how a server notices a viewer that left.
HEARTBEAT_SECONDS = 15.0
RECONNECT_MILLISECONDS = 1000


async def stream(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    credential = caller(request)
    tenant = (credential.organization_id, credential.mode) if credential else None
    await response.prepare(request)
    with request.app[LIVE_FEED].subscribe(tenant) as subscription:
        try:
            await response.write(f"retry: {RECONNECT_MILLISECONDS}\n\n".encode())
            while (message := await _next_message(subscription)) is not None:
                await response.write(message)
        except ConnectionResetError:
            pass  # the viewer went away: nothing left to tell it
    return response


async def _next_message(subscription: Subscription) -> bytes | None:
    """The next event, a heartbeat after a silence, or None once the subscription closed."""
    try:
        item = await asyncio.wait_for(subscription.next(), HEARTBEAT_SECONDS)
    except TimeoutError:
        return b": keep-alive\n\n"
    if item is None:
        return None
    if isinstance(item, WebhookLog):
        summary = {"cursor": LOG_CURSORS.encode(item.seq), **log_summary_json(item)}
        return b"event: log\ndata: " + orjson.dumps(summary) + b"\n\n"
    return b"event: %s\ndata: {}\n\n" % item.encode()


async def close_streams(app: web.Application) -> None:
    """On shutdown: end every open stream, or the server would wait for them."""
    app[LIVE_FEED].close_all()
