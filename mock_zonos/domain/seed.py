"""The starting state a store is reset to, as the fixtures describe it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .models import Credential, Webhook
from .orders import MINIMAL_ORDER, Owner
from .samples import JSONObject, Template
from .world import Numbering


@dataclass(frozen=True, slots=True)
class LogSeed:
    """A delivery attempt the fixtures pre-record, rebuilt on every reset."""

    id: str
    webhook_id: str
    event_id: str
    body: bytes
    response: str | None
    response_status: int | None
    created_at: datetime
    attempt: int


@dataclass(frozen=True, slots=True)
class WorldSeed:
    """The orders and shipments one tenant starts with, complete and linked."""

    owner: Owner
    orders: tuple[JSONObject, ...] = ()
    shipments: tuple[JSONObject, ...] = ()


@dataclass(frozen=True, slots=True)
class Seed:
    """The starting state a reset returns to; webhooks and worlds are copied, never shared.

    The templates are what new orders and shipments are made of, and
    `numbering` where their numbers start.
    """

    credentials: tuple[Credential, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    logs: tuple[LogSeed, ...] = ()
    worlds: tuple[WorldSeed, ...] = ()
    order_template: Template = field(default_factory=lambda: Template(MINIMAL_ORDER))
    shipment_template: Template = field(default_factory=lambda: Template({}))
    numbering: Numbering = field(default_factory=Numbering)
