"""Read-only listings for the dashboard: credentials, webhooks and delivery logs.

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, Protocol, TypeVar

from aiohttp import web

from ..domain.errors import NotFound
from ..domain.models import WebhookLog, WebhookStatus, WebhookType
from ..domain.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CursorCodec,
    OrderedIndex,
    PageRequest,
)
from ..domain.store import LOG_CURSORS, WEBHOOK_CURSORS
from ..domain.tenant import Tenant
from ..domain.validation import whole_number
from ..keys import BACKEND
from .responses import ControlError, caller, credentials_of, json_response, tenants_of
from .views import credential_json, log_json, log_summary_json, webhook_json

LOG_STATUSES = {"success": True, "failed": False}


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


S = TypeVar("S", bound=_Sequenced)
T = TypeVar("T")


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
    rows = [{"cursor": WEBHOOK_CURSORS.encode(w.seq), **webhook_json(w)} for w in found]
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
    rows = [{"cursor": LOG_CURSORS.encode(log.seq), **log_summary_json(log)} for log in found]
    return json_response({"logs": rows, "pageInfo": _page_info(rows, more)})


async def log(request: web.Request) -> web.Response:
    """One attempt in full: request body and headers, response or error, event id."""
    store, log_id = request.app[BACKEND].store, request.match_info["log_id"]
    credential = caller(request)
    found = store.get_log(credential, log_id) if credential else store.find_log(log_id)
    if found is None:
        raise NotFound(f"log {log_id} was not found")
    return json_response(log_json(found))


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
) -> tuple[list[S], bool]:
    """The first `first` items kept, newest first across every index, and whether more follow.

    Sequence numbers are global to the store, so one cursor places itself in
    every tenant's list at once and the lists merge by it.
    """
    size = _page_size(query)
    after = query.get("after")
    if after is not None:
        codec.decode(after, "after")  # refuse a bad cursor even when no list is read
    # Each list is read a page-and-one at a time: most requests need no second read.
    chunk = min(size + 1, MAX_PAGE_SIZE)
    lists = (_descending(index, codec, after, chunk) for index in indexes)
    found = list(islice(filter(keep, heapq.merge(*lists, key=_newer)), size + 1))
    return found[:size], len(found) > size


def _newer(item: _Sequenced) -> int:
    return -item.seq


def _descending(
    index: OrderedIndex[S], codec: CursorCodec, after: str | None, chunk: int
) -> Iterator[S]:
    """One list, newest first from below `after`, read `chunk` items at a time."""
    while True:
        page = index.page(PageRequest(first=chunk, after=after), codec)
        yield from page.items
        if not page.has_next_page:
            return
        after = codec.encode(page.items[-1].seq)


def _page_info(rows: list[dict[str, Any]], more: bool) -> dict[str, Any]:
    return {"hasNextPage": more, "endCursor": rows[-1]["cursor"] if rows else None}
