"""The delivery engine: events become HTTP POSTs, retried on failure, every attempt logged.

One shared aiohttp session serves every delivery. Each receiver URL has its
own queue, worked by at most `delivery_concurrency` tasks, so a slow or dead
receiver holds up only its own deliveries, never anyone else's, and the
per-attempt timeout starts when the request does, not while it waits its
turn. A failed attempt goes back to its queue when its retry delay is over.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from multidict import CIMultiDict

from .. import __version__
from ..domain.clock import utc_now
from ..domain.models import Delivery, Event, Webhook, WebhookLog, WebhookStatus
from ..domain.store import Store
from ..settings import Settings
from .signing import signature_headers
from .transport import HttpTransport

logger = logging.getLogger("mock_zonos.delivery")

USER_AGENT = f"mock-zonos/{__version__}"
SHUTDOWN = "cancelled: mock-zonos shut down before the receiver answered"


@dataclass(frozen=True, slots=True)
class DeliveryHandle:
    """A delivery under way; `first_attempt` resolves once its first attempt is logged."""

    webhook_id: str
    url: str
    delivery: Delivery
    first_attempt: asyncio.Future[WebhookLog]


@dataclass(slots=True, eq=False)
class _Job:
    """A delivery waiting for its next attempt, and the retries it has left."""

    handle: DeliveryHandle
    retry_delays: tuple[float, ...]
    # The reset generation it belongs to: a reset drops every job of the ones before.
    generation: int
    retries_done: int = 0
    retry_timer: asyncio.TimerHandle | None = None

    def drop(self) -> None:
        # Whoever waits for the first attempt must not wait forever.
        self.handle.first_attempt.cancel()


@dataclass(slots=True)
class _ReceiverQueue:
    jobs: deque[_Job] = field(default_factory=deque)
    workers: int = 0


class Dispatcher:
    """Sends deliveries for one app, and owns every task, timer and connection they use."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._transport = HttpTransport(settings.delivery_timeout)
        self._queues: dict[str, _ReceiverQueue] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._retries: set[_Job] = set()
        self._in_flight = 0
        self.generation = 0
        self._closing = False
        # Set when the server starts to shut down: whoever waits on deliveries stops waiting.
        self.stopping = asyncio.Event()

    @property
    def pending(self) -> int:
        """Deliveries queued, in flight or waiting to retry."""
        queued = sum(len(queue.jobs) for queue in self._queues.values())
        return queued + self._in_flight + len(self._retries)

    async def open(self) -> None:
        await self._transport.open()

    async def close(self) -> None:
        """Stop: in-flight attempts are logged as cancelled, queued ones and retries dropped."""
        self._closing = True
        queued = self.pending - self._in_flight - len(self._retries)
        if queued or self._retries:
            logger.info(
                "shutting down: dropping %d queued deliveries and %d pending retries",
                queued,
                len(self._retries),
            )
        await self.cancel_all()
        await self._transport.close()

    async def cancel_all(self) -> None:
        """Forget every delivery queued, in flight or waiting to retry (a reset)."""
        self.generation += 1
        for job in self._retries:
            if job.retry_timer is not None:
                job.retry_timer.cancel()
            job.drop()
        self._retries.clear()
        for queue in self._queues.values():
            for job in queue.jobs:
                job.drop()
        self._queues.clear()
        workers = list(self._workers)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    def deliver(
        self, event: Event, webhooks: Iterable[Webhook], generation: int | None = None
    ) -> list[DeliveryHandle]:
        """Start delivering an event to each webhook, retrying on the configured schedule.

        A caller that started before a reset passes the generation it started in,
        so that what it still queues afterwards is dropped, not delivered.
        """
        retries = self._settings.retry_delays
        current = self.generation if generation is None else generation
        return [self._start(Delivery(event, w.id), w.url, retries, current) for w in webhooks]

    def resend(self, log: WebhookLog, webhook: Webhook) -> DeliveryHandle:
        """One more attempt of a logged delivery: same body, same event id, the next number."""
        return self._start(log.delivery, webhook.url, (), self.generation)

    def _start(
        self, delivery: Delivery, url: str, retry_delays: tuple[float, ...], generation: int
    ) -> DeliveryHandle:
        first_attempt = asyncio.get_running_loop().create_future()
        handle = DeliveryHandle(delivery.webhook_id, url, delivery, first_attempt)
        self._enqueue(_Job(handle, retry_delays, generation))
        return handle

    def _receivable(self, job: _Job) -> Webhook | None:
        """The job's webhook, or None (and the job dropped) when it may no longer receive it:
        a reset came since, or the webhook is gone, disabled or now of another type."""
        delivery = job.handle.delivery
        if job.generation != self.generation:
            job.drop()
            return None
        webhook = self._store.find_webhook(delivery.webhook_id)
        if (
            webhook is not None
            and webhook.status is WebhookStatus.ENABLED
            and webhook.type is delivery.event.type
        ):
            return webhook
        logger.info(
            "%s: webhook %s is gone, disabled or of another type now: not sending",
            delivery.event.id,
            delivery.webhook_id,
        )
        job.drop()
        return None

    def _enqueue(self, job: _Job) -> None:
        webhook = self._receivable(job)
        if webhook is None:
            return
        queue = self._queues.get(webhook.url)
        if queue is None:
            queue = self._queues[webhook.url] = _ReceiverQueue()
        queue.jobs.append(job)
        if queue.workers < self._settings.delivery_concurrency:
            queue.workers += 1
            worker = asyncio.create_task(self._work(queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)

    async def _work(self, queue: _ReceiverQueue) -> None:
        try:
            while queue.jobs:
                job = queue.jobs.popleft()
                webhook = self._receivable(job)
                if webhook is not None:
                    self._in_flight += 1
                    try:
                        await self._attempt_job(job, webhook)
                    finally:
                        self._in_flight -= 1
        finally:
            queue.workers -= 1

    async def _attempt_job(self, job: _Job, webhook: Webhook) -> None:
        handle = job.handle
        try:
            log = await self._attempt(webhook, handle.delivery)
        except asyncio.CancelledError:
            job.drop()
            raise
        if not handle.first_attempt.done():
            handle.first_attempt.set_result(log)
        if log.succeeded:
            return
        if job.retries_done < len(job.retry_delays):
            delay = job.retry_delays[job.retries_done]
            job.retries_done += 1
            job.retry_timer = asyncio.get_running_loop().call_later(delay, self._retry_due, job)
            self._retries.add(job)
        elif job.retry_delays:
            logger.warning(
                "%s to %s: giving up after %d attempts",
                handle.delivery.event.id,
                webhook.url,
                handle.delivery.attempts,
            )

    def _retry_due(self, job: _Job) -> None:
        self._retries.discard(job)
        job.retry_timer = None
        self._enqueue(job)

    async def _attempt(self, webhook: Webhook, delivery: Delivery) -> WebhookLog:
        attempt = delivery.next_attempt()
        headers = self._headers(webhook, delivery, attempt)
        url = webhook.url
        started = time.perf_counter()
        try:
            status, response = await self._transport.post(url, delivery.event.body, headers)
        except asyncio.CancelledError:
            if self._closing:
                self._record(webhook, delivery, attempt, url, headers, None, SHUTDOWN, None)
            raise
        except Exception as exc:
            # A bug of ours, not the receiver's: still one log row, as for every attempt.
            logger.exception("%s: the attempt failed inside mock-zonos", delivery.event.id)
            status, response = None, f"mock-zonos failed to send it: {type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        log = self._record(webhook, delivery, attempt, url, headers, status, response, latency_ms)
        # Failures are what a developer watches for; every attempt shows at DEBUG.
        logger.log(
            logging.DEBUG if log.succeeded else logging.INFO,
            "%s %s → %s attempt %d: %s in %.1f ms",
            delivery.event.type,
            delivery.event.id,
            url,
            attempt,
            status if status is not None else response,
            latency_ms,
        )
        return log

    def _record(
        self,
        webhook: Webhook,
        delivery: Delivery,
        attempt: int,
        url: str,
        headers: CIMultiDict[str],
        status: int | None,
        response: str,
        latency_ms: float | None,
    ) -> WebhookLog:
        return self._store.record_attempt(
            webhook,
            delivery,
            attempt=attempt,
            url=url,
            created_at=utc_now(),
            response=response,
            response_status=status,
            latency_ms=latency_ms,
            request_headers=tuple(headers.items()),
        )

    def _headers(self, webhook: Webhook, delivery: Delivery, attempt: int) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict(
            {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        )
        for header in webhook.headers:
            headers[header.key] = header.value
        event = delivery.event
        headers["X-Mock-Zonos-Event-Id"] = event.id
        headers["X-Mock-Zonos-Attempt"] = str(attempt)
        if self._settings.sign:
            headers.update(
                signature_headers(webhook.secret, event.id, int(time.time()), event.body)
            )
        return headers
