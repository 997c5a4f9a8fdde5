"""Memory after a reset: given back as far as the allocators let, and not growing."""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from mock_zonos.services.memory import _malloc_trim, release_memory

from ..helpers import DEFAULT_TOKEN, ServerProcess, serve_in_process, wait_until

LOGS = 15_000
MIB = 1024 * 1024
# What Python's small-object allocator keeps after a reset, measured at about 20 MiB on
# this project's machine (README, "Mock behaviour at a glance"), with room for noise.
KEPT_AFTER_RESET = 40 * MIB
# A second load and reset reuses what the first left: it may not add more than this.
GROWTH_PER_CYCLE = 8 * MIB


# A receiver in a process of its own, so that the server's deliveries are not slowed by
# this process: it answers 200 to every POST and prints its URL.
RECEIVER = """
import asyncio, sys
from aiohttp import web

async def ok(request):
    await request.read()
    return web.Response()

async def main():
    app = web.Application()
    app.router.add_post("/hook", ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"http://127.0.0.1:{runner.addresses[0][1]}/hook", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


@asynccontextmanager
async def _receiver() -> AsyncIterator[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RECEIVER, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        yield (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode().strip()
    finally:
        process.kill()
        await process.wait()


async def _load_and_reset(
    server: ServerProcess, session: aiohttp.ClientSession, receiver_url: str
) -> int:
    """15,000 delivery logs, then a reset; the RSS after it. The event is one that makes
    no order, so that what is measured is the logs (the README gives orders' figures)."""
    headers = {"credentialToken": DEFAULT_TOKEN}
    mutation = (
        'mutation { webhookCreate(input: {url: "%s", type: INVENTORY_CHECK, status: ENABLED}) '
        "{ id } }" % receiver_url
    )
    async with session.post(f"{server.url}/graphql", json={"query": mutation}, headers=headers):
        pass
    for _ in range(2):
        trigger = {"type": "INVENTORY_CHECK", "count": LOGS // 2, "wait": False}
        async with session.post(f"{server.url}/_mock/trigger", json=trigger, headers=headers):
            pass

    async def all_logged() -> bool:
        async with session.get(f"{server.url}/_mock/logs?first=1", headers=headers) as response:
            page = await response.json()
        async with session.get(f"{server.url}/_mock/state?logs=0", headers=headers) as response:
            state = await response.json()
        return bool(page["logs"]) and state["tenants"][0]["logsTotal"] >= LOGS

    await wait_until(all_logged, within=120, interval=0.2)
    async with session.post(f"{server.url}/_mock/reset") as response:
        assert response.status == 200
    return server.rss_bytes()


@pytest.mark.skipif(platform.system() != "Linux", reason="reads RSS from /proc")
async def test_a_reset_after_15000_logs_gives_memory_back() -> None:
    flags = ("--port", "0", "--retry-delays", "", "--log-level", "WARNING")
    async with serve_in_process(*flags) as server, aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/_mock/state") as response:
            assert response.status == 200
        before = server.rss_bytes()
        async with _receiver() as receiver_url:
            first = await _load_and_reset(server, session, receiver_url)
            second = await _load_and_reset(server, session, receiver_url)
    assert first - before < KEPT_AFTER_RESET, f"kept {(first - before) / MIB:.1f} MiB"
    assert second - first < GROWTH_PER_CYCLE, f"grew {(second - first) / MIB:.1f} MiB more"


def test_release_memory_collects_cycles_and_trims_malloc() -> None:
    if platform.libc_ver()[0] == "glibc":
        assert _malloc_trim() is not None

    class Node:
        partner: object

    first, second = Node(), Node()
    first.partner, second.partner = second, first
    del first, second
    gc.disable()
    try:
        release_memory()
        assert gc.collect() == 0  # release_memory had collected the cycle
    finally:
        gc.enable()
