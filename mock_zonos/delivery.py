"""The delivery engine: events become HTTP POSTs, retried on failure, every attempt logged.

One shared aiohttp session serves every delivery. Each receiver URL gets its
own concurrency limit, so a slow or dead receiver queues only its own
deliveries, never anyone else's, and the per-attempt timeout starts when the
request does, not while it waits for a slot.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDict

from . import __version__
from .models import Delivery, Event, Webhook, WebhookLog, WebhookStatus, utc_now
from .settings import Settings
from .signing import signature_headers
from .store import Store

logger = logging.getLogger("mock_zonos.delivery")

USER_AGENT = f"mock-zonos/{__version__}"
RESPONSE_LIMIT = 64 * 1024
TRUNCATED = f"\n[mock-zonos: response truncated at {RESPONSE_LIMIT} bytes]"
SHUTDOWN = "cancelled: mock-zonos shut down before the receiver answered"


@dataclass(frozen=True, slots=True)
class DeliveryHandle:
    """A delivery under way; `first_attempt` resolves once its first attempt is logged."""

    webhook_id: str
    url: str
    delivery: Delivery
    first_attempt: asyncio.Future[WebhookLog]


class Dispatcher:
    """Sends deliveries for one app, and owns every task and connection they use."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._client_timeout = aiohttp.ClientTimeout(total=settings.delivery_timeout)
        self._receivers: dict[str, asyncio.Semaphore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting_retries = 0
        self._closing = False
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))

    async def close(self) -> None:
        """Stop: in-flight attempts are logged as cancelled, pending retries dropped."""
        self._closing = True
        if self._waiting_retries:
            logger.info("shutting down: dropping %d pending retries", self._waiting_retries)
        await self._cancel_tasks()
        if self._session is not None:
            await self._session.close()

    async def cancel_all(self) -> None:
        """Forget every delivery in flight or waiting to retry, without logging them (reset)."""
        await self._cancel_tasks()
        self._receivers.clear()

    def deliver(self, event: Event, webhooks: Iterable[Webhook]) -> list[DeliveryHandle]:
        """Start delivering an event to each webhook, retrying on the configured schedule."""
        return [
            self._start(Delivery(event, w.id), w.url, self._settings.retry_delays) for w in webhooks
        ]

    def resend(self, log: WebhookLog, webhook: Webhook) -> DeliveryHandle:
        """One more attempt of a logged delivery: same body, same event id, the next number."""
        return self._start(log.delivery, webhook.url, retry_delays=())

    def _start(
        self, delivery: Delivery, url: str, retry_delays: tuple[float, ...]
    ) -> DeliveryHandle:
        first_attempt = asyncio.get_running_loop().create_future()
        handle = DeliveryHandle(delivery.webhook_id, url, delivery, first_attempt)
        self._spawn(self._run(handle, retry_delays))
        return handle

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, handle: DeliveryHandle, retry_delays: tuple[float, ...]) -> None:
        delivery, first_attempt = handle.delivery, handle.first_attempt
        try:
            for retry, delay in enumerate((0.0, *retry_delays)):
                if retry:
                    await self._wait_to_retry(delay)
                webhook = self._store.find_webhook(delivery.webhook_id)
                if webhook is None or webhook.status is not WebhookStatus.ENABLED:
                    logger.info(
                        "%s: webhook %s is gone or disabled, not sending",
                        delivery.event.id,
                        delivery.webhook_id,
                    )
                    return
                log = await self._attempt(webhook, delivery)
                if not first_attempt.done():
                    first_attempt.set_result(log)
                if log.succeeded:
                    return
            if retry_delays:
                logger.warning(
                    "%s to %s: giving up after %d attempts",
                    delivery.event.id,
                    handle.url,
                    delivery.attempts,
                )
        finally:
            # A reset or shutdown cancelled us first: whoever waits must not wait forever.
            first_attempt.cancel()

    async def _wait_to_retry(self, delay: float) -> None:
        self._waiting_retries += 1
        try:
            await asyncio.sleep(delay)
        finally:
            self._waiting_retries -= 1

    async def _attempt(self, webhook: Webhook, delivery: Delivery) -> WebhookLog:
        attempt = delivery.next_attempt()
        headers = self._headers(webhook, delivery, attempt)
        url = webhook.url
        async with self._receiver_slot(url):
            started = time.perf_counter()
            try:
                status, response = await self._post(url, delivery.event.body, headers)
            except asyncio.CancelledError:
                if self._closing:
                    self._record(webhook, delivery, attempt, url, headers, None, SHUTDOWN, None)
                raise
        latency_ms = (time.perf_counter() - started) * 1000
        log = self._record(webhook, delivery, attempt, url, headers, status, response, latency_ms)
        logger.info(
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

    def _receiver_slot(self, url: str) -> asyncio.Semaphore:
        slot = self._receivers.get(url)
        if slot is None:
            slot = self._receivers[url] = asyncio.Semaphore(self._settings.delivery_concurrency)
        return slot

    async def _post(
        self, url: str, body: bytes, headers: CIMultiDict[str]
    ) -> tuple[int | None, str]:
        """The receiver's status and body, or no status and the transport error in words."""
        assert self._session is not None, "the dispatcher is not open"
        try:
            async with self._session.post(
                url, data=body, headers=headers, allow_redirects=False, timeout=self._client_timeout
            ) as response:
                return response.status, await _read_limited(response)
        except TimeoutError:
            return None, f"timed out after {self._settings.delivery_timeout:g} s"
        except aiohttp.ClientConnectorError as exc:
            return None, _describe_connect_error(exc)
        except aiohttp.ServerDisconnectedError:
            return None, "the receiver closed the connection without answering"
        except aiohttp.ClientResponseError as exc:
            return None, f"invalid HTTP response: {exc.message}"
        except (aiohttp.ClientError, OSError) as exc:
            return None, f"{type(exc).__name__}: {exc}"


async def _read_limited(response: aiohttp.ClientResponse) -> str:
    """The body as text, cut at RESPONSE_LIMIT: a huge body is never read in full."""
    chunks: list[bytes] = []
    size = 0
    while size <= RESPONSE_LIMIT:
        chunk = await response.content.read(RESPONSE_LIMIT + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if size > RESPONSE_LIMIT:
        return data[:RESPONSE_LIMIT].decode(errors="replace") + TRUNCATED
    return data.decode(errors="replace")


def _describe_connect_error(exc: aiohttp.ClientConnectorError) -> str:
    where = f"{exc.host}:{exc.port}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve host {exc.host}"
    if exc.os_error.errno == errno.ECONNREFUSED:
        return f"connection refused ({where})"
    return f"cannot connect to {where}: {exc.os_error.strerror or exc.os_error}"
