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
    "GraphQLResponse",
    "LogsTimeout",
    "MockZonos",
    "MockZonosClient",
    "ReceiverTimeout",
    "RecordedRequest",
    "Settings",
    "TriggerResult",
    "WebhookReceiver",
    "ZonosGraphQLError",
    "__version__",
    "create_app",
]

_LAZY = {
    "ControlRequestError": "mock_zonos.client",
    "DeliveryResult": "mock_zonos.client",
    "GraphQLResponse": "mock_zonos.client",
    "LogsTimeout": "mock_zonos.server",
    "MockZonos": "mock_zonos.server",
    "MockZonosClient": "mock_zonos.client",
    "ReceiverTimeout": "mock_zonos.receiver",
    "RecordedRequest": "mock_zonos.receiver",
    "Settings": "mock_zonos.settings",
    "TriggerResult": "mock_zonos.client",
    "WebhookReceiver": "mock_zonos.receiver",
    "ZonosGraphQLError": "mock_zonos.client",
    "create_app": "mock_zonos.app",
}

if TYPE_CHECKING:
    from .app import create_app
    from .client import (
        ControlRequestError,
        DeliveryResult,
        GraphQLResponse,
        MockZonosClient,
        TriggerResult,
        ZonosGraphQLError,
    )
    from .receiver import ReceiverTimeout, RecordedRequest, WebhookReceiver
    from .server import LogsTimeout, MockZonos
    from .settings import Settings


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mock_zonos' has no attribute {name!r}")
    return getattr(import_module(module), name)
