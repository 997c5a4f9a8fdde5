"""Large documents against a real `mock-zonos` process: memory held and the loop not stalled.

Over real HTTP on loopback, in a process of its own so that its resident memory
is its own. No bound here is a time (a loaded machine slows any answer): a
refusal is shown to come before the body is even sent, and the loop to stay
free by the health checks it answers while a slow document is validated.
The figures in milliseconds are measured in the README.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from ..helpers import DEFAULT_TOKEN, ServerProcess, serve_in_process

# Issue 12's bound.
MAX_RSS_GROWTH = 50 * 1024 * 1024
# Health checks answered while the slow document is validated: a blocked loop answers at
# most the one it was busy with (1 when measured with the validation on the loop); a free
# one answers 80 on an idle machine, and still 8 when the suite loads both cores.
MIN_CHECKS_DURING_VALIDATION = 3


def _document(number: int, size: int = 700_000) -> bytes:
    """A distinct document of `size` bytes: aliases of a page of webhooks."""
    alias = f"a{number}_%d: webhooks(first: 100) {{ edges {{ node {{ id url }} }} }} "
    parts, length, index = [], 0, 0
    while length < size:
        part = alias % index
        parts.append(part)
        length += len(part)
        index += 1
    query = "{ " + "".join(parts) + "}"
    return b'{"query": "' + query.encode() + b'"}'


async def _refuse(
    server: ServerProcess, session: aiohttp.ClientSession, headers: dict[str, str], first: int
) -> None:
    for number in range(first, first + 20):
        body = _document(number)
        async with session.post(f"{server.url}/graphql", data=body, headers=headers) as response:
            assert response.status == 401, await response.text()
            await response.read()


async def _status_before_the_body_is_sent(server: ServerProcess, size: int) -> bytes:
    """The status line the server answers to a request whose body is announced and not
    sent: it comes only if the server refuses without reading the body."""
    port = int(server.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % size
            + _document(0, 1000)[:1000]
        )
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
        await writer.wait_closed()


async def test_large_documents_without_a_valid_token_take_neither_memory_nor_time() -> None:
    async with (
        serve_in_process("--port", "0", "--strict-auth") as server,
        aiohttp.ClientSession() as session,
    ):
        async with session.get(f"{server.url}/_mock/health") as response:
            assert response.status == 200
        before = server.rss_bytes()
        await _refuse(server, session, {}, 0)
        await _refuse(server, session, {"credentialToken": "credential_test_unknown"}, 20)
        growth = server.rss_bytes() - before
        status = await _status_before_the_body_is_sent(server, 700_000)
    assert growth < MAX_RSS_GROWTH, f"RSS grew by {growth / 2**20:.1f} MiB"
    assert status.startswith(b"HTTP/1.1 401"), status


WEBHOOK_PAGES = " ".join(
    f"a{i}: webhooks(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(4000)
)
# The same number of aliases written as tightly as GraphQL allows: under the length cap,
# so the parser runs until the token cap stops it.
TIGHT_FIELDS = "{ webhooks { edges { node { %s } } } }" % " ".join(f"a{i}:id" for i in range(4000))
# Within every cap, but 495 fields of one name: validation compares each pair.
SLOW_TO_VALIDATE = "{ webhooks { edges { node { %s } } } }" % " ".join(["id"] * 495)


async def test_a_4000_alias_document_is_refused_while_health_checks_answer() -> None:
    async with serve_in_process("--port", "0") as server, aiohttp.ClientSession() as session:
        stop = asyncio.Event()
        answered: list[float] = []  # when each health check was answered

        async def health_checks() -> None:
            while not stop.is_set():
                async with session.get(f"{server.url}/_mock/health") as response:
                    assert response.status == 200
                answered.append(time.perf_counter())

        async def post(query: str) -> tuple[int, str, float, float]:
            started = time.perf_counter()
            async with session.post(
                f"{server.url}/graphql",
                json={"query": query if query.startswith("{") else "{ %s }" % query},
                headers={"credentialToken": DEFAULT_TOKEN},
            ) as response:
                answer = await response.json()
            message = answer["errors"][0]["message"] if "errors" in answer else ""
            return response.status, message, started, time.perf_counter()

        checking = asyncio.create_task(health_checks())
        try:
            pages = await post(WEBHOOK_PAGES)
            tight = await post(TIGHT_FIELDS)
            slow = await post(SLOW_TO_VALIDATE)
        finally:
            stop.set()
            await checking
    # Refused by the length cap before parsing, and by the token cap while parsing.
    assert pages[0] == tight[0] == 400
    assert pages[1].startswith("The query is 214,893 characters long")
    assert tight[1].startswith("The query has more than 3,000 tokens")
    # The document within the caps took its time on the worker thread, not the event loop.
    assert slow[0] == 200, slow
    during = sum(slow[2] < at < slow[3] for at in answered)
    assert during >= MIN_CHECKS_DURING_VALIDATION, (
        f"{during} health checks answered in the {(slow[3] - slow[2]) * 1000:.0f} ms "
        "the slow document took"
    )
