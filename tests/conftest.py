from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from mock_zonos.app import create_app
from mock_zonos.fixtures.loading import Fixtures, load_fixtures
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from .helpers import GraphQL
from .leaks import nothing_left_open

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def closes_what_it_opens() -> Iterator[None]:
    """Every test stops the servers and closes the sockets and sessions it opened."""
    with nothing_left_open():
        yield


@pytest.fixture
def settings() -> Settings:
    """Settings for a test server; override in a module for other knobs."""
    return Settings(port=0, retry_delays=(0.01, 0.02), delivery_timeout=2.0)


@pytest.fixture(scope="session")
def bundled_fixtures() -> Fixtures:
    """The bundled fixtures, parsed once: every app copies its state from them."""
    return load_fixtures()


@pytest.fixture
async def client(
    aiohttp_client: AiohttpClient, settings: Settings, bundled_fixtures: Fixtures
) -> TestClient[Any, Any]:
    """A real mock-zonos server on 127.0.0.1 and an HTTP client pointed at it."""
    fixtures = bundled_fixtures if settings.fixtures is None else None
    return await aiohttp_client(create_app(settings, fixtures))


@pytest.fixture
def gql(client: TestClient[Any, Any]) -> GraphQL:
    return GraphQL(client)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A capture server on 127.0.0.1 that answers 200 unless told otherwise."""
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and unpacked: what an installation holds (no checkout)."""
    directory = tmp_path_factory.mktemp("wheel")
    repository = Path(__file__).resolve().parent.parent
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(directory),
            str(repository),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = directory.glob("mock_zonos-*.whl")
    site = directory / "site"
    zipfile.ZipFile(wheel).extractall(site)
    return site
