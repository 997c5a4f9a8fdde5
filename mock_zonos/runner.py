"""Runs an app on a socket: what the CLI, MockZonos and the webhook receiver share."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.log import server_logger

# Loop turns from an accepted socket to its connection known to aiohttp.
ACCEPT_TURNS = 2


class ServerLog(logging.LoggerAdapter[logging.Logger]):
    """aiohttp's server log, except that a request aiohttp refused as malformed (a header
    too long, a path that is not one) is one INFO line: the client's mistake, not ours,
    so no traceback. Anything else is logged as aiohttp logs it."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        error = kwargs.get("exc_info")
        if not isinstance(error, HttpProcessingError):
            super().log(level, msg, *args, **kwargs)
            return
        remote = args[0] if args else "a client"
        reason = " ".join(error.message.split()) or type(error).__name__
        self.logger.info("%d: refused a malformed request from %s: %s", error.code, remote, reason)


class AppServer:
    """The app listening on host:port; `url` carries the real port when port is 0."""

    def __init__(
        self, app: web.Application, host: str, port: int, shutdown_timeout: float = 1.0
    ) -> None:
        self.app = app
        # On stop, requests still being handled get this long before they are cut off.
        self._runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=shutdown_timeout,
            logger=ServerLog(server_logger),
        )
        self._host, self._port = host, port
        self.url = ""

    async def start(self) -> str:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        try:
            await site.start()
        except BaseException:
            await self._runner.cleanup()
            raise
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{_url_host(host)}:{port}"
        return self.url

    async def stop(self) -> None:
        await self._stop_accepting()
        await self._runner.cleanup()

    async def _stop_accepting(self) -> None:
        """Stop taking new connections, and let those already accepted reach the server.

        On Python 3.11 a socket accepted in the loop turn before its listening
        socket closes cannot attach to the closed server: it is never handed to
        aiohttp, so nothing ever closes it. Stopping the accepts first, then
        giving the ones under way a turn to register, lets the runner's cleanup
        close every connection it has.
        """
        loop = asyncio.get_running_loop()
        for site in self._runner.sites:
            # aiohttp keeps the asyncio server private; it is there for every TCPSite.
            listening: asyncio.Server | None = getattr(site, "_server", None)
            for sock in listening.sockets if listening is not None else ():
                loop.remove_reader(sock.fileno())
        for _ in range(ACCEPT_TURNS):
            await asyncio.sleep(0)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
