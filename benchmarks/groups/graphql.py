"""Rows 1 and 2: a read query and webhookCreate, against bare aiohttp and Apollo Server."""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from harness import BENCHMARKS, Context, Group, free_port, post_json, url_of
from report import Row, median_and_spread
from wrk import Load, interleaved, wrk

READ_QUERY = "{ webhooks(first: 10) { edges { node { id url type status } } } }"
WRITE_QUERY = (
    'mutation { webhookCreate(input: {url: "http://127.0.0.1:9/hook", type: ORDER_CREATED, '
    "status: ENABLED}) { id url type status } }"
)


def measure(ctx: Context) -> list[Row]:
    apollo = ctx.apollo
    rows: list[Row] = []
    with ExitStack() as stack:
        _, line = stack.enter_context(ctx.python.mock_zonos())
        mock_url = f"{url_of(line)}/graphql"
        for _ in range(10):
            post_json(mock_url, {"query": WRITE_QUERY})
        # The bare server answers exactly what mock-zonos answered, and nothing else.
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for name, query in (("read", READ_QUERY), ("write", WRITE_QUERY)):
            (scratch / name).write_text(json.dumps(post_json(mock_url, {"query": query})))
        bare_port = free_port()
        stack.enter_context(
            ctx.python.running(
                str(BENCHMARKS / "bare_server.py"),
                str(bare_port),
                str(scratch / "read"),
                str(scratch / "write"),
            )
        )
        apollo_url = None
        if apollo.directory:
            _, apollo_line = stack.enter_context(apollo.running())
            apollo_url = f"{url_of(apollo_line)}/"
        for number, (name, query) in enumerate((("read", READ_QUERY), ("write", WRITE_QUERY)), 1):
            body = json.dumps({"query": query})
            targets: dict[str, Callable[[], Load]] = {
                "mock-zonos": partial(wrk, mock_url, body, ctx.duration),
                "bare aiohttp": partial(
                    wrk, f"http://127.0.0.1:{bare_port}/{name}", body, ctx.duration
                ),
            }
            if apollo_url:
                targets["Apollo Server"] = partial(wrk, apollo_url, body, ctx.duration, None)
            rows += _rows(
                f"{number} GraphQL {name}", interleaved(targets, ctx.runs), apollo.why_not
            )
    return rows


def _rows(row: str, loads: dict[str, list[Load]], why_not: str) -> list[Row]:
    mock_rps, spread = median_and_spread([load.rps for load in loads["mock-zonos"]], "req/s")
    p50 = statistics.median(load.p50_ms for load in loads["mock-zonos"])
    p99 = statistics.median(load.p99_ms for load in loads["mock-zonos"])
    bare = statistics.median(load.rps for load in loads["bare aiohttp"])
    rows = [
        Row(
            row=row,
            metric="req/s",
            mock=mock_rps,
            baseline_name="bare aiohttp",
            baseline=bare,
            target="≥ 0.25x",
            met=mock_rps >= 0.25 * bare,
            spread=spread,
            note=f"p50 {p50:.2f} ms, p99 {p99:.2f} ms",
        )
    ]
    if "Apollo Server" in loads:
        apollo_rps = statistics.median(load.rps for load in loads["Apollo Server"])
        apollo_p50 = statistics.median(load.p50_ms for load in loads["Apollo Server"])
        rows.append(
            Row(
                row=row,
                metric="req/s",
                mock=mock_rps,
                baseline_name="Apollo Server",
                baseline=apollo_rps,
                target="≥ 1.0x",
                met=mock_rps >= apollo_rps,
                spread=spread,
                note=f"Apollo p50 {apollo_p50:.2f} ms",
            )
        )
    else:
        rows.append(
            Row(
                row=row,
                metric="req/s",
                mock=mock_rps,
                baseline_name="Apollo Server",
                baseline=None,
                target="≥ 1.0x",
                met=None,
                spread=spread,
                note=f"skipped: {why_not}",
            )
        )
    return rows


GROUP = Group(
    name="graphql",
    rows="rows 1-2: a read query and webhookCreate, against bare aiohttp and Apollo Server",
    measure=measure,
)
