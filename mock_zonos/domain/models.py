"""The domain: Zonos' webhook enums and the records mock-zonos keeps in memory.

The enums mirror schema.graphql value for value (a test holds them together).
Records are plain slotted dataclasses: the store owns them and the GraphQL
layer reads their attributes directly, so nothing here knows about transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Mode(StrEnum):
    LIVE = "LIVE"
    TEST = "TEST"


class Result(StrEnum):
    FAILURE = "FAILURE"
    SUCCESS = "SUCCESS"


class WebhookStatus(StrEnum):
    DISABLED = "DISABLED"
    ENABLED = "ENABLED"


class WebhookType(StrEnum):
    COLLECT_EMAIL_SENT = "COLLECT_EMAIL_SENT"
    COLLECT_EMAIL_SENT_FAILED = "COLLECT_EMAIL_SENT_FAILED"
    COLLECT_PAYMENT_FAILED = "COLLECT_PAYMENT_FAILED"
    COLLECT_PAYMENT_LINK_EXPIRED = "COLLECT_PAYMENT_LINK_EXPIRED"
    COLLECT_PAYMENT_LINK_OPENED = "COLLECT_PAYMENT_LINK_OPENED"
    COLLECT_PAYMENT_SUCCEEDED = "COLLECT_PAYMENT_SUCCEEDED"
    INCLUSIVE_PRICE_CONFIGURATION_CHANGED = "INCLUSIVE_PRICE_CONFIGURATION_CHANGED"
    INCLUSIVE_PRICE_CONFIGURATION_CREATED = "INCLUSIVE_PRICE_CONFIGURATION_CREATED"
    INCLUSIVE_PRICE_CONFIGURATION_DELETED = "INCLUSIVE_PRICE_CONFIGURATION_DELETED"
    INCLUSIVE_PRICE_CONFIGURATION_UPDATED = "INCLUSIVE_PRICE_CONFIGURATION_UPDATED"
    INCLUSIVE_PRICE_SYNC_READY = "INCLUSIVE_PRICE_SYNC_READY"
    INVENTORY_CHECK = "INVENTORY_CHECK"
    INVENTORY_REFUND = "INVENTORY_REFUND"
    IP_SETTING_STATUS_CHANGED = "IP_SETTING_STATUS_CHANGED"
    ORDER_CANCELED = "ORDER_CANCELED"
    ORDER_COMBINED = "ORDER_COMBINED"
    ORDER_CREATED = "ORDER_CREATED"
    ORDER_PAYOUT_DETAILS_READY = "ORDER_PAYOUT_DETAILS_READY"
    ORDER_SHIPPING = "ORDER_SHIPPING"
    ORDER_STATUS_CHANGED = "ORDER_STATUS_CHANGED"
    ORDER_UPDATED = "ORDER_UPDATED"
    SHIPMENT_CANCELED = "SHIPMENT_CANCELED"
    SHIPMENT_CREATED = "SHIPMENT_CREATED"


@dataclass(frozen=True, slots=True)
class Credential:
    """What a `credentialToken` stands for: who is calling, and in which mode."""

    token: str
    organization_id: str
    mode: Mode
    user_id: str


@dataclass(frozen=True, slots=True)
class WebhookHeader:
    """A custom header sent with every delivery; the API only ever returns `key`."""

    key: str
    value: str


@dataclass(slots=True)
class Webhook:
    id: str
    organization_id: str
    mode: Mode
    type: WebhookType
    status: WebhookStatus
    url: str
    headers: tuple[WebhookHeader, ...]
    query: str
    secret: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    # Insertion order in the store: lists are newest first by this number.
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    """One occurrence of an event type: the body every webhook of it receives, and the
    order (and shipment) it is about, if any."""

    id: str
    type: WebhookType
    body: bytes
    created_at: datetime
    order_id: str | None = None
    shipment_id: str | None = None


@dataclass(slots=True)
class Delivery:
    """One event on its way to one webhook: the attempts share it and its event id."""

    event: Event
    webhook_id: str
    attempts: int = 0

    def next_attempt(self) -> int:
        self.attempts += 1
        return self.attempts


@dataclass(slots=True)
class WebhookLog:
    """One delivery attempt, as `webhookLogs` reports it.

    The request body lives once on the event, shared by every attempt; the
    `response` is the receiver's body (truncated) or, when no response
    arrived, the transport error in words. A copy sent by the `duplicate`
    fault names the attempt it copies in `duplicate_of`.
    """

    id: str
    organization_id: str
    mode: Mode
    webhook_id: str
    url: str
    delivery: Delivery = field(repr=False)
    attempt: int
    created_at: datetime
    response: str | None
    response_status: int | None
    latency_ms: float | None = None
    request_headers: tuple[tuple[str, str], ...] = ()
    duplicate_of: str | None = None
    seq: int = 0

    @property
    def type(self) -> WebhookType:
        return self.delivery.event.type

    @property
    def event_id(self) -> str:
        return self.delivery.event.id

    @property
    def request(self) -> str:
        return self.delivery.event.body.decode()

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
