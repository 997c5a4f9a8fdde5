"""Fan-out of the store's and the dispatcher's observers to live viewers: the dashboard's stream.

Observers run inside the store's writes, so a subscriber must never block
them or grow without bound: each one gets a bounded queue, and one that falls
`QUEUE_LIMIT` items behind is closed rather than waited for (a dashboard
reconnects and reloads its page, which is cheaper than the backlog). Changes
a viewer reads afresh anyway (the held queue, the clock) are signals: one of
each kind waits in a queue at most.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Final

from ..delivery.dispatcher import Dispatcher
from ..domain.models import Mode, WebhookLog
from ..domain.store import Store

QUEUE_LIMIT = 1000

RESET: Final = "reset"
# A log, a reset, or a signal that something a viewer reads afresh changed ("held", "clock").
FeedItem = WebhookLog | str
# An organization and a mode: whose logs a subscription hears of, when not everyone's.
TenantKey = tuple[str, Mode]


class Subscription:
    """One viewer's queue of new logs and resets, closed on overflow or shutdown."""

    def __init__(self, limit: int, tenant: TenantKey | None = None) -> None:
        # None only ever wakes a reader blocked on an empty queue when the subscription closes.
        self._queue: asyncio.Queue[FeedItem | None] = asyncio.Queue(limit)
        self._tenant = tenant
        self._signalled: set[str] = set()
        self.closed = False

    def offer(self, item: FeedItem) -> None:
        if self.closed or not self._hears_of(item):
            return
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.closed = True

    def _hears_of(self, item: FeedItem) -> bool:
        if self._tenant is None or not isinstance(item, WebhookLog):
            return True
        return (item.organization_id, item.mode) == self._tenant

    def offer_signal(self, kind: str) -> None:
        if kind not in self._signalled:
            self._signalled.add(kind)
            self.offer(kind)

    def offer_reset(self) -> None:
        # What is still queued predates the reset, and a viewer reloads after one anyway.
        if self.closed:
            return
        while not self._queue.empty():
            self._queue.get_nowait()
        self._signalled.clear()
        self.offer(RESET)

    def close(self) -> None:
        # A full queue means the reader is not blocked: it sees `closed` at its next read.
        with suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)
        self.closed = True

    async def next(self) -> FeedItem | None:
        """The next item, waiting for one; None once the subscription is closed."""
        if self.closed:
            return None
        item = await self._queue.get()
        if isinstance(item, str):
            self._signalled.discard(item)
        return None if self.closed else item


class LiveFeed:
    """The subscriptions open on one store, so that shutdown can close them all."""

    def __init__(self, store: Store, dispatcher: Dispatcher, limit: int = QUEUE_LIMIT) -> None:
        self._store = store
        self._dispatcher = dispatcher
        self._limit = limit
        self._open: set[Subscription] = set()

    @contextmanager
    def subscribe(self, tenant: TenantKey | None = None) -> Iterator[Subscription]:
        """New logs (of one tenant, when given) and resets, until the block ends."""
        subscription = Subscription(self._limit, tenant)
        self._store.on_log.append(subscription.offer)
        self._store.on_reset.append(subscription.offer_reset)
        self._dispatcher.observers.append(subscription.offer_signal)
        self._open.add(subscription)
        try:
            yield subscription
        finally:
            self._open.discard(subscription)
            self._store.on_log.remove(subscription.offer)
            self._store.on_reset.remove(subscription.offer_reset)
            self._dispatcher.observers.remove(subscription.offer_signal)

    def close_all(self) -> None:
        for subscription in self._open:
            subscription.close()
