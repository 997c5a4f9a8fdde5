"""The pytest plugin: `zonos_mock`, `zonos_mock_server`, `webhook_receiver` and a marker.

Registered through the `pytest11` entry point, so it loads in every pytest
run of the environment: it imports nothing heavy until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..domain.faults import Faults
    from ..settings import Settings
    from .background import BackgroundLoop
    from .receiver import WebhookReceiver
    from .server import MockZonos

MARKER = "zonos_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): run this test against its own mock-zonos with these "
        "Settings fields changed, e.g. retry_delays=[0.01], sign=True, rate_limit=True, "
        'clock="virtual", faults={"duplicate": 2}, fixtures=path (relative to the test '
        "file's directory)",
    )


@pytest.fixture(scope="session")
def zonos_mock_settings() -> Settings:
    """The settings of the session's server; override this fixture to change them."""
    from ..settings import Settings

    return Settings(port=0, retry_delays=(0.01, 0.02), delivery_timeout=5.0)


@pytest.fixture(scope="session")
def zonos_mock_server(zonos_mock_settings: Settings) -> Iterator[MockZonos]:
    """One mock-zonos for the whole session (one per xdist worker)."""
    from .server import MockZonos

    with MockZonos(zonos_mock_settings) as server:
        yield server


@pytest.fixture
def zonos_mock(
    request: pytest.FixtureRequest, zonos_mock_settings: Settings
) -> Iterator[MockZonos]:
    """The session's mock-zonos reset to its fixtures, or, for a test marked
    `@pytest.mark.zonos_mock(...)`, a server of its own with those settings."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        server: MockZonos = request.getfixturevalue("zonos_mock_server")
        server.reset()
        yield server
        return
    from .server import MockZonos

    test_directory = Path(request.node.path).parent
    with MockZonos(_marked_settings(zonos_mock_settings, marker, test_directory)) as own:
        yield own


def _marked_settings(settings: Settings, marker: pytest.Mark, test_directory: Path) -> Settings:
    """The settings with the marker's changes; a relative `fixtures` is taken from the
    directory of the test file, wherever pytest was started."""
    if marker.args:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword arguments only")
    known = {field.name for field in fields(settings)}
    unknown = sorted(set(marker.kwargs) - known)
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER}: unknown setting {unknown[0]!r}; "
            f"the settings are {', '.join(sorted(known))}"
        )
    changes: dict[str, Any] = dict(marker.kwargs)
    if "retry_delays" in changes:
        changes["retry_delays"] = tuple(float(delay) for delay in changes["retry_delays"])
    if changes.get("fixtures") is not None:
        changes["fixtures"] = test_directory / changes["fixtures"]
    if isinstance(changes.get("faults"), Mapping):
        changes["faults"] = _faults(changes["faults"])
    try:
        return replace(settings, **changes)
    except ValueError as exc:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {exc}") from None


def _faults(raw: Mapping[str, Any]) -> Faults:
    from ..domain.errors import InvalidInput
    from ..domain.faults import NO_FAULTS, parse_faults

    try:
        return parse_faults(raw).applied_to(NO_FAULTS)
    except InvalidInput as exc:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {exc.message}") from None


@pytest.fixture(scope="session")
def _webhook_receivers_loop() -> Iterator[BackgroundLoop]:
    """The loop every `webhook_receiver` of the session serves on, on one thread."""
    from .background import BackgroundLoop

    loop = BackgroundLoop("webhook-receivers")
    loop.start()
    yield loop
    loop.stop()


@pytest.fixture
def webhook_receiver(_webhook_receivers_loop: BackgroundLoop) -> Iterator[WebhookReceiver]:
    """A capture server on 127.0.0.1 for tests without a receiver of their own."""
    from .receiver import WebhookReceiver

    with WebhookReceiver(loop=_webhook_receivers_loop) as receiver:
        yield receiver
