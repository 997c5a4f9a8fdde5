"""The fixtures' logs made into records: one delivery per event and webhook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mock_zonos.domain.models import Mode, Webhook, WebhookStatus, WebhookType
from mock_zonos.domain.seed import LogSeed, seeded_logs

START = datetime(2026, 2, 1, 12, tzinfo=UTC)
WEBHOOK = Webhook(
    id="webhook_seed",
    organization_id="organization_seed",
    mode=Mode.TEST,
    type=WebhookType.ORDER_CREATED,
    status=WebhookStatus.ENABLED,
    url="http://127.0.0.1:9/",
    headers=(),
    query="query { x }",
    secret="whsec_seed",
    created_at=START,
    created_by="user_seed",
    updated_at=START,
    updated_by="user_seed",
)


def _attempt(event_id: str, attempt: int, minute: int) -> LogSeed:
    return LogSeed(
        id=f"log_{event_id}_{attempt}",
        webhook_id=WEBHOOK.id,
        event_id=event_id,
        body=b"{}",
        response="ok",
        response_status=200,
        created_at=START + timedelta(minutes=minute),
        attempt=attempt,
    )


def test_attempts_of_one_event_share_a_delivery_counting_the_highest() -> None:
    seeds = [_attempt("event_a", 2, 2), _attempt("event_b", 1, 1), _attempt("event_a", 1, 0)]
    logs = list(seeded_logs(seeds, {WEBHOOK.id: WEBHOOK}.get))
    assert [log.id for log in logs] == ["log_event_a_1", "log_event_b_1", "log_event_a_2"]
    first_a, b, second_a = logs
    assert first_a.delivery is second_a.delivery
    assert b.delivery is not first_a.delivery
    assert (first_a.delivery.attempts, b.delivery.attempts) == (2, 1)
