"""Store rules that need no HTTP: the log cap and the ordered indexes behind paging."""

from __future__ import annotations

from mock_zonos.domain.clock import utc_now
from mock_zonos.domain.models import (
    Credential,
    Delivery,
    Event,
    Mode,
    WebhookStatus,
    WebhookType,
)
from mock_zonos.domain.pagination import CursorCodec, OrderedIndex, PageRequest
from mock_zonos.domain.seed import Seed
from mock_zonos.domain.store import Store

from ..helpers import make_store

CALLER = Credential("t", "organization_store", Mode.TEST, "user_store")


def _store_with_logs(count: int, max_logs: int) -> tuple[Store, list[str]]:
    store = make_store(max_logs=max_logs)
    webhook = store.create_webhook(
        CALLER,
        url="http://127.0.0.1:1/",
        type=WebhookType.ORDER_CREATED,
        status=WebhookStatus.ENABLED,
    )
    event = Event("event_1", WebhookType.ORDER_CREATED, b"{}", utc_now())
    delivery = Delivery(event, webhook.id)
    ids = [
        store.record_attempt(
            webhook,
            delivery,
            attempt=delivery.next_attempt(),
            url=webhook.url,
            created_at=utc_now(),
            response=None,
            response_status=None,
        ).id
        for _ in range(count)
    ]
    return store, ids


def test_the_log_cap_drops_the_oldest_first() -> None:
    store, ids = _store_with_logs(12, max_logs=5)
    page = store.list_logs(CALLER, PageRequest(first=100))
    assert [log.id for log in page.items] == ids[::-1][:5]
    assert store.find_log(ids[0]) is None
    assert store.get_log(CALLER, ids[-1]) is not None
    typed = store.list_logs(CALLER, PageRequest(first=100), type=WebhookType.ORDER_CREATED)
    assert [log.id for log in typed.items] == ids[::-1][:5]
    assert page.has_next_page is False


def test_paging_stays_exact_through_many_evictions() -> None:
    store, ids = _store_with_logs(5000, max_logs=10)
    seen: list[str] = []
    after = None
    while True:
        page = store.list_logs(CALLER, PageRequest(first=3, after=after))
        seen.extend(log.id for log in page.items)
        if not page.has_next_page:
            break
        after = page.codec.encode(page.seqs[-1])
    assert seen == ids[::-1][:10]


def test_an_index_pages_around_removed_items() -> None:
    index: OrderedIndex[str] = OrderedIndex()
    codec = CursorCodec("Thing")
    for seq in range(1, 11):
        index.add(seq, f"item{seq}")
    index.discard(5)
    index.discard(1)
    index.add(5, "item5-again")
    assert list(index) == [
        "item2",
        "item3",
        "item4",
        "item5-again",
        *[f"item{s}" for s in range(6, 11)],
    ]
    page = index.page(PageRequest(first=3, after=codec.encode(8)), codec)
    assert page.items == ["item7", "item6", "item5-again"]
    assert (page.has_next_page, page.has_previous_page) == (True, True)
    last = index.page(PageRequest(last=2), codec)
    assert last.items == ["item3", "item2"]
    assert (last.has_next_page, last.has_previous_page) == (False, True)


def test_observers_hear_of_new_logs_and_resets() -> None:
    store, _ = _store_with_logs(0, max_logs=5)
    heard: list[str] = []
    store.on_log.append(lambda log: heard.append(log.id))
    store.on_reset.append(lambda: heard.append("reset"))
    (webhook,) = store.tenant_of(CALLER).webhooks.values()
    event = Event("event_2", WebhookType.ORDER_CREATED, b"{}", utc_now())
    log = store.record_attempt(
        webhook,
        Delivery(event, webhook.id),
        attempt=1,
        url=webhook.url,
        created_at=utc_now(),
        response="ok",
        response_status=200,
    )
    store.reset()
    assert heard == [log.id, "reset"]


def test_a_reset_forgets_the_organizations_of_unknown_tokens() -> None:
    store = make_store(Seed(credentials=(CALLER,)))
    store.authenticate("credential_test_unknown")
    store.reset()
    assert list(store.credentials) == [CALLER]
