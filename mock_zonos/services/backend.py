"""Backend: what every operation acts on, one per server (moto's name for the same idea)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..delivery.dispatcher import Dispatcher
from ..domain.models import Credential, WebhookType
from ..domain.samples import EventSample
from ..domain.store import Store
from ..settings import Settings


@dataclass(frozen=True, slots=True)
class Backend:
    """One server's settings, state, event samples and delivery engine."""

    settings: Settings
    store: Store
    samples: Mapping[WebhookType, EventSample]
    dispatcher: Dispatcher

    def caller(self, token: str | None) -> Credential | None:
        """The credential a token stands for; None (everyone) without a token."""
        return self.store.authenticate(token) if token else None
