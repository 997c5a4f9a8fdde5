"""Rows 4 and 5: 10,000 events at one webhook, and one event at 100 webhooks, each until
every attempt is logged, against a bare aiohttp client POSTing the same bodies."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from harness import BENCHMARKS, Context, Group, free_port, get_json, post_json, url_of
from report import Row, median_and_spread

FANOUT_TOKEN = "credential_test_benchmark-fanout"
DELIVERIES = 10_000
DELIVERY_CONCURRENCY = 32  # mock-zonos' default per receiver URL, given to the bare client too
FANOUT_WIDTH = 100
FANOUT_REPEATS = 20


def measure(ctx: Context) -> list[Row]:
    receiver_port = free_port()
    receive = f"http://127.0.0.1:{receiver_port}/receive"
    receiver = ctx.python.running(
        str(BENCHMARKS / "bare_server.py"), str(receiver_port), os.devnull, os.devnull
    )
    with receiver, ctx.python.mock_zonos() as (_, line), tempfile.TemporaryDirectory() as scratch:
        base = url_of(line)
        sample = get_json(f"{base}/_mock/events/ORDER_CREATED")["body"]
        body_file = Path(scratch, "body.json")
        body_file.write_text(json.dumps(sample))
        post_json(f"{base}/graphql", {"query": _create(f"{receive}/stream", "ORDER_CREATED")})
        mock_rates, bare_rates = [], []
        for _ in range(ctx.runs):
            mock_rates.append(
                _deliver(base, receive_count=f"http://127.0.0.1:{receiver_port}/count")
            )
            seconds = float(
                ctx.python.run(
                    str(BENCHMARKS / "bare_client.py"),
                    "stream",
                    f"{receive}/stream",
                    str(DELIVERIES),
                    str(DELIVERY_CONCURRENCY),
                    str(body_file),
                )
            )
            bare_rates.append(DELIVERIES / seconds)
        mock_rate, spread = median_and_spread(mock_rates, "/s")
        bare_rate = statistics.median(bare_rates)
        rows = [
            Row(
                row="4 delivery throughput",
                metric="deliveries/s, all logged",
                mock=mock_rate,
                baseline_name="bare aiohttp client",
                baseline=bare_rate,
                target="≥ 0.5x",
                met=mock_rate >= 0.5 * bare_rate,
                spread=spread,
                note=f"{DELIVERIES} events, concurrency {DELIVERY_CONCURRENCY}",
            )
        ]
        for index in range(FANOUT_WIDTH):
            post_json(
                f"{base}/graphql",
                {"query": _create(f"{receive}/fan/{index}", "SHIPMENT_CREATED")},
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
                f"{receive}/fan/",
                str(FANOUT_WIDTH),
                str(FANOUT_REPEATS),
                str(body_file),
            )
        )
        mock_fanout = statistics.median(fanout)
        rows.append(
            Row(
                row="5 fan-out",
                metric="ms until 100 logs",
                mock=mock_fanout,
                baseline_name="bare client, 100 POSTs",
                baseline=bare_fanout,
                target="≤ 2x",
                met=mock_fanout <= 2 * bare_fanout,
                spread=f"{min(fanout):.1f}-{max(fanout):.1f} ms",
            )
        )
    return rows


def _create(url: str, type: str) -> str:
    fields = f'url: "{url}", type: {type}, status: ENABLED'
    return f"mutation {{ webhookCreate(input: {{{fields}}}) {{ id }} }}"


def _logged(base: str) -> int:
    return sum(t["logsTotal"] for t in get_json(f"{base}/_mock/state?logs=0")["tenants"])


def _deliver(base: str, receive_count: str) -> float:
    """Deliveries per second from the trigger to the last of DELIVERIES logs written."""
    before = _logged(base)
    received_before = get_json(receive_count)["received"]
    began = time.perf_counter()
    post_json(
        f"{base}/_mock/trigger", {"type": "ORDER_CREATED", "count": DELIVERIES, "wait": False}
    )
    while _logged(base) < before + DELIVERIES:
        time.sleep(0.02)
    elapsed = time.perf_counter() - began
    received = get_json(receive_count)["received"] - received_before
    if received != DELIVERIES or _logged(base) != before + DELIVERIES:
        raise RuntimeError(
            f"{received} received and {_logged(base) - before} logged of {DELIVERIES}"
        )
    return DELIVERIES / elapsed


GROUP = Group(
    name="delivery",
    rows="rows 4-5: delivery throughput and fan-out, against a bare aiohttp client",
    measure=measure,
)
