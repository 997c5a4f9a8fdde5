"""The delivery engine: events become HTTP POSTs, retried on failure, every attempt logged.

One shared aiohttp session serves every delivery. Each receiver URL has its
own queue, worked by at most `delivery_concurrency` tasks, so a slow or dead
receiver holds up only its own deliveries, never anyone else's, and the
per-attempt timeout starts when the request does, not while it waits its
turn. A failed attempt goes back to its queue when its retry delay is over.

Before its first attempt a delivery may wait: for a fault's delay (on the
scheduler's clock, real or virtual) or in the held queue until a release.
At most `MAX_WAITING` deliveries wait in these two ways at once.

A little over our ~350 lines on purpose: the queues, their workers, retries,
holds and delays share one state and one reset (`cancel_all`); the sending
itself (delivery/sender.py) and the timers (delivery/scheduler.py) are apart.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..domain.errors import Conflict
from ..domain.faults import FaultChanges, Faults, check_signing
from ..domain.models import Delivery, Event, Webhook, WebhookLog, WebhookStatus
from ..domain.store import Store
from ..settings import Settings
from .faults import FaultPlan
from .holding import Holding, ReleaseOrder, TenantKey, in_order
from .scheduler import LoopScheduler, Scheduler, Timer
from .sender import Sender

logger = logging.getLogger("mock_zonos.delivery")

# Deliveries held or delayed at once: each costs memory until it is sent, released or reset.
MAX_WAITING = 100_000
HELD = "held"


@dataclass(slots=True, eq=False)
class DeliveryHandle:
    """A delivery under way; `first_attempt` resolves once its first attempt is logged.

    `held` says it waits for a release; `due_at`, when its first attempt is
    delayed by a fault, until when.
    """

    webhook_id: str
    url: str
    delivery: Delivery
    first_attempt: asyncio.Future[WebhookLog]
    held: bool = False
    due_at: datetime | None = None

    @property
    def sending(self) -> bool:
        """Whether its first attempt goes out now, rather than after a delay or a release."""
        return not self.held and self.due_at is None


@dataclass(slots=True, eq=False)
class _Job:
    """A delivery waiting for its next attempt, and the retries it has left."""

    handle: DeliveryHandle
    retry_delays: tuple[float, ...]
    # The reset generation it belongs to: a reset drops every job of the ones before.
    generation: int
    faults: Faults
    retries_done: int = 0
    timer: Timer | None = None
    # Resolves when the attempt it is queued for is over: what a virtual clock waits on.
    turn: asyncio.Future[None] | None = None

    def end_turn(self) -> None:
        if self.turn is not None and not self.turn.done():
            self.turn.set_result(None)
        self.turn = None

    def drop(self) -> None:
        # Whoever waits for the first attempt must not wait forever.
        self.handle.first_attempt.cancel()
        self.end_turn()


@dataclass(slots=True)
class _ReceiverQueue:
    jobs: deque[_Job] = field(default_factory=deque)
    workers: int = 0


class Dispatcher:
    """Sends deliveries for one app, and owns every task, timer and connection they use."""

    def __init__(
        self, store: Store, settings: Settings, scheduler: Scheduler | None = None
    ) -> None:
        self._store = store
        self._settings = settings
        self.scheduler = scheduler or LoopScheduler(store.clock)
        self._sender = Sender(store, settings)
        self._queues: dict[str, _ReceiverQueue] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._timed: set[_Job] = set()
        self._holding: Holding[_Job] = Holding()
        self._in_flight = 0
        self.generation = 0
        # Told "held" when the held queue changes, "clock" when the virtual clock moves;
        # a reset says neither, the store announces it.
        self.observers: list[Callable[[str], None]] = []
        # Set when the server starts to shut down: whoever waits on deliveries stops waiting.
        self.stopping = asyncio.Event()

    @property
    def pending(self) -> int:
        """Deliveries queued, in flight, held or waiting for a timer (a delay or a retry)."""
        queued = sum(len(queue.jobs) for queue in self._queues.values())
        return queued + self._in_flight + len(self._timed) + len(self._holding)

    async def open(self) -> None:
        await self._sender.transport.open()

    async def close(self) -> None:
        """Stop: in-flight attempts are logged as cancelled, the rest dropped."""
        self._sender.closing = True
        queued = sum(len(queue.jobs) for queue in self._queues.values())
        if queued or self._timed or self._holding:
            logger.info(
                "shutting down: dropping %d queued, %d held and %d timed deliveries "
                "(delays and retries)",
                queued,
                len(self._holding),
                len(self._timed),
            )
        await self.cancel_all()
        await self._sender.transport.close()

    async def cancel_all(self) -> None:
        """Forget every delivery queued, in flight, held or waiting (a reset); end every hold."""
        self.generation += 1
        for job in self._timed:
            if job.timer is not None:
                job.timer.cancel()
            job.drop()
        self._timed.clear()
        self.scheduler.forget_cancelled()
        for job in self._holding.clear():
            job.drop()
        for queue in self._queues.values():
            for job in queue.jobs:
                job.drop()
        self._queues.clear()
        workers = list(self._workers)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    def announce(self, change: str) -> None:
        for observer in self.observers:
            observer(change)

    # -- starting deliveries ----------------------------------------------------

    def plan(self, changes: FaultChanges | None, webhooks: list[Webhook], count: int) -> FaultPlan:
        """The faults for delivering `count` events to `webhooks`: the server's, changed by
        `changes`. Refuses signature faults on a server that does not sign, and deliveries
        that would wait (held or delayed) beyond MAX_WAITING."""
        faults = changes.applied_to(self._settings.faults) if changes else self._settings.faults
        check_signing(faults, self._settings.sign)
        held = any(self._holding.holds(_tenant(webhook)) for webhook in webhooks)
        waiting = len(self._timed) + len(self._holding)
        if (held or faults.delayed) and waiting + count * len(webhooks) > MAX_WAITING:
            raise Conflict(
                f"{waiting} deliveries already wait (held or delayed), and at most {MAX_WAITING} "
                "may: release them, advance the clock or reset before firing more"
            )
        return FaultPlan(faults)

    def deliver(
        self,
        event: Event,
        webhooks: Iterable[Webhook],
        generation: int | None = None,
        plan: FaultPlan | None = None,
    ) -> list[DeliveryHandle]:
        """Start delivering an event to each webhook, retrying on the configured schedule.

        A caller that started before a reset passes the generation it started in,
        so that what it still queues afterwards is dropped, not delivered.
        """
        retries = self._settings.retry_delays
        current = self.generation if generation is None else generation
        plan = plan or FaultPlan(self._settings.faults)
        return [self._start(Delivery(event, w.id), w.url, retries, current, plan) for w in webhooks]

    def resend(self, log: WebhookLog, webhook: Webhook) -> DeliveryHandle:
        """One more attempt of a logged delivery: same body, same event id, the next number.
        It carries no faults, and is never held or retried."""
        return self._start(log.delivery, webhook.url, (), self.generation, None)

    def _start(
        self,
        delivery: Delivery,
        url: str,
        retry_delays: tuple[float, ...],
        generation: int,
        plan: FaultPlan | None,
    ) -> DeliveryHandle:
        first_attempt = asyncio.get_running_loop().create_future()
        handle = DeliveryHandle(delivery.webhook_id, url, delivery, first_attempt)
        job = _Job(handle, retry_delays, generation, plan.faults if plan else Faults())
        delay = plan.first_delay() if plan else 0.0
        if delay > 0:
            handle.due_at = self._store.clock.now() + timedelta(seconds=delay)
            self._wait(job, delay, self._first_due)
        elif plan is None:
            self._retry_due(job)
        else:
            self._first_due(job)
        return handle

    def _first_due(self, job: _Job) -> asyncio.Future[None] | None:
        """A first attempt is due: held while its tenant is, else queued."""
        webhook = self._receivable(job)
        if webhook is None:
            return None
        tenant = _tenant(webhook)
        if self._holding.holds(tenant):
            job.handle.held = True
            self._holding.add(tenant, job)
            self.announce(HELD)
            return None
        return self._enqueue(job, webhook)

    def _retry_due(self, job: _Job) -> asyncio.Future[None] | None:
        webhook = self._receivable(job)
        return self._enqueue(job, webhook) if webhook is not None else None

    def _wait(
        self, job: _Job, delay: float, then: Callable[[_Job], asyncio.Future[None] | None]
    ) -> None:
        def due() -> asyncio.Future[None] | None:
            self._timed.discard(job)
            job.timer = None
            return then(job)

        job.timer = self.scheduler.call_later(delay, due)
        self._timed.add(job)

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

    # -- the queues -------------------------------------------------------------

    def _enqueue(self, job: _Job, webhook: Webhook) -> asyncio.Future[None]:
        queue = self._queues.get(webhook.url)
        if queue is None:
            queue = self._queues[webhook.url] = _ReceiverQueue()
        job.turn = asyncio.get_running_loop().create_future()
        queue.jobs.append(job)
        if queue.workers < self._settings.delivery_concurrency:
            queue.workers += 1
            self._spawn(self._work(queue))
        return job.turn

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)
        return task

    async def _work(self, queue: _ReceiverQueue) -> None:
        try:
            while queue.jobs:
                job = queue.jobs.popleft()
                webhook = self._receivable(job)
                if webhook is not None:
                    await self._attempt_job(job, webhook)
        finally:
            queue.workers -= 1

    async def _attempt_job(self, job: _Job, webhook: Webhook) -> None:
        handle = job.handle
        self._in_flight += 1
        try:
            log = await self._sender.attempt(webhook, handle.delivery, job.faults)
        except asyncio.CancelledError:
            job.drop()
            raise
        finally:
            self._in_flight -= 1
        if not handle.first_attempt.done():
            handle.first_attempt.set_result(log)
        if not log.succeeded and job.retries_done < len(job.retry_delays):
            delay = job.retry_delays[job.retries_done]
            job.retries_done += 1
            self._wait(job, delay, self._retry_due)
        elif not log.succeeded and job.retry_delays:
            logger.warning(
                "%s to %s: giving up after %d attempts",
                handle.delivery.event.id,
                webhook.url,
                handle.delivery.attempts,
            )
        job.end_turn()

    # -- holding ---------------------------------------------------------------

    def hold(self, tenant: TenantKey | None) -> None:
        """From now on, hold the tenant's new first attempts (everyone's, for None)."""
        self._holding.hold(tenant)
        self.announce(HELD)

    def holding(self, tenant: TenantKey | None) -> bool:
        return self._holding.holding(tenant)

    def held(self, tenant: TenantKey | None) -> list[DeliveryHandle]:
        """What waits for a release, the tenant's (everyone's, for None), oldest first."""
        return [job.handle for job in self._holding.waiting(tenant)]

    async def release(
        self, tenant: TenantKey | None, order: ReleaseOrder, seed: int | None
    ) -> list[WebhookLog]:
        """End the hold and send what it held, one attempt after another in `order`.

        Returns the first attempts' logs in send order. A reset meanwhile stops
        the release: what it had not sent yet is dropped, as everything else is.
        """
        jobs = in_order(self._holding.take(tenant), order, seed)
        self.announce(HELD)
        sent: list[WebhookLog] = []
        for job in jobs:
            job.handle.held = False
            webhook = self._receivable(job)
            if webhook is None:
                continue
            # A task of the engine's own, so that a reset or a shutdown cancels it.
            attempt = self._spawn(self._attempt_job(job, webhook))
            await asyncio.wait([attempt])
            if not attempt.cancelled():
                sent.append(job.handle.first_attempt.result())
        return sent


def _tenant(webhook: Webhook) -> TenantKey:
    return (webhook.organization_id, webhook.mode)
