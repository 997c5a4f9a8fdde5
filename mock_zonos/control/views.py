"""JSON views of the domain for the /_mock/* control plane (not the Zonos API).

Unlike the GraphQL API these show everything, header values and delivery
details included: they exist for debugging.
"""

from __future__ import annotations

from typing import Any

from ..domain.clock import format_timestamp
from ..domain.models import Credential, Webhook, WebhookLog


def credential_json(credential: Credential) -> dict[str, Any]:
    return {
        "token": credential.token,
        "organizationId": credential.organization_id,
        "mode": credential.mode.value,
        "userId": credential.user_id,
    }


def webhook_json(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "organizationId": webhook.organization_id,
        "mode": webhook.mode.value,
        "type": webhook.type.value,
        "status": webhook.status.value,
        "url": webhook.url,
        "headers": [{"key": h.key, "value": h.value} for h in webhook.headers],
        "secret": webhook.secret,
        "createdAt": format_timestamp(webhook.created_at),
        "createdBy": webhook.created_by,
        "updatedAt": format_timestamp(webhook.updated_at),
        "updatedBy": webhook.updated_by,
    }


def log_summary_json(log: WebhookLog) -> dict[str, Any]:
    """A log without its bodies and headers: one row of a list, one event of the live stream."""
    return {
        "id": log.id,
        "organizationId": log.organization_id,
        "mode": log.mode.value,
        "webhookId": log.webhook_id,
        "type": log.type.value,
        "url": log.url,
        "eventId": log.event_id,
        "attempt": log.attempt,
        "createdAt": format_timestamp(log.created_at),
        "responseStatus": log.response_status,
        "latencyMs": log.latency_ms,
        "succeeded": log.succeeded,
        "duplicateOf": log.duplicate_of,
    }


def log_json(log: WebhookLog) -> dict[str, Any]:
    """A log in full: the summary, the request as sent and the response."""
    return {
        **log_summary_json(log),
        "request": log.request,
        "requestHeaders": [{"key": key, "value": value} for key, value in log.request_headers],
        "response": log.response,
    }
