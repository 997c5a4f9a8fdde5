"""AppServer: what aiohttp refuses as malformed is logged as one line, without a traceback."""

from __future__ import annotations

import logging

import pytest
from aiohttp.log import server_logger

from mock_zonos.app import create_app
from mock_zonos.runner import AppServer, ServerLog
from mock_zonos.settings import Settings

from .helpers import raw_request, status_of

OVERSIZED_HEADER = (
    b"GET /_mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    + b"x" * 9000
    + b"\r\nConnection: close\r\n\r\n"
)
BAD_PATH = b"GET no-slash HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
BAD_METHOD = b"G@T / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "reason"),
    [
        (OVERSIZED_HEADER, "Got more than 8190 bytes"),
        (BAD_PATH, "in url"),
        (BAD_METHOD, "Invalid method encountered"),
    ],
    ids=["oversized header", "bad path", "bad method"],
)
async def test_a_malformed_request_is_400_and_one_log_line(
    caplog: pytest.LogCaptureFixture, request_bytes: bytes, reason: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="aiohttp.server")
    server = AppServer(create_app(Settings()), "127.0.0.1", 0)
    url = await server.start()
    try:
        answer = await raw_request(url, request_bytes)
    finally:
        await server.stop()
    assert status_of(answer) == 400
    (record,) = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    message = record.getMessage()
    assert message.startswith("400: refused a malformed request from 127.0.0.1: ")
    assert reason in message
    assert "\n" not in message


async def test_other_server_errors_keep_their_traceback(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aiohttp.server")
    try:
        raise RuntimeError("a bug of ours")
    except RuntimeError as error:
        ServerLog(server_logger).exception("Error handling request from %s", "x", exc_info=error)
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
