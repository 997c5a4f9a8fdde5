"""Back to the fixtures: every delivery dropped, then the state reloaded."""

from __future__ import annotations

from .backend import Backend
from .memory import release_memory


async def reset(backend: Backend) -> None:
    """Deliveries queued, in flight or waiting to retry are dropped, then the state
    reloaded, and the memory the old state held given back as far as the allocators let."""
    await backend.dispatcher.cancel_all()
    backend.store.reset()
    release_memory()
