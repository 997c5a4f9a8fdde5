"""One organization in one mode: its webhooks and delivery logs, indexed for paging."""

from __future__ import annotations

from .models import Mode, Webhook, WebhookLog, WebhookStatus, WebhookType
from .pagination import OrderedIndex
from .world import World

WebhookListKey = tuple[WebhookType | None, WebhookStatus | None]


def _webhook_list_keys(webhook: Webhook) -> tuple[WebhookListKey, ...]:
    return (
        (None, None),
        (webhook.type, None),
        (None, webhook.status),
        (webhook.type, webhook.status),
    )


class Tenant:
    """One organization in one mode: its webhooks, its delivery logs and its world.

    Each filter a list can take has its own sorted index, so a filtered page
    costs the same as an unfiltered one.
    """

    def __init__(self, organization_id: str, mode: Mode, max_logs: int, world: World) -> None:
        self.organization_id = organization_id
        self.mode = mode
        self.max_logs = max_logs
        self.world = world
        self.webhooks: dict[str, Webhook] = {}
        self.logs: dict[str, WebhookLog] = {}
        self._webhook_lists: dict[WebhookListKey, OrderedIndex[Webhook]] = {}
        self._log_lists: dict[WebhookType | None, OrderedIndex[WebhookLog]] = {}
        # The attempts of the events about each order, for the dashboard's order view.
        self._order_logs: dict[str, OrderedIndex[WebhookLog]] = {}

    def index_webhook(self, webhook: Webhook) -> None:
        self.webhooks[webhook.id] = webhook
        for key in _webhook_list_keys(webhook):
            self._webhook_lists.setdefault(key, OrderedIndex()).add(webhook.seq, webhook)

    def unindex_webhook(self, webhook: Webhook) -> None:
        del self.webhooks[webhook.id]
        for key in _webhook_list_keys(webhook):
            self._webhook_lists[key].discard(webhook.seq)

    def webhook_list(
        self, type: WebhookType | None, status: WebhookStatus | None
    ) -> OrderedIndex[Webhook]:
        return self._webhook_lists.get((type, status)) or OrderedIndex()

    def add_log(self, log: WebhookLog) -> list[WebhookLog]:
        """Keep the log; return the oldest ones evicted to stay within the cap."""
        self.logs[log.id] = log
        for key in (None, log.type):
            self._log_lists.setdefault(key, OrderedIndex()).add(log.seq, log)
        order_id = log.delivery.event.order_id
        if order_id is not None:
            self._order_logs.setdefault(order_id, OrderedIndex()).add(log.seq, log)
        evicted: list[WebhookLog] = []
        everything = self._log_lists[None]
        while len(everything) > self.max_logs:
            oldest = everything.oldest()
            assert oldest is not None
            self.remove_log(oldest)
            evicted.append(oldest)
        return evicted

    def remove_log(self, log: WebhookLog) -> None:
        del self.logs[log.id]
        for key in (None, log.type):
            self._log_lists[key].discard(log.seq)
        order_id = log.delivery.event.order_id
        if order_id is not None:
            about = self._order_logs[order_id]
            about.discard(log.seq)
            if not about:
                del self._order_logs[order_id]

    def log_list(self, type: WebhookType | None) -> OrderedIndex[WebhookLog]:
        return self._log_lists.get(type) or OrderedIndex()

    def logs_about(self, order_id: str) -> OrderedIndex[WebhookLog]:
        """The attempts of every event about this order (its shipments' included)."""
        return self._order_logs.get(order_id) or OrderedIndex()

    def newest_logs(self, count: int) -> list[WebhookLog]:
        return self.log_list(None).newest(count)
