"""The dashboard's Orders view in a real browser: orders, their history and their deliveries."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
)

from playwright.sync_api import Locator, Page, expect

from mock_zonos.testing.receiver import WebhookReceiver

from .conftest import Served

PAGE_SIZE = 20
SEEDED_ORDER = "order_c0ffee00-0000-4000-8000-00000000d001"  # TG-100917, COMPLETED
OTHER_ORG_ORDER = "order_decade00-0000-4000-8000-00000000d001"  # DC-2001, OPEN


def _rows(page: Page) -> Locator:
    return page.locator("#order-table tbody tr")


def _row(page: Page, order_id: str) -> Locator:
    return page.locator(f'#order-table tbody tr[data-id="{order_id}"]')


def test_the_list_follows_the_credential_and_the_status_filter(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#orders")
    expect(_rows(page)).to_have_count(1)
    expect(_row(page, SEEDED_ORDER)).to_contain_text("TG-100917")
    expect(_row(page, SEEDED_ORDER)).to_contain_text("1000410917")
    expect(_row(page, SEEDED_ORDER).locator(".badge")).to_have_text("COMPLETED")
    expect(page.locator("#order-table th.tenant").first).to_be_hidden()

    page.locator("#scope").select_option("")
    expect(_rows(page)).to_have_count(2)
    expect(page.locator("#order-table th.tenant").first).to_be_visible()
    expect(_row(page, OTHER_ORG_ORDER).locator("td.tenant").first).to_have_text(
        "organization_decade00-0000-4000-8000-000000000002"
    )

    page.locator("#order-status").select_option("OPEN")
    expect(_rows(page)).to_have_count(1)
    expect(_row(page, OTHER_ORG_ORDER)).to_contain_text("DC-2001")
    page.locator("#order-status").select_option("CANCELED")
    expect(_rows(page)).to_have_count(0)
    expect(page.locator("#order-empty")).to_be_visible()


def test_a_live_attempt_about_an_order_refreshes_the_list_and_the_open_order(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    served.create_webhook(receiver.url, "ORDER_CANCELED")
    page.goto(f"{served.url}/#orders/{SEEDED_ORDER}")
    expect(page.locator("#order-detail h2")).to_have_text("TG-100917")
    expect(page.locator("#order-detail table.deliveries")).to_have_count(0)

    served.post("/_mock/trigger", {"type": "ORDER_CANCELED", "orderId": SEEDED_ORDER})
    expect(_row(page, SEEDED_ORDER).locator(".badge")).to_have_text("CANCELED")
    expect(page.locator("#order-detail .detail-head .badge")).to_have_text("CANCELED")
    expect(page.locator("#order-detail table.deliveries tbody a")).to_have_text(["ORDER_CANCELED"])

    served.create_webhook(receiver.url, "ORDER_CREATED")
    served.post("/_mock/trigger", {"type": "ORDER_CREATED"})
    expect(_rows(page)).to_have_count(2)


def test_orders_page_by_cursor_and_the_table_holds_one_page(page: Page, served: Served) -> None:
    served.post("/_mock/trigger", {"type": "ORDER_CREATED", "count": PAGE_SIZE + 4})
    page.goto(f"{served.url}/#orders")
    expect(_rows(page)).to_have_count(PAGE_SIZE)
    newest = _rows(page).first.get_attribute("data-id")
    page.get_by_role("button", name="Older →").click()
    expect(_rows(page)).to_have_count(5)  # the rest, and the seeded order last
    expect(_rows(page).last).to_have_attribute("data-id", SEEDED_ORDER)
    expect(page.get_by_role("button", name="Older →")).to_be_disabled()
    page.get_by_role("button", name="← Newer").click()
    expect(_rows(page).first).to_have_attribute("data-id", newest or "")
    expect(_rows(page)).to_have_count(PAGE_SIZE)


def test_an_unknown_order_address_says_so(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#orders/order_nope")
    expect(page.locator("#order-detail")).to_have_text("order order_nope was not found")
