"""The bare aiohttp baseline: canned JSON for GraphQL requests, and a counting receiver.

Usage: python bare_server.py PORT CANNED_READ_JSON CANNED_WRITE_JSON
- POST /read and POST /write answer the canned bodies, doing nothing else: the
  ceiling for any Python server on this machine;
- POST /receive/... answers 200 and counts; GET /count tells how many arrived;
- POST /first-fails/... answers 500 to a first attempt (X-Mock-Zonos-Attempt: 1),
  200 to any other, and counts too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web


def main() -> None:
    port, read_path, write_path = sys.argv[1:4]
    read_body, write_body = Path(read_path).read_bytes(), Path(write_path).read_bytes()
    received = 0

    async def read(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=read_body, content_type="application/json")

    async def write(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=write_body, content_type="application/json")

    async def receive(request: web.Request) -> web.Response:
        nonlocal received
        await request.read()
        received += 1
        return web.Response(text='{"received": true}', content_type="application/json")

    async def first_fails(request: web.Request) -> web.Response:
        answer = await receive(request)
        if request.headers.get("X-Mock-Zonos-Attempt") == "1":
            return web.Response(status=500, text='{"error": "try again"}')
        return answer

    async def count(request: web.Request) -> web.Response:
        return web.json_response({"received": received})

    app = web.Application()
    app.router.add_post("/read", read)
    app.router.add_post("/write", write)
    app.router.add_post("/receive/{tail:.*}", receive)
    app.router.add_post("/first-fails/{tail:.*}", first_fails)
    app.router.add_get("/count", count)
    print("listening", flush=True)
    web.run_app(app, host="127.0.0.1", port=int(port), print=None, access_log=None)


if __name__ == "__main__":
    main()
