"""The bare-client baseline: aiohttp POSTs with nothing around them.

Usage:
  python bare_client.py stream URL COUNT CONCURRENCY BODY_FILE   → seconds for COUNT POSTs
  python bare_client.py fanout URL_PREFIX WIDTH REPEATS BODY_FILE → median seconds for WIDTH
      concurrent POSTs to URL_PREFIX0 … URL_PREFIX<WIDTH-1>
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

import aiohttp

HEADERS = {"Content-Type": "application/json"}


async def stream(url: str, count: int, concurrency: int, body: bytes) -> float:
    remaining = count

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            async with session.post(url, data=body, headers=HEADERS) as response:
                await response.read()

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return time.perf_counter() - began


async def fanout(prefix: str, width: int, repeats: int, body: bytes) -> float:
    async def post(session: aiohttp.ClientSession, url: str) -> None:
        async with session.post(url, data=body, headers=HEADERS) as response:
            await response.read()

    times = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        for _ in range(repeats):
            began = time.perf_counter()
            await asyncio.gather(*(post(session, f"{prefix}{i}") for i in range(width)))
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    mode, target, first, second, body_file = sys.argv[1:6]
    body = Path(body_file).read_bytes()
    if mode == "stream":
        elapsed = asyncio.run(stream(target, int(first), int(second), body))
    else:
        elapsed = asyncio.run(fanout(target, int(first), int(second), body))
    print(elapsed)


if __name__ == "__main__":
    main()
