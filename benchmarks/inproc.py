"""In-process figures, printed as JSON: MockZonos start and reset, and memory per log.

Usage: python inproc.py start | memory
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time

LOGS = 100_000
BODY_BYTES = 2048


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def start_and_reset() -> dict[str, float]:
    began = time.perf_counter()
    from mock_zonos import MockZonos

    imported = time.perf_counter()
    first = MockZonos().start()
    started = time.perf_counter()
    resets = []
    for _ in range(1000):
        tick = time.perf_counter()
        first.reset()
        resets.append(time.perf_counter() - tick)
    first.stop()
    warm = []
    for _ in range(10):
        tick = time.perf_counter()
        server = MockZonos().start()
        warm.append(time.perf_counter() - tick)
        server.stop()
    return {
        "import_s": imported - began,
        "first_start_s": started - imported,
        "warm_start_s": statistics.median(warm),
        "reset_s": statistics.median(resets),
    }


def memory() -> dict[str, float]:
    from mock_zonos.delivery.signing import new_secret
    from mock_zonos.domain.clock import utc_now
    from mock_zonos.domain.ids import new_id
    from mock_zonos.domain.models import Delivery, Event, WebhookStatus, WebhookType
    from mock_zonos.domain.seed import Seed
    from mock_zonos.domain.store import Store

    queries = {t: "query { x }" for t in WebhookType}
    store = Store(Seed(), queries, new_secret=new_secret, max_logs=LOGS)
    caller = store.authenticate("credential_test_memory")
    webhook = store.create_webhook(
        caller,
        url="http://127.0.0.1:9/hook",
        type=WebhookType.ORDER_CREATED,
        status=WebhookStatus.ENABLED,
    )
    # What the dispatcher records for a webhook without custom headers.
    headers = (("Content-Type", "application/json"), ("User-Agent", "mock-zonos/0.1.0"))
    gc.collect()
    before = rss_bytes()
    body_bytes = 0
    for _ in range(LOGS):
        body = os.urandom(BODY_BYTES // 2).hex().encode()
        body_bytes += len(body)
        event = Event(new_id("event"), WebhookType.ORDER_CREATED, body, utc_now())
        delivery = Delivery(event, webhook.id)
        store.record_attempt(
            webhook,
            delivery,
            attempt=delivery.next_attempt(),
            url=webhook.url,
            created_at=event.created_at,
            response='{"received": true}',
            response_status=200,
            latency_ms=1.0,
            request_headers=(
                *headers,
                ("X-Mock-Zonos-Event-Id", event.id),
                ("X-Mock-Zonos-Attempt", "1"),
            ),
        )
        del body, event, delivery
    gc.collect()
    after = rss_bytes()
    return {"base_rss_bytes": before, "rss_growth_bytes": after - before, "body_bytes": body_bytes}


if __name__ == "__main__":
    figures = start_and_reset() if sys.argv[1] == "start" else memory()
    print(json.dumps(figures))
