"""mock-zonos: a local, offline stand-in for the Zonos webhook GraphQL API.

The public names import lazily: aiohttp and Ariadne cost ~0.4 s to import,
and the pytest plugin must not make every test run in the venv pay it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "create_app"]

_LAZY = {
    "Settings": "mock_zonos.settings",
    "create_app": "mock_zonos.app",
}

if TYPE_CHECKING:
    from .app import create_app
    from .settings import Settings


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mock_zonos' has no attribute {name!r}")
    return getattr(import_module(module), name)
