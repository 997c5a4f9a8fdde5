"""What every resolver is handed: the server's backend and who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLResolveInfo

from ..domain.models import Credential
from ..domain.store import Store
from ..services.backend import Backend


@dataclass(frozen=True, slots=True)
class RequestContext:
    backend: Backend
    credential: Credential
    request_id: str

    @property
    def store(self) -> Store:
        return self.backend.store


Info = GraphQLResolveInfo[RequestContext]
