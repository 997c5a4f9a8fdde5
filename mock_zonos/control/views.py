"""JSON views of the domain for the /_mock/* control plane (not the Zonos API).

Unlike the GraphQL API these show everything, header values and delivery
details included: they exist for debugging.
"""

from __future__ import annotations

from typing import Any

from ..domain.clock import format_timestamp
from ..domain.models import Credential, Webhook, WebhookLog
from ..domain.samples import JSONObject


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
        "orderId": log.delivery.event.order_id,
        "shipmentId": log.delivery.event.shipment_id,
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


def order_summary_json(order: JSONObject) -> dict[str, Any]:
    """An order as one row of a list: who, what status, which numbers, which shipments."""
    return {
        "id": order["id"],
        "organizationId": order["organization"],
        "mode": order["mode"],
        "status": order["status"],
        "accountOrderNumber": order.get("accountOrderNumber"),
        "zonosOrderId": order.get("zonosOrderId"),
        "createdAt": order["createdAt"],
        "updatedAt": order["updatedAt"],
        "trackingNumbers": order.get("trackingNumbers") or [],
        "shipments": [_shipment_summary(shipment) for shipment in order["shipments"]],
    }


def order_json(order: JSONObject) -> dict[str, Any]:
    """An order in full, as the world holds it, its links cut: shipments as summaries, its
    root without the order it belongs to."""
    shown = {key: value for key, value in order.items() if key not in ("shipments", "root")}
    if order.get("root") is not None:
        shown["root"] = {key: value for key, value in order["root"].items() if key != "order"}
    shown["shipments"] = [_shipment_summary(shipment) for shipment in order["shipments"]]
    return shown


def _shipment_summary(shipment: JSONObject) -> dict[str, Any]:
    return {
        "id": shipment["id"],
        "status": shipment["status"],
        "createdAt": shipment["createdAt"],
        "trackingNumbers": [tracking["number"] for tracking in shipment["trackingDetails"]],
    }
