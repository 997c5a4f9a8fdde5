"""One delivery attempt on the wire: its headers and signature, its faults, its log.

An attempt is sent once, or `duplicate` times in all: the copies are exact
replays of the first send (same body, same headers, same signature), each
logged on its own and naming the log of the send it copies.
"""

from __future__ import annotations

import asyncio
import logging
import time

from multidict import CIMultiDict

from .. import __version__
from ..domain.faults import Faults
from ..domain.models import Delivery, Webhook, WebhookLog
from ..domain.store import Store
from ..settings import Settings
from .signing import signature_headers
from .transport import HttpTransport

logger = logging.getLogger("mock_zonos.delivery")

USER_AGENT = f"mock-zonos/{__version__}"
SHUTDOWN = "cancelled: mock-zonos shut down before the receiver answered"


class Sender:
    """Sends attempts through one transport and records each in the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self.transport = HttpTransport(settings.delivery_timeout)
        # Set once the server shuts down: an attempt cut off then is still logged.
        self.closing = False

    async def attempt(self, webhook: Webhook, delivery: Delivery, faults: Faults) -> WebhookLog:
        """The delivery's next attempt, sent `faults.duplicate` times; the first send's log."""
        attempt = delivery.next_attempt()
        headers = self._headers(webhook, delivery, attempt, faults)
        log = await self._send(webhook, delivery, attempt, headers, None)
        for _ in range(faults.duplicate - 1):
            await self._send(webhook, delivery, attempt, headers, log.id)
        return log

    async def _send(
        self,
        webhook: Webhook,
        delivery: Delivery,
        attempt: int,
        headers: CIMultiDict[str],
        duplicate_of: str | None,
    ) -> WebhookLog:
        url = webhook.url
        started = time.perf_counter()
        try:
            status, response = await self.transport.post(url, delivery.event.body, headers)
        except asyncio.CancelledError:
            if self.closing:
                self._record(
                    webhook, delivery, (attempt, url), headers, (None, SHUTDOWN), None, duplicate_of
                )
            raise
        except Exception as exc:
            # A bug of ours, not the receiver's: still one log row, as for every attempt.
            logger.exception("%s: the attempt failed inside mock-zonos", delivery.event.id)
            status, response = None, f"mock-zonos failed to send it: {type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        log = self._record(
            webhook, delivery, (attempt, url), headers, (status, response), latency_ms, duplicate_of
        )
        # Failures are what a developer watches for; every attempt shows at DEBUG.
        logger.log(
            logging.DEBUG if log.succeeded else logging.INFO,
            "%s %s → %s attempt %d%s: %s in %.1f ms",
            delivery.event.type,
            delivery.event.id,
            url,
            attempt,
            " (a duplicate)" if duplicate_of else "",
            status if status is not None else response,
            latency_ms,
        )
        return log

    def _record(
        self,
        webhook: Webhook,
        delivery: Delivery,
        sent: tuple[int, str],
        headers: CIMultiDict[str],
        answer: tuple[int | None, str],
        latency_ms: float | None,
        duplicate_of: str | None,
    ) -> WebhookLog:
        (attempt, url), (status, response) = sent, answer
        return self._store.record_attempt(
            webhook,
            delivery,
            attempt=attempt,
            url=url,
            created_at=self._store.clock.now(),
            response=response,
            response_status=status,
            latency_ms=latency_ms,
            request_headers=tuple(headers.items()),
            duplicate_of=duplicate_of,
        )

    def _headers(
        self, webhook: Webhook, delivery: Delivery, attempt: int, faults: Faults
    ) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict(
            {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        )
        for header in webhook.headers:
            headers[header.key] = header.value
        event = delivery.event
        headers["X-Mock-Zonos-Event-Id"] = event.id
        headers["X-Mock-Zonos-Attempt"] = str(attempt)
        if self._settings.sign:
            # The signing time is the server's clock, virtual or not, less any staleness asked for.
            timestamp = int(self._store.clock.now().timestamp()) - faults.stale_timestamp
            headers.update(
                signature_headers(
                    webhook.secret, event.id, timestamp, event.body, forged=faults.bad_signature
                )
            )
        return headers
