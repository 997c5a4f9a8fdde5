"""In-memory state and the rules that guard it: credentials, tenants, webhooks, logs.

A tenant is one organization in one mode; a credential token maps to exactly
one (authentication.py says which). Every query and mutation is scoped to the
caller's tenant, so two tokens never see each other's webhooks or logs. The
store knows nothing of HTTP or GraphQL: the API layer and the delivery engine
call it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import count

from .authentication import Credentials
from .clock import Clock, SystemClock, format_timestamp
from .errors import InvalidInput, NotFound
from .ids import new_id
from .models import (
    Credential,
    Delivery,
    Mode,
    Webhook,
    WebhookHeader,
    WebhookLog,
    WebhookStatus,
    WebhookType,
)
from .orders import Owner, Stamp
from .pagination import CursorCodec, OrderedIndex, Page, PageRequest
from .seed import Seed, copied_worlds, seeded_logs
from .tenant import Tenant
from .validation import check_headers, check_url
from .world import World

WEBHOOK_CURSORS = CursorCodec("Webhook")
LOG_CURSORS = CursorCodec("WebhookLog")


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    """A partial update: None means "leave as it is"."""

    url: str | None = None
    type: WebhookType | None = None
    status: WebhookStatus | None = None
    headers: tuple[WebhookHeader, ...] | None = None


class Store:
    """All state of one mock-zonos server, seeded from fixtures and resettable to them."""

    def __init__(
        self,
        seed: Seed,
        queries: Mapping[WebhookType, str],
        *,
        new_secret: Callable[[], str],
        strict_auth: bool = False,
        max_logs: int = 100_000,
        max_records: int = 10_000,
        clock: Clock | None = None,
    ) -> None:
        """`queries` is each type's webhook query; `new_secret` makes a webhook's
        signing secret (its format belongs to the delivery side); `max_records`
        caps each tenant's orders, and its shipments."""
        self.seed = seed
        self.queries = queries
        self.new_secret = new_secret
        self.strict_auth = strict_auth
        self.max_logs = max_logs
        self.max_records = max_records
        self.clock = clock or SystemClock()
        # Observers outlive resets: they belong to whoever watches (the dashboard stream).
        self.on_log: list[Callable[[WebhookLog], None]] = []
        self.on_reset: list[Callable[[], None]] = []
        self.reset()

    def reset(self) -> None:
        """Drop everything and load the seed again: auto-provisioned tenants are gone."""
        self._seqs = count(1)
        self.credentials = Credentials(self.seed.credentials, strict=self.strict_auth)
        self.tenants: dict[tuple[str, Mode], Tenant] = {}
        self._webhook_tenants: dict[str, Tenant] = {}
        self._log_tenants: dict[str, Tenant] = {}
        for credential in self.seed.credentials:
            self.tenant_of(credential)
        for template in sorted(self.seed.webhooks, key=lambda w: w.created_at):
            self._insert_webhook(replace(template))
        for log in seeded_logs(self.seed.logs, self.find_webhook):
            self._insert_log(log, announce=False)
        # One copy of every world at once, so that orders and shipments stay linked.
        for world_seed in copied_worlds(self.seed.worlds):
            world = self._tenant_for(world_seed.owner.organization_id, world_seed.owner.mode).world
            for order in world_seed.orders:
                world.add_order(order)
            for shipment in world_seed.shipments:
                world.add_shipment(shipment)
        for listener in self.on_reset:
            listener()

    # -- credentials and tenants ------------------------------------------

    def authenticate(self, token: str) -> Credential:
        """The credential a token stands for; an unknown one gets a fresh organization, or,
        with strict auth, Unauthorized."""
        return self.credentials.authenticate(token)

    def tenant_of(self, credential: Credential) -> Tenant:
        return self._tenant_for(credential.organization_id, credential.mode)

    def tenant_of_webhook(self, webhook: Webhook) -> Tenant:
        return self._webhook_tenants[webhook.id]

    def _tenant_for(self, organization_id: str, mode: Mode) -> Tenant:
        key = (organization_id, mode)
        tenant = self.tenants.get(key)
        if tenant is None:
            world = World(
                Owner(organization_id, mode), self.seed.numbering, self.max_records, self._seqs
            )
            tenant = self.tenants[key] = Tenant(organization_id, mode, self.max_logs, world)
        return tenant

    def stamp(self, credential: Credential) -> Stamp:
        """Now, and the caller's user: what a change to the world is signed with."""
        return Stamp(format_timestamp(self.clock.now()), credential.user_id)

    def find_order(self, order_id: str) -> Tenant | None:
        """The tenant of any organization whose world holds this order."""
        return next((t for t in self.tenants.values() if order_id in t.world.orders), None)

    def find_shipment(self, shipment_id: str) -> Tenant | None:
        return next((t for t in self.tenants.values() if shipment_id in t.world.shipments), None)

    # -- webhooks -----------------------------------------------------------

    def create_webhook(
        self,
        credential: Credential,
        *,
        url: str,
        type: WebhookType,
        status: WebhookStatus,
        headers: Iterable[WebhookHeader] = (),
    ) -> Webhook:
        checked_url = check_url(url, "input.url")
        checked_headers = check_headers(headers, "input.headers")
        now = self.clock.now()
        webhook = Webhook(
            id=new_id("webhook"),
            organization_id=credential.organization_id,
            mode=credential.mode,
            type=type,
            status=status,
            url=checked_url,
            headers=checked_headers,
            query=self.queries[type],
            secret=self.new_secret(),
            created_at=now,
            created_by=credential.user_id,
            updated_at=now,
            updated_by=credential.user_id,
        )
        self._insert_webhook(webhook)
        return webhook

    def update_webhook(
        self, credential: Credential, webhook_id: str, changes: WebhookChanges
    ) -> Webhook:
        # Everything is checked before anything changes: a failed update changes nothing.
        webhook = self._own_webhook(credential, webhook_id)
        url = check_url(changes.url, "input.url") if changes.url is not None else webhook.url
        headers = (
            check_headers(changes.headers, "input.headers")
            if changes.headers is not None
            else webhook.headers
        )
        tenant = self.tenant_of(credential)
        tenant.unindex_webhook(webhook)
        webhook.url = url
        webhook.headers = headers
        if changes.type is not None and changes.type != webhook.type:
            webhook.type = changes.type
            webhook.query = self.queries[changes.type]
        if changes.status is not None:
            webhook.status = changes.status
        webhook.updated_at = self.clock.now()
        webhook.updated_by = credential.user_id
        tenant.index_webhook(webhook)
        return webhook

    def delete_webhook(self, credential: Credential, webhook_id: str) -> bool:
        webhook = self.get_webhook(credential, webhook_id)
        if webhook is None:
            return False
        self.tenant_of(credential).unindex_webhook(webhook)
        del self._webhook_tenants[webhook.id]
        return True

    def get_webhook(self, credential: Credential, webhook_id: str) -> Webhook | None:
        return self.tenant_of(credential).webhooks.get(webhook_id)

    def find_webhook(self, webhook_id: str) -> Webhook | None:
        """A webhook of any tenant: for the mock's own control plane."""
        tenant = self._webhook_tenants.get(webhook_id)
        return tenant.webhooks[webhook_id] if tenant is not None else None

    def list_webhooks(
        self,
        credential: Credential,
        request: PageRequest,
        *,
        mode: Mode | None = None,
        type: WebhookType | None = None,
        status: WebhookStatus | None = None,
    ) -> tuple[Page[Webhook], int]:
        """A page of the caller's webhooks, newest first, and how many match in all."""
        tenant = self.tenant_of(credential)
        webhooks = tenant.webhook_list(type, status)
        if mode is not None and mode != tenant.mode:
            webhooks = OrderedIndex()
        return webhooks.page(request, WEBHOOK_CURSORS), len(webhooks)

    def _own_webhook(self, credential: Credential, webhook_id: str) -> Webhook:
        webhook = self.get_webhook(credential, webhook_id)
        if webhook is None:
            raise NotFound(f"Webhook {webhook_id} was not found.")
        return webhook

    def _insert_webhook(self, webhook: Webhook) -> None:
        if webhook.id in self._webhook_tenants:
            raise InvalidInput(f"Webhook id {webhook.id} is already in use.")
        webhook.seq = next(self._seqs)
        tenant = self._tenant_for(webhook.organization_id, webhook.mode)
        tenant.index_webhook(webhook)
        self._webhook_tenants[webhook.id] = tenant

    # -- routing ------------------------------------------------------------

    def subscribers(self, type: WebhookType, credential: Credential | None) -> list[Webhook]:
        """The ENABLED webhooks of this type: the caller's, or everyone's without a caller."""
        tenants = [self.tenant_of(credential)] if credential else list(self.tenants.values())
        found = [
            webhook
            for tenant in tenants
            for webhook in tenant.webhook_list(type, WebhookStatus.ENABLED)
        ]
        found.sort(key=lambda w: w.seq)
        return found

    # -- logs ---------------------------------------------------------------

    def record_attempt(
        self,
        webhook: Webhook,
        delivery: Delivery,
        *,
        attempt: int,
        url: str,
        created_at: datetime,
        response: str | None,
        response_status: int | None,
        latency_ms: float | None = None,
        request_headers: tuple[tuple[str, str], ...] = (),
        duplicate_of: str | None = None,
    ) -> WebhookLog:
        log = WebhookLog(
            id=new_id("webhook_log"),
            organization_id=webhook.organization_id,
            mode=webhook.mode,
            webhook_id=webhook.id,
            url=url,
            delivery=delivery,
            attempt=attempt,
            created_at=created_at,
            response=response,
            response_status=response_status,
            latency_ms=latency_ms,
            request_headers=request_headers,
            duplicate_of=duplicate_of,
        )
        self._insert_log(log)
        return log

    def get_log(self, credential: Credential, log_id: str) -> WebhookLog | None:
        return self.tenant_of(credential).logs.get(log_id)

    def find_log(self, log_id: str) -> WebhookLog | None:
        """A log of any tenant: for the mock's own control plane."""
        tenant = self._log_tenants.get(log_id)
        return tenant.logs[log_id] if tenant is not None else None

    def list_logs(
        self, credential: Credential, request: PageRequest, *, type: WebhookType | None = None
    ) -> Page[WebhookLog]:
        return self.tenant_of(credential).log_list(type).page(request, LOG_CURSORS)

    def webhook_of(self, log: WebhookLog) -> Webhook | None:
        """The log's webhook, or None once it has been deleted."""
        return self.find_webhook(log.webhook_id)

    def _insert_log(self, log: WebhookLog, *, announce: bool = True) -> None:
        """Keep a log; observers hear of it unless it is a fixture's, laid down by a reset."""
        log.seq = next(self._seqs)
        tenant = self._tenant_for(log.organization_id, log.mode)
        self._log_tenants[log.id] = tenant
        for evicted in tenant.add_log(log):
            del self._log_tenants[evicted.id]
        if announce:
            for listener in self.on_log:
                listener(log)
