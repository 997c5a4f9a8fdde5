"""Resending a logged attempt: the same body to the same webhook, as the next attempt."""

from __future__ import annotations

from ..delivery.dispatcher import DeliveryHandle
from ..domain.errors import Conflict, NotFound
from ..domain.models import Credential, WebhookLog
from .backend import Backend
from .trigger import check_enabled


def resend(
    backend: Backend, log_id: str, caller: Credential | None
) -> tuple[WebhookLog, DeliveryHandle]:
    """One more attempt of the log's event at its webhook; a single attempt, never retried."""
    store = backend.store
    log = store.get_log(caller, log_id) if caller else store.find_log(log_id)
    if log is None:
        raise NotFound(f"log {log_id} was not found")
    webhook = store.webhook_of(log)
    if webhook is None:
        raise Conflict(f"webhook {log.webhook_id} of log {log_id} has been deleted")
    check_enabled(webhook)
    if webhook.type is not log.type:
        raise Conflict(f"webhook {webhook.id} subscribes to {webhook.type} now, not {log.type}")
    return log, backend.dispatcher.resend(log, webhook)
