"""Rows 6 to 9: deliveries, each until every attempt is logged.

6. 10,000 events with a raw `body` at one webhook, against a bare aiohttp
   client POSTing the same body with the same concurrency;
7. 10,000 ORDER_CREATED with their bodies built from the world (an order each),
   against row 6;
8. one event at 100 webhooks, against 100 concurrent bare POSTs;
9. on a virtual clock, advancing through 10,000 due retries, against
   delivering their 10,000 first attempts.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import BENCHMARKS, Context, Group, free_port, get_json, post_json, url_of
from report import Row, median_and_spread

FANOUT_TOKEN = "credential_test_benchmark-fanout"
DELIVERIES = 10_000
DELIVERY_CONCURRENCY = 32  # mock-zonos' default per receiver URL, given to the bare client too
FANOUT_WIDTH = 100
FANOUT_REPEATS = 20
RETRY_DELAY = 60  # seconds on the virtual clock


def measure(ctx: Context) -> list[Row]:
    receiver_port = free_port()
    receiver_base = f"http://127.0.0.1:{receiver_port}"
    receiver = ctx.python.running(
        str(BENCHMARKS / "bare_server.py"), str(receiver_port), os.devnull, os.devnull
    )
    with receiver, ctx.python.mock_zonos() as (_, line), tempfile.TemporaryDirectory() as scratch:
        base = url_of(line)
        sample = get_json(f"{base}/_mock/events/ORDER_CREATED")["body"]
        body_file = Path(scratch, "body.json")
        body_file.write_text(json.dumps(sample))
        post_json(
            f"{base}/graphql",
            {"query": _create(f"{receiver_base}/receive/stream", "ORDER_CREATED")},
        )
        raw_rates, world_rates, bare_rates = [], [], []
        for _ in range(ctx.runs):
            raw_rates.append(DELIVERIES / _deliver(base, receiver_base, body=sample))
            world_rates.append(DELIVERIES / _deliver(base, receiver_base))
            seconds = float(
                ctx.python.run(
                    str(BENCHMARKS / "bare_client.py"),
                    "stream",
                    f"{receiver_base}/receive/stream",
                    str(DELIVERIES),
                    str(DELIVERY_CONCURRENCY),
                    str(body_file),
                )
            )
            bare_rates.append(DELIVERIES / seconds)
        raw_rate, raw_spread = median_and_spread(raw_rates, "/s")
        world_rate, world_spread = median_and_spread(world_rates, "/s")
        rows = [
            Row(
                row="6 delivery throughput",
                metric="deliveries/s, all logged",
                mock=raw_rate,
                baseline_name="bare aiohttp client",
                baseline=statistics.median(bare_rates),
                target="≥ 0.9x",
                met=raw_rate >= 0.9 * statistics.median(bare_rates),
                spread=raw_spread,
                note=f"{DELIVERIES} events with a raw body, concurrency {DELIVERY_CONCURRENCY}",
            ),
            Row(
                row="7 world-built events",
                metric="deliveries/s, all logged",
                mock=world_rate,
                baseline_name="row 6, raw body",
                baseline=raw_rate,
                target="≥ 0.8x",
                met=world_rate >= 0.8 * raw_rate,
                spread=world_spread,
                note=f"{DELIVERIES} ORDER_CREATED, an order built for each",
            ),
            _fanout(ctx, base, receiver_base, body_file),
        ]
        return [*rows, _clock(ctx, receiver_base, sample)]


def _fanout(ctx: Context, base: str, receiver_base: str, body_file: Path) -> Row:
    for index in range(FANOUT_WIDTH):
        post_json(
            f"{base}/graphql",
            {"query": _create(f"{receiver_base}/receive/fan/{index}", "SHIPMENT_CREATED")},
            FANOUT_TOKEN,
        )
    fanout = []
    for _ in range(FANOUT_REPEATS):
        began = time.perf_counter()
        answer = post_json(f"{base}/_mock/trigger", {"type": "SHIPMENT_CREATED"}, FANOUT_TOKEN)
        fanout.append((time.perf_counter() - began) * 1000)
        assert len(answer["deliveries"]) == FANOUT_WIDTH
        assert all(d["responseStatus"] == 200 for d in answer["deliveries"])
    bare_fanout = 1000 * float(
        ctx.python.run(
            str(BENCHMARKS / "bare_client.py"),
            "fanout",
            f"{receiver_base}/receive/fan/",
            str(FANOUT_WIDTH),
            str(FANOUT_REPEATS),
            str(body_file),
        )
    )
    mock_fanout = statistics.median(fanout)
    return Row(
        row="8 fan-out",
        metric="ms until 100 logs",
        mock=mock_fanout,
        baseline_name="bare client, 100 POSTs",
        baseline=bare_fanout,
        target="≤ 2x",
        met=mock_fanout <= 2 * bare_fanout,
        spread=f"{min(fanout):.1f}-{max(fanout):.1f} ms",
    )


def _clock(ctx: Context, receiver_base: str, sample: Any) -> Row:
    """Seconds to advance through DELIVERIES due retries, against their first attempts."""
    firsts, retries = [], []
    flags = ("--clock", "virtual", "--retry-delays", str(RETRY_DELAY))
    for _ in range(ctx.runs):
        # A server of its own each run: no retry left over from the run before.
        with ctx.python.mock_zonos(*flags) as (_, line):
            base = url_of(line)
            url = f"{receiver_base}/first-fails/clock"
            post_json(f"{base}/graphql", {"query": _create(url, "ORDER_CREATED")})
            before = _logged(base)  # the fixtures' logs
            firsts.append(_deliver(base, receiver_base, body=sample))
            began = time.perf_counter()
            advanced = post_json(f"{base}/_mock/clock/advance", {"seconds": RETRY_DELAY})
            retries.append(time.perf_counter() - began)
            if advanced["fired"] != DELIVERIES or _logged(base) != before + 2 * DELIVERIES:
                raise RuntimeError(
                    f"the advance fired {advanced['fired']} of {DELIVERIES}, "
                    f"{_logged(base) - before} logged of {2 * DELIVERIES}"
                )
    retry_s, spread = statistics.median(retries), f"{min(retries):.2f}-{max(retries):.2f} s"
    first_s = statistics.median(firsts)
    return Row(
        row="9 virtual clock",
        metric="s to advance, 10,000 retries",
        mock=retry_s,
        baseline_name="10,000 first attempts",
        baseline=first_s,
        target="≤ 2x",
        met=retry_s <= 2 * first_s,
        spread=spread,
        note=f"each retry due {RETRY_DELAY} s later; the advance answers once all are logged",
    )


def _create(url: str, type: str) -> str:
    fields = f'url: "{url}", type: {type}, status: ENABLED'
    return f"mutation {{ webhookCreate(input: {{{fields}}}) {{ id }} }}"


def _logged(base: str) -> int:
    return sum(t["logsTotal"] for t in get_json(f"{base}/_mock/state?logs=0")["tenants"])


def _deliver(base: str, receiver_base: str, body: Any = None) -> float:
    """Seconds from the trigger of DELIVERIES events to the last of their logs written."""
    before = _logged(base)
    received_before = get_json(f"{receiver_base}/count")["received"]
    trigger: dict[str, Any] = {"type": "ORDER_CREATED", "count": DELIVERIES, "wait": False}
    if body is not None:
        trigger["body"] = body
    began = time.perf_counter()
    post_json(f"{base}/_mock/trigger", trigger)
    while _logged(base) < before + DELIVERIES:
        time.sleep(0.02)
    elapsed = time.perf_counter() - began
    received = get_json(f"{receiver_base}/count")["received"] - received_before
    if received != DELIVERIES or _logged(base) != before + DELIVERIES:
        raise RuntimeError(
            f"{received} received and {_logged(base) - before} logged of {DELIVERIES}"
        )
    return elapsed


GROUP = Group(
    name="delivery",
    rows="rows 6-9: deliveries with a raw body and built from the world, fan-out, "
    "and retries on a virtual clock, against a bare aiohttp client",
    measure=measure,
)
