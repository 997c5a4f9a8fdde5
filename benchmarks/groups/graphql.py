"""Rows 1 to 4: reads and a write, against bare aiohttp and Apollo Server.

1. the 10-webhook list, the same document every time;
2. the same list with `first` and the filter varying per request, written into
   the document or sent as variables, as generated clients do: no two requests
   in a row have the same answer, and the answer is never what is cached;
3. `order(orderId:)` as an integrator reads an order after its webhook, against row 1;
4. `webhookCreate`.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from harness import BENCHMARKS, Context, Group, free_port, post_json, url_of
from report import Row, median_and_spread
from wrk import Load, interleaved, wrk

READ_QUERY = "{ webhooks(first: 10) { edges { node { id url type status } } } }"


def _literal(filter: dict[str, str]) -> str:
    return "".join(f", filter: {{{key}: {value}}}" for key, value in filter.items())


FILTERS: tuple[dict[str, str], ...] = ({}, {"status": "ENABLED"}, {"type": "ORDER_CREATED"})
VARYING_READS = [
    *(
        {"query": READ_QUERY.replace("first: 10", f"first: {first}{_literal(filter)}")}
        for first in range(1, 11)
        for filter in FILTERS
    ),
    *(
        {
            "query": "query Webhooks($first: Int, $filter: WebhooksFilterInput) { webhooks("
            "first: $first, filter: $filter) { edges { node { id url type status } } } }",
            "variables": {"first": first, "filter": filter},
        }
        for first in range(1, 11)
        for filter in FILTERS
    ),
]
ORDER_QUERY = (
    "query Order($orderId: String!) { order(orderId: $orderId) { id accountOrderNumber "
    "status currencyCode createdAt amountSubtotals { items shipping duties taxes fees } "
    "items { id productId sku name quantity amount } trackingNumbers } }"
)
WRITE_QUERY = (
    'mutation { webhookCreate(input: {url: "http://127.0.0.1:9/hook", type: ORDER_CREATED, '
    "status: ENABLED}) { id url type status } }"
)


def measure(ctx: Context) -> list[Row]:
    apollo = ctx.apollo
    with ExitStack() as stack:
        _, line = stack.enter_context(ctx.python.mock_zonos())
        base = url_of(line)
        mock_url = f"{base}/graphql"
        for index in range(10):  # of two types and two statuses, for the filters of row 2
            post_json(mock_url, {"query": _create(index)})
        order_id = post_json(f"{base}/_mock/trigger", {"type": "ORDER_CREATED"})["orderId"]
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

        def targets(name: str, body: str | Sequence[str]) -> dict[str, Callable[[], Load]]:
            against: dict[str, Callable[[], Load]] = {
                "mock-zonos": partial(wrk, mock_url, body, ctx.duration),
                "bare aiohttp": partial(
                    wrk, f"http://127.0.0.1:{bare_port}/{name}", body, ctx.duration
                ),
            }
            if apollo_url:
                against["Apollo Server"] = partial(wrk, apollo_url, body, ctx.duration, None)
            return against

        read = json.dumps({"query": READ_QUERY})
        varying = [json.dumps(payload) for payload in VARYING_READS]
        order = json.dumps({"query": ORDER_QUERY, "variables": {"orderId": order_id}})
        write = json.dumps({"query": WRITE_QUERY})
        reads = interleaved(
            {
                **targets("read", read),
                "varying": partial(wrk, mock_url, varying, ctx.duration),
                "order": partial(wrk, mock_url, order, ctx.duration),
            },
            ctx.runs,
        )
        writes = interleaved(targets("write", write), ctx.runs)
    mock_read = statistics.median(load.rps for load in reads["mock-zonos"])
    return [
        *_rows("1 GraphQL read", reads["mock-zonos"], reads, 0.5, 2.0, apollo.why_not),
        *_rows("2 varying read", reads["varying"], reads, 0.5, None, apollo.why_not),
        _versus_read(reads["order"], mock_read),
        *_rows("4 GraphQL write", writes["mock-zonos"], writes, None, 1.5, apollo.why_not),
    ]


def _create(index: int) -> str:
    type = ("ORDER_CREATED", "SHIPMENT_CREATED")[index % 2]
    status = ("ENABLED", "DISABLED")[index // 2 % 2]
    return WRITE_QUERY.replace("ORDER_CREATED", type).replace("ENABLED", status)


def _rows(
    row: str,
    mock: list[Load],
    loads: dict[str, list[Load]],
    bare_target: float | None,
    apollo_target: float | None,
    why_not: str,
) -> list[Row]:
    """mock-zonos' req/s beside bare aiohttp's and, with a target, Apollo Server's."""
    mock_rps, spread = median_and_spread([load.rps for load in mock], "req/s")
    p50 = statistics.median(load.p50_ms for load in mock)
    p99 = statistics.median(load.p99_ms for load in mock)
    bare = statistics.median(load.rps for load in loads["bare aiohttp"])
    rows = [
        Row(
            row=row,
            metric="req/s",
            mock=mock_rps,
            baseline_name="bare aiohttp",
            baseline=bare,
            target=f"≥ {bare_target}x" if bare_target else "(reported)",
            met=mock_rps >= bare_target * bare if bare_target else None,
            spread=spread,
            note=f"p50 {p50:.2f} ms, p99 {p99:.2f} ms",
        )
    ]
    if apollo_target is None:
        return rows
    apollo = loads.get("Apollo Server")
    apollo_rps = statistics.median(load.rps for load in apollo) if apollo else None
    return [
        *rows,
        Row(
            row=row,
            metric="req/s",
            mock=mock_rps,
            baseline_name="Apollo Server",
            baseline=apollo_rps,
            target=f"≥ {apollo_target}x",
            met=None if apollo_rps is None else mock_rps >= apollo_target * apollo_rps,
            spread=spread,
            note=(
                f"Apollo p50 {statistics.median(load.p50_ms for load in apollo):.2f} ms"
                if apollo
                else f"skipped: {why_not}"
            ),
        ),
    ]


def _versus_read(order: list[Load], read_rps: float) -> Row:
    order_rps, spread = median_and_spread([load.rps for load in order], "req/s")
    return Row(
        row="3 order read",
        metric="req/s, order(orderId:)",
        mock=order_rps,
        baseline_name="row 1, webhooks",
        baseline=read_rps,
        target="≥ 0.9x",
        met=order_rps >= 0.9 * read_rps,
        spread=spread,
        note=f"p50 {statistics.median(load.p50_ms for load in order):.2f} ms",
    )


GROUP = Group(
    name="graphql",
    rows="rows 1-4: reads (fixed, varying, an order) and webhookCreate, "
    "against bare aiohttp and Apollo Server",
    measure=measure,
)
