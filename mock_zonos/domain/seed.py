"""The starting state a store is reset to, as the fixtures describe it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Credential, Webhook


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
class Seed:
    """The starting state a reset returns to; webhooks are copied, never shared."""

    credentials: tuple[Credential, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    logs: tuple[LogSeed, ...] = ()
