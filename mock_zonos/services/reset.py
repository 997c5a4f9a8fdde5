"""Back to the fixtures: every delivery dropped, then the state reloaded."""

from __future__ import annotations

from .backend import Backend


async def reset(backend: Backend) -> None:
    """Deliveries queued, in flight or waiting to retry are dropped, then the state reloaded."""
    await backend.dispatcher.cancel_all()
    backend.store.reset()
