"""Browser tests: Debian's chromium, driven by Playwright, against a real server on loopback.

Without /usr/bin/chromium or the playwright package they skip and say why;
the rest of the suite runs as usual. Nothing is downloaded: Playwright's own
browser builds are never used.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web

from mock_zonos.app import create_app
from mock_zonos.fixtures.loading import Fixtures
from mock_zonos.runner import AppServer
from mock_zonos.settings import Settings
from mock_zonos.testing.background import BackgroundLoop

from ..helpers import DEFAULT_TOKEN

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container, and quiet: without the last four, Chromium keeps
# calling home, which on a machine without a network only costs time.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# Every wait ends as soon as its condition holds; the deadline only matters on a
# busy machine, where Playwright's default 5 s can be too short.
DEADLINE_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A direct connection: a proxy from the environment must not stand between a test and loopback.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Served:
    """The server under test, and sync shortcuts for setting up what a test needs."""

    url: str
    app: web.Application
    loop: BackgroundLoop

    def post(self, path: str, payload: dict[str, Any], token: str | None = DEFAULT_TOKEN) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["credentialToken"] = token
        request = urllib.request.Request(
            self.url + path, data=json.dumps(payload).encode(), headers=headers
        )
        with _DIRECT.open(request, timeout=10) as response:
            return json.load(response)

    def get(self, path: str) -> Any:
        with _DIRECT.open(self.url + path, timeout=10) as response:
            return json.load(response)

    def create_webhook(
        self, url: str, type: str = "ORDER_CREATED", status: str = "ENABLED"
    ) -> dict[str, Any]:
        answer = self.post(
            "/graphql",
            {
                "query": "mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) "
                "{ id url type status } }",
                "variables": {"input": {"url": url, "type": type, "status": status}},
            },
        )
        assert "errors" not in answer, answer
        webhook: dict[str, Any] = answer["data"]["webhookCreate"]
        return webhook


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless chromium for every browser test; the tests skip where there is none."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no chromium at {CHROMIUM}: `apt-get install chromium` to run browser tests")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
    )
    sync_api.expect.set_options(timeout=DEADLINE_MS)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def served_settings() -> Settings:
    """The settings of the server under test; override it for other knobs."""
    return Settings(port=0, retry_delays=(0.01, 0.02))


@pytest.fixture
def served(bundled_fixtures: Fixtures, served_settings: Settings) -> Iterator[Served]:
    """A fresh mock-zonos on 127.0.0.1, on its own loop in a thread, as the CLI would run it."""
    loop = BackgroundLoop("mock-zonos-under-test")
    loop.start()
    app = create_app(served_settings, bundled_fixtures)
    server = AppServer(app, "127.0.0.1", 0, shutdown_timeout=1.0)
    try:
        url = loop.run(server.start())
        yield Served(url, app, loop)
        loop.run(server.stop())
    finally:
        loop.stop()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    """A fresh page, 1280 by 800 pixels. Afterwards: it threw no uncaught error, and
    it asked nothing of any server but the one under test."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEADLINE_MS)
    page = context.new_page()
    requested: list[str] = []
    uncaught: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: uncaught.append(str(error)))
    yield page
    context.close()
    assert not uncaught, uncaught
    elsewhere = [url for url in requested if not url.startswith((served.url + "/", "data:"))]
    assert not elsewhere, f"the page reached beyond {served.url}: {elsewhere}"
