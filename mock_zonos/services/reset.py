"""Back to the fixtures: every delivery dropped, then the state reloaded."""

from __future__ import annotations

from ..domain.store import Store
from .backend import Backend
from .memory import release_memory

# Below this many records (logs, orders, shipments, webhooks) the old state held a
# few MiB at most, which the next state reuses; giving memory back costs a full
# garbage collection, 100 ms and more in a big test process, on every test's reset.
RELEASE_MEMORY_FROM = 10_000


async def reset(backend: Backend) -> None:
    """Deliveries queued, in flight or waiting to retry are dropped, then the state
    reloaded; the memory a large old state held is given back as far as the allocators let."""
    await backend.dispatcher.cancel_all()
    large = held_records(backend.store) >= RELEASE_MEMORY_FROM
    backend.store.reset()
    if large:
        release_memory()


def held_records(store: Store) -> int:
    """How many records the store holds, across its tenants."""
    return sum(
        len(tenant.logs)
        + len(tenant.webhooks)
        + len(tenant.world.orders)
        + len(tenant.world.shipments)
        for tenant in store.tenants.values()
    )
