"""Resolvers for webhooks: the `webhook`/`webhooks` queries and the three mutations."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, QueryType

from ..domain.models import Result, Webhook, WebhookHeader
from ..domain.store import WebhookChanges
from .connections import Connection, page_request
from .context import Info

query = QueryType()
mutation = MutationType()


def _headers(raw: list[dict[str, str]] | None) -> tuple[WebhookHeader, ...] | None:
    if raw is None:
        return None
    return tuple(WebhookHeader(key=item["key"], value=item["value"]) for item in raw)


@query.field("webhook")
def resolve_webhook(_: None, info: Info, id: str) -> Webhook | None:
    context = info.context
    return context.store.get_webhook(context.credential, id)


@query.field("webhooks")
def resolve_webhooks(
    _: None,
    info: Info,
    filter: dict[str, Any] | None = None,
    **pagination: Any,
) -> Connection:
    context = info.context
    filter = filter or {}
    page, total = context.store.list_webhooks(
        context.credential,
        page_request(**pagination),
        mode=filter.get("mode"),
        type=filter.get("type"),
        status=filter.get("status"),
    )
    return Connection(page, total)


@mutation.field("webhookCreate")
def resolve_webhook_create(_: None, info: Info, input: dict[str, Any]) -> Webhook:
    context = info.context
    return context.store.create_webhook(
        context.credential,
        url=input["url"],
        type=input["type"],
        status=input["status"],
        headers=_headers(input.get("headers")) or (),
    )


@mutation.field("webhookUpdate")
def resolve_webhook_update(_: None, info: Info, input: dict[str, Any]) -> Webhook:
    context = info.context
    changes = WebhookChanges(
        url=input.get("url"),
        type=input.get("type"),
        status=input.get("status"),
        headers=_headers(input.get("headers")),
    )
    return context.store.update_webhook(context.credential, input["id"], changes)


@mutation.field("webhookDelete")
def resolve_webhook_delete(_: None, info: Info, id: str) -> Result:
    context = info.context
    deleted = context.store.delete_webhook(context.credential, id)
    return Result.SUCCESS if deleted else Result.FAILURE
