"""What every resolver is handed: the store and who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLResolveInfo

from ..domain.models import Credential
from ..domain.store import Store


@dataclass(frozen=True, slots=True)
class RequestContext:
    store: Store
    credential: Credential
    request_id: str


Info = GraphQLResolveInfo[RequestContext]
