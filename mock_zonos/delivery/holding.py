"""Held deliveries: first attempts parked until a release sends them in a chosen order.

A hold covers one tenant (organization and mode) or every tenant. A release
takes what its tenant (or everyone) has waiting and ends that hold.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Generic, Literal, TypeVar, get_args

from ..domain.errors import InvalidInput
from ..domain.models import Mode

J = TypeVar("J")
TenantKey = tuple[str, Mode]
ReleaseOrder = Literal["fifo", "reverse", "shuffle"]
RELEASE_ORDERS: tuple[ReleaseOrder, ...] = get_args(ReleaseOrder)


class Holding(Generic[J]):
    """Which tenants are held, and what waits for each, in arrival order."""

    def __init__(self) -> None:
        self._everyone = False
        self._tenants: set[TenantKey] = set()
        # Tenants released one by one while everyone is held.
        self._exempt: set[TenantKey] = set()
        self._held: list[tuple[TenantKey, J]] = []

    def __len__(self) -> int:
        return len(self._held)

    def holds(self, tenant: TenantKey) -> bool:
        return tenant in self._tenants or (self._everyone and tenant not in self._exempt)

    def holding(self, tenant: TenantKey | None) -> bool:
        """Whether new first attempts of this tenant (of anyone, for None) are held."""
        if tenant is None:
            return self._everyone or bool(self._tenants)
        return self.holds(tenant)

    def hold(self, tenant: TenantKey | None) -> None:
        if tenant is None:
            self._everyone = True
            self._exempt.clear()
        else:
            self._tenants.add(tenant)
            self._exempt.discard(tenant)

    def add(self, tenant: TenantKey, job: J) -> None:
        self._held.append((tenant, job))

    def waiting(self, tenant: TenantKey | None) -> list[J]:
        return [job for owner, job in self._held if tenant is None or owner == tenant]

    def take(self, tenant: TenantKey | None) -> list[J]:
        """What waits for the tenant (for everyone, for None), in arrival order; ends its hold."""
        if tenant is None:
            taken = [job for _, job in self._held]
            self.clear()
            return taken
        taken = self.waiting(tenant)
        self._held = [(owner, job) for owner, job in self._held if owner != tenant]
        self._tenants.discard(tenant)
        if self._everyone:
            self._exempt.add(tenant)
        return taken

    def clear(self) -> list[J]:
        """Forget every hold and everything held (a reset); what was held."""
        dropped = [job for _, job in self._held]
        self._held.clear()
        self._everyone = False
        self._tenants.clear()
        self._exempt.clear()
        return dropped


def check_order(order: object) -> ReleaseOrder:
    for known in RELEASE_ORDERS:
        if order == known:
            return known
    raise InvalidInput(f"unknown order {order!r}; the orders are {', '.join(RELEASE_ORDERS)}")


def in_order(jobs: Iterable[J], order: ReleaseOrder, seed: int | None) -> list[J]:
    """Held jobs in the order a release sends them; `seed` makes a shuffle repeatable."""
    ordered = list(jobs)
    if order == "reverse":
        ordered.reverse()
    elif order == "shuffle":
        random.Random(seed).shuffle(ordered)
    return ordered
