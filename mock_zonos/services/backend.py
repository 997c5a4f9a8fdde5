"""Backend: what every operation acts on, one per server (moto's name for the same idea)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..delivery.dispatcher import Dispatcher
from ..domain.models import Credential, Mode, WebhookType
from ..domain.samples import EventSample
from ..domain.store import Store
from ..fixtures.shapes import Shapes
from ..settings import Settings

# The user a change the mock makes by itself (a trigger) is recorded as.
MOCK_USER = "user_mock-zonos"


class BodyBuilder(Protocol):
    def build(
        self, backend: Backend, query: str, variables: Mapping[str, Any], caller: Credential
    ) -> bytes:
        """The JSON a webhook's query answers for the caller: the body a delivery sends."""
        ...


@dataclass(frozen=True, slots=True)
class Backend:
    """One server's settings, state, event samples, delivery engine and GraphQL answers."""

    settings: Settings
    store: Store
    samples: Mapping[WebhookType, EventSample]
    dispatcher: Dispatcher
    shapes: Shapes
    bodies: BodyBuilder

    def caller(self, token: str | None) -> Credential | None:
        """The credential a token stands for; None (everyone) without a token."""
        return self.store.authenticate(token) if token else None


def tenant_credential(organization_id: str, mode: Mode) -> Credential:
    """Who the mock acts as inside a tenant, when nobody called (a trigger without a token)."""
    return Credential(token="", organization_id=organization_id, mode=mode, user_id=MOCK_USER)
