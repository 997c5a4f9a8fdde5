"""mock-zonos: a local, offline stand-in for the Zonos webhook GraphQL API.

The public names import lazily: aiohttp and Ariadne cost ~0.4 s to import,
and the pytest plugin must not make every test run in the venv pay it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "ControlRequestError",
    "DeliveryResult",
    "Faults",
    "GraphQLResponse",
    "LogsTimeout",
    "MockZonos",
    "MockZonosClient",
    "ReceiverTimeout",
    "RecordedRequest",
    "ScenarioFailed",
    "ScenarioInvalid",
    "ScenarioResult",
    "Settings",
    "TriggerResult",
    "WebhookReceiver",
    "ZonosGraphQLError",
    "__version__",
    "create_app",
]

_LAZY = {
    "ControlRequestError": "mock_zonos.testing.client",
    "DeliveryResult": "mock_zonos.testing.client",
    "Faults": "mock_zonos.domain.faults",
    "GraphQLResponse": "mock_zonos.testing.client",
    "LogsTimeout": "mock_zonos.testing.server",
    "MockZonos": "mock_zonos.testing.server",
    "MockZonosClient": "mock_zonos.testing.client",
    "ReceiverTimeout": "mock_zonos.testing.receiver",
    "RecordedRequest": "mock_zonos.testing.receiver",
    "ScenarioFailed": "mock_zonos.scenarios.runner",
    "ScenarioInvalid": "mock_zonos.scenarios.steps",
    "ScenarioResult": "mock_zonos.scenarios.runner",
    "Settings": "mock_zonos.settings",
    "TriggerResult": "mock_zonos.testing.client",
    "WebhookReceiver": "mock_zonos.testing.receiver",
    "ZonosGraphQLError": "mock_zonos.testing.client",
    "create_app": "mock_zonos.app",
}

if TYPE_CHECKING:
    from .app import create_app
    from .domain.faults import Faults
    from .scenarios.runner import ScenarioFailed, ScenarioResult
    from .scenarios.steps import ScenarioInvalid
    from .settings import Settings
    from .testing.client import (
        ControlRequestError,
        DeliveryResult,
        GraphQLResponse,
        MockZonosClient,
        TriggerResult,
        ZonosGraphQLError,
    )
    from .testing.receiver import ReceiverTimeout, RecordedRequest, WebhookReceiver
    from .testing.server import LogsTimeout, MockZonos


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mock_zonos' has no attribute {name!r}")
    return getattr(import_module(module), name)
