"""The mock's own control plane under /_mock/: health, reset and a state dump.

None of this is part of the Zonos API. Errors are JSON: {"error": message}.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

from .keys import STORE
from .serialize import credential_json, log_json, webhook_json

CONTROL_PREFIX = "/_mock/"


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


def json_error(message: str, status: int) -> web.Response:
    return json_response({"error": message}, status)


@web.middleware
async def control_errors_as_json(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Routing errors on /_mock/* (404, 405, 413) answer in JSON like the handlers do."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or not request.path.startswith(CONTROL_PREFIX):
            raise
        return json_error(f"{exc.reason}: {request.method} {request.path}", exc.status)


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def reset(request: web.Request) -> web.Response:
    request.app[STORE].reset()
    return json_response({"status": "reset"})


async def state(request: web.Request) -> web.Response:
    store = request.app[STORE]
    tenants = [
        {
            "organizationId": tenant.organization_id,
            "mode": tenant.mode,
            "webhooks": [
                webhook_json(w) for w in sorted(tenant.webhooks.values(), key=lambda w: w.seq)
            ],
            "logs": [
                log_json(log) for log in sorted(tenant.logs.values(), key=lambda log: log.seq)
            ],
        }
        for tenant in store.tenants.values()
    ]
    return json_response(
        {
            "credentials": [credential_json(c) for c in store.credentials.values()],
            "tenants": tenants,
        }
    )
