"""HTTP out: whatever a receiver does (refuse, hang, redirect, garbage, gigabytes) is logged."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from mock_zonos import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_connection_is_logged(gql: GraphQL) -> None:
    port = _closed_port()
    await gql.create_webhook(url=f"http://127.0.0.1:{port}/hook")
    _, answer = await gql.trigger("ORDER_CREATED")
    (delivery,) = answer["deliveries"]
    assert delivery["responseStatus"] is None
    assert delivery["error"] == f"connection refused (127.0.0.1:{port})"
    log = (await gql.logs())[-1]
    assert log["response"] == f"connection refused (127.0.0.1:{port})"
    assert log["responseStatus"] is None


class TestShortTimeout:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, retry_delays=(), delivery_timeout=0.2)

    async def test_a_timeout_is_logged(self, gql: GraphQL, receiver: WebhookReceiver) -> None:
        receiver.respond_with(delay=3)
        await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED")
        assert answer["deliveries"][0]["error"] == "timed out after 0.2 s"
        (log,) = await gql.logs()
        assert (log["response"], log["responseStatus"]) == ("timed out after 0.2 s", None)


async def test_a_redirect_is_a_failure_and_is_not_followed(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=[302, 302, 302], body="moved")
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 302
    assert answer["deliveries"][0]["error"] == "HTTP 302"
    assert all(r.method == "POST" for r in await receiver.await_for(3))


async def test_a_huge_response_is_truncated_in_the_log(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(body="x" * (5 * 1024 * 1024))
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 200
    (log,) = await gql.logs()
    assert log["response"].startswith("x" * 65536)
    assert log["response"].endswith("[mock-zonos: response truncated at 65536 bytes]")
    assert len(log["response"]) < 65536 + 100


@pytest.fixture
async def garbage_server() -> AsyncIterator[str]:
    """Answers every connection with bytes that are not HTTP, then hangs up."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(b"\x00\xffNOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/hook"
    server.close()
    await server.wait_closed()


async def test_a_garbage_answer_is_logged(gql: GraphQL, garbage_server: str) -> None:
    await gql.create_webhook(url=garbage_server)
    _, answer = await gql.trigger("ORDER_CREATED")
    (delivery,) = answer["deliveries"]
    assert delivery["responseStatus"] is None
    assert delivery["error"].startswith(("invalid HTTP response", "the receiver closed"))
    status, _ = await gql.post("{ webhooks { totalCount } }")
    assert status == 200


async def test_a_compressed_response_is_truncated_after_decompression(
    gql: GraphQL, aiohttp_server: AiohttpServer
) -> None:
    async def gzipped(request: web.Request) -> web.Response:
        body = gzip.compress(b"x" * 1_000_000)
        return web.Response(body=body, headers={"Content-Encoding": "gzip"})

    app = web.Application()
    app.router.add_post("/hook", gzipped)
    server = await aiohttp_server(app)
    await gql.create_webhook(url=str(server.make_url("/hook")))
    await gql.trigger("ORDER_CREATED")
    (log,) = await gql.logs()
    assert log["response"].endswith("[mock-zonos: response truncated at 65536 bytes]")
    assert len(log["response"]) < 65536 + 100
