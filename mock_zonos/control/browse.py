"""Read-only listings for the dashboard: credentials, webhooks, delivery logs and orders.

GraphQL shows a caller only its own organization and mode, and hides what
the mock knows of each attempt (number, latency, headers sent, event id).
These views show all of it: for the tenant of the optional credentialToken
header, or for every tenant without one. Lists are newest first and paged
forwards: `first` (default 20, at most 100, as in the API) and `after`, the
`endCursor` of the page before. Cursors are the API's own, so a
`webhookLogs` cursor pages /_mock/logs too.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import Any, TypeVar

from aiohttp import web

from ..domain.errors import NotFound
from ..domain.models import WebhookLog, WebhookStatus, WebhookType
from ..domain.orders import OrderStatus
from ..domain.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec, OrderedIndex
from ..domain.samples import JSONObject
from ..domain.store import LOG_CURSORS, WEBHOOK_CURSORS
from ..domain.tenant import Tenant
from ..domain.validation import whole_number
from ..domain.world import ORDER_CURSORS
from ..keys import BACKEND
from .responses import ControlError, caller, credentials_of, json_response, tenants_of
from .views import (
    credential_json,
    log_json,
    log_summary_json,
    order_json,
    order_summary_json,
    webhook_json,
)

LOG_STATUSES = {"success": True, "failed": False}


S = TypeVar("S")
T = TypeVar("T")
# Orders a /_mock/orders/{id} view lists the attempts of, newest first.
ORDER_DELIVERIES = 100


async def credentials(request: web.Request) -> web.Response:
    """Every known credential, auto-provisioned ones included; with a credentialToken,
    those of its organization and mode."""
    known = credentials_of(request.app[BACKEND].store, caller(request))
    return json_response({"credentials": [credential_json(c) for c in known]})


async def webhooks(request: web.Request) -> web.Response:
    """A page of webhooks, filtered by ?type= and ?status=ENABLED|DISABLED."""
    query = _checked_query(request, ("first", "after", "type", "status"))
    type = _type(query)
    status = _choice(query, "status", {s.value: s for s in WebhookStatus})
    indexes = [tenant.webhook_list(type, status) for tenant in _tenants(request)]
    found, more = _newest_page(indexes, WEBHOOK_CURSORS, query, lambda _: True)
    rows = [{"cursor": WEBHOOK_CURSORS.encode(seq), **webhook_json(w)} for seq, w in found]
    return json_response({"webhooks": rows, "pageInfo": _page_info(rows, more)})


async def logs(request: web.Request) -> web.Response:
    """A page of attempt summaries, filtered by ?type= and ?status=success|failed.

    A status filter reads past the attempts it skips: at worst the whole list
    for one page, under a tenth of a second at the log cap of 100,000.
    """
    query = _checked_query(request, ("first", "after", "type", "status"))
    type = _type(query)
    succeeded = _choice(query, "status", LOG_STATUSES)

    def keep(log: WebhookLog) -> bool:
        return succeeded is None or log.succeeded is succeeded

    indexes = [tenant.log_list(type) for tenant in _tenants(request)]
    found, more = _newest_page(indexes, LOG_CURSORS, query, keep)
    rows = [{"cursor": LOG_CURSORS.encode(seq), **log_summary_json(log)} for seq, log in found]
    return json_response({"logs": rows, "pageInfo": _page_info(rows, more)})


async def log(request: web.Request) -> web.Response:
    """One attempt in full: request body and headers, response or error, event id."""
    store, log_id = request.app[BACKEND].store, request.match_info["log_id"]
    credential = caller(request)
    found = store.get_log(credential, log_id) if credential else store.find_log(log_id)
    if found is None:
        raise NotFound(f"log {log_id} was not found")
    return json_response(log_json(found))


async def orders(request: web.Request) -> web.Response:
    """A page of order summaries (status, numbers, tracking, shipments), ?status= filtered."""
    query = _checked_query(request, ("first", "after", "status"))
    status = _choice(query, "status", {s.value: s for s in OrderStatus})

    def keep(order: JSONObject) -> bool:
        return status is None or order["status"] == status

    indexes = [tenant.world.order_index for tenant in _tenants(request)]
    found, more = _newest_page(indexes, ORDER_CURSORS, query, keep)
    rows = [{"cursor": ORDER_CURSORS.encode(seq), **order_summary_json(o)} for seq, o in found]
    return json_response({"orders": rows, "pageInfo": _page_info(rows, more)})


async def order(request: web.Request) -> web.Response:
    """One order in full, its shipments, and the newest attempts of the events about it."""
    store, order_id = request.app[BACKEND].store, request.match_info["order_id"]
    credential = caller(request)
    tenant = store.tenant_of(credential) if credential else store.find_order(order_id)
    if tenant is None or order_id not in tenant.world.orders:
        raise NotFound(f"order {order_id} was not found")
    about = tenant.logs_about(order_id).newest(ORDER_DELIVERIES)
    return json_response(
        {
            "order": order_json(tenant.world.orders[order_id]),
            "deliveries": [log_summary_json(log) for log in about],
        }
    )


def _tenants(request: web.Request) -> Iterable[Tenant]:
    return tenants_of(request.app[BACKEND].store, caller(request))


def _checked_query(request: web.Request, allowed: tuple[str, ...]) -> Mapping[str, str]:
    unknown = sorted(set(request.query) - set(allowed))
    if unknown:
        raise ControlError(
            400, f"unknown parameter {unknown[0]!r}; the parameters are {', '.join(allowed)}"
        )
    return request.query


def _type(query: Mapping[str, str]) -> WebhookType | None:
    return _choice(query, "type", {t.value: t for t in WebhookType})


def _choice(query: Mapping[str, str], name: str, choices: Mapping[str, T]) -> T | None:
    text = query.get(name)
    if text is None:
        return None
    if text not in choices:
        raise ControlError(400, f"unknown {name} {text!r}; the values are {', '.join(choices)}")
    return choices[text]


def _page_size(query: Mapping[str, str]) -> int:
    size = whole_number(query.get("first", str(DEFAULT_PAGE_SIZE)))
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise ControlError(400, f"first must be a whole number from 1 to {MAX_PAGE_SIZE}")
    return size


def _newest_page(
    indexes: list[OrderedIndex[S]],
    codec: CursorCodec,
    query: Mapping[str, str],
    keep: Callable[[S], bool],
) -> tuple[list[tuple[int, S]], bool]:
    """The first `first` items kept, newest first across every index, each with its
    sequence number, and whether more follow.

    Sequence numbers are global to the store, so one cursor places itself in
    every tenant's list at once and the lists merge by it.
    """
    size = _page_size(query)
    after = query.get("after")
    below = codec.decode(after, "after") if after is not None else None
    lists = (index.descending(below) for index in indexes)
    kept = (pair for pair in heapq.merge(*lists, key=_newer) if keep(pair[1]))
    found = list(islice(kept, size + 1))
    return found[:size], len(found) > size


def _newer(pair: tuple[int, object]) -> int:
    return -pair[0]


def _page_info(rows: list[dict[str, Any]], more: bool) -> dict[str, Any]:
    return {"hasNextPage": more, "endCursor": rows[-1]["cursor"] if rows else None}
