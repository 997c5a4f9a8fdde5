"""Health, the settings, reset to fixtures, and a dump of the whole state for debugging."""

from __future__ import annotations

from aiohttp import web

from .. import __version__
from ..domain.models import Webhook
from ..domain.validation import whole_number
from ..keys import BACKEND
from ..services.reset import reset as reset_backend
from .responses import ControlError, caller, credentials_of, json_response, tenants_of
from .views import credential_json, log_json, webhook_json

# Logs per tenant in a state dump unless ?logs= says otherwise: the store may hold 100,000.
DEFAULT_DUMPED_LOGS = 100


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def server_settings(request: web.Request) -> web.Response:
    """What a client may need to know of how this server behaves (a scenario checks it)."""
    settings = request.app[BACKEND].settings
    return json_response(
        {
            "version": __version__,
            "sign": settings.sign,
            "clock": settings.clock,
            "faults": settings.faults.to_json(),
            "retryDelays": list(settings.retry_delays),
            "deliveryTimeout": settings.delivery_timeout,
            "deliveryConcurrency": settings.delivery_concurrency,
            "strictAuth": settings.strict_auth,
            "maxLogs": settings.max_logs,
        }
    )


async def reset(request: web.Request) -> web.Response:
    await reset_backend(request.app[BACKEND])
    return json_response({"status": "reset"})


async def state(request: web.Request) -> web.Response:
    """Credentials, and per tenant its webhooks and newest logs (?logs=N, default 100):
    every tenant's, or only the credentialToken's."""
    store = request.app[BACKEND].store
    credential = caller(request)
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
        for tenant in tenants_of(store, credential)
    ]
    credentials = [credential_json(c) for c in credentials_of(store, credential)]
    return json_response({"credentials": credentials, "tenants": tenants})


def _seq(webhook: Webhook) -> int:
    return webhook.seq
