"""Holding deliveries back and releasing them in another order: reordering on demand.

With a credential, a hold or a release covers that organization and mode;
without one, every organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..delivery.dispatcher import DeliveryHandle
from ..delivery.holding import ReleaseOrder, TenantKey
from ..domain.models import Credential, WebhookLog
from .backend import Backend


@dataclass(frozen=True, slots=True)
class Held:
    """Whether new first attempts are held, and what waits for a release, oldest first."""

    holding: bool
    deliveries: list[DeliveryHandle]


def hold(backend: Backend, caller: Credential | None) -> int:
    """Hold the caller's new first attempts from now on; how many wait already."""
    dispatcher = backend.dispatcher
    dispatcher.hold(_tenant(caller))
    return len(dispatcher.held(_tenant(caller)))


def held(backend: Backend, caller: Credential | None) -> Held:
    dispatcher = backend.dispatcher
    tenant = _tenant(caller)
    return Held(dispatcher.holding(tenant), dispatcher.held(tenant))


async def release(
    backend: Backend, caller: Credential | None, order: ReleaseOrder, seed: int | None
) -> list[WebhookLog]:
    """End the caller's hold and send what it held, one at a time in `order`; the first
    attempts' logs, in send order, once every one is over."""
    return await backend.dispatcher.release(_tenant(caller), order, seed)


def _tenant(caller: Credential | None) -> TenantKey | None:
    return (caller.organization_id, caller.mode) if caller else None
