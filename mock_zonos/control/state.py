"""Health, reset to fixtures, and a dump of the whole state for debugging."""

from __future__ import annotations

from aiohttp import web

from ..keys import DISPATCHER, STORE
from ..models import Webhook
from ..serialize import credential_json, log_json, webhook_json
from ..validation import whole_number
from .responses import ControlError, json_response

# Logs per tenant in a state dump unless ?logs= says otherwise: the store may hold 100,000.
DEFAULT_DUMPED_LOGS = 100


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def reset_to_fixtures(app: web.Application) -> None:
    """Deliveries queued, in flight or waiting to retry are dropped, then the state reloaded."""
    await app[DISPATCHER].cancel_all()
    app[STORE].reset()


async def reset(request: web.Request) -> web.Response:
    await reset_to_fixtures(request.app)
    return json_response({"status": "reset"})


async def state(request: web.Request) -> web.Response:
    """Credentials, and per tenant its webhooks and newest logs (?logs=N, default 100)."""
    store = request.app[STORE]
    text = request.query.get("logs", str(DEFAULT_DUMPED_LOGS))
    logs_wanted = whole_number(text)
    if logs_wanted is None:
        raise ControlError(400, f"logs must be a whole number, got {text!r}")
    tenants = [
        {
            "organizationId": tenant.organization_id,
            "mode": tenant.mode,
            "webhooks": [webhook_json(w) for w in sorted(tenant.webhooks.values(), key=_seq)],
            "logsTotal": len(tenant.logs),
            "logs": [log_json(log) for log in tenant.newest_logs(logs_wanted)],
        }
        for tenant in store.tenants.values()
    ]
    credentials = [credential_json(c) for c in store.credentials.values()]
    return json_response({"credentials": credentials, "tenants": tenants})


def _seq(webhook: Webhook) -> int:
    return webhook.seq
