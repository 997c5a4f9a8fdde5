"""Row 5: a page of delivery logs from the middle of 100,000, against the same from 100."""

from __future__ import annotations

import json
import statistics

from harness import BENCHMARKS, Context, Group
from report import Row
from wrk import wrk

PAGING_QUERY = (
    "query($after: String) { webhookLogs(first: 20, after: $after) "
    "{ edges { node { id type url createdAt responseStatus } } } }"
)


def measure(ctx: Context) -> list[Row]:
    latencies: dict[int, list[float]] = {100: [], 100_000: []}
    servers = {
        count: ctx.python.start(str(BENCHMARKS / "seeded_server.py"), str(count))
        for count in latencies
    }
    try:
        targets = {}
        for count, process in servers.items():
            # Storing 100,000 logs takes a while before the server listens.
            url, token, cursor = process.first_line(timeout=120).split()
            body = json.dumps({"query": PAGING_QUERY, "variables": {"after": cursor}})
            targets[count] = (f"{url}/graphql", body, token)
        for _ in range(ctx.runs):
            for count, (url, body, token) in targets.items():
                latencies[count].append(wrk(url, body, ctx.duration, token).p50_ms)
    finally:
        for process in servers.values():
            process.stop()
    small, large = statistics.median(latencies[100]), statistics.median(latencies[100_000])
    return [
        Row(
            row="5 log paging",
            metric="p50 ms, 100,000 logs",
            mock=large,
            baseline_name="100 logs",
            baseline=small,
            target="≤ 1.2x",
            met=large <= 1.2 * small,
            spread=f"{min(latencies[100_000]):.2f}-{max(latencies[100_000]):.2f} ms",
        )
    ]


GROUP = Group(
    name="paging",
    rows="row 5: webhookLogs from the middle of 100,000 logs, against 100",
    measure=measure,
)
