"""Resolvers for delivery logs: `webhookLog`, `webhookLogs` and `WebhookLog.webhook`."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType

from ..domain.models import Webhook, WebhookLog
from .connections import Connection, page_request
from .context import Info

query = QueryType()
webhook_log = ObjectType("WebhookLog")


@query.field("webhookLog")
def resolve_webhook_log(_: None, info: Info, id: str) -> WebhookLog | None:
    context = info.context
    return context.store.get_log(context.credential, id)


@query.field("webhookLogs")
def resolve_webhook_logs(
    _: None,
    info: Info,
    filter: dict[str, Any] | None = None,
    **pagination: Any,
) -> Connection:
    context = info.context
    page = context.store.list_logs(
        context.credential, page_request(**pagination), type=(filter or {}).get("type")
    )
    return Connection(page)


@webhook_log.field("webhook")
def resolve_log_webhook(log: WebhookLog, info: Info) -> Webhook | None:
    return info.context.store.webhook_of(log)
