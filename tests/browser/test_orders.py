"""The dashboard's Orders view in a real browser: orders, their history and their deliveries."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
)

from playwright.sync_api import Locator, Page, expect

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import OTHER_ORG_TOKEN
from .conftest import Served

PAGE_SIZE = 20
SEEDED_ORDER = "order_c0ffee00-0000-4000-8000-00000000d001"  # TG-100917, COMPLETED
OTHER_ORG_ORDER = "order_decade00-0000-4000-8000-00000000d001"  # DC-2001, OPEN


def _rows(page: Page) -> Locator:
    return page.locator("#order-table tbody tr")


def _row(page: Page, order_id: str) -> Locator:
    return page.locator(f'#order-table tbody tr[data-id="{order_id}"]')


def _fact(page: Page, name: str) -> Locator:
    """A value of the open order's detail, such as "zonosOrderId"."""
    return page.locator(f'#order-detail dt:text-is("{name}") + dd')


def _order_status(served: Served, order_id: str) -> str:
    answer = served.post("/graphql", {"query": '{ order(orderId: "%s") { status } }' % order_id})
    status: str = answer["data"]["order"]["status"]
    return status


def test_an_order_created_then_canceled_from_the_form_lists_its_deliveries(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    served.create_webhook(receiver.url, "ORDER_CREATED")
    served.create_webhook(receiver.url, "ORDER_CANCELED")

    # 1. ORDER_CREATED without an orderId makes a new order; the answer links to it.
    page.goto(f"{served.url}/#trigger")
    trigger = page.locator("#trigger-form")
    expect(trigger.get_by_label("orderId")).to_have_value("")
    trigger.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result li")).to_contain_text("HTTP 200 · attempt 1")
    created = page.locator("#trigger-result p.about a")
    expect(created).to_have_text(re.compile(r"^order_"))
    order_id = created.inner_text()

    # 2. ORDER_CANCELED about that order, named in the orderId field.
    trigger.get_by_label("Type").select_option("ORDER_CANCELED")
    trigger.get_by_label("orderId").fill(order_id)
    trigger.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result")).to_contain_text("ORDER_CANCELED event")
    expect(page.locator("#trigger-result li")).to_contain_text("HTTP 200 · attempt 1")
    expect(page.locator("#trigger-result p.about a")).to_have_text(order_id)
    assert _order_status(served, order_id) == "CANCELED"

    # 3. The order is listed, canceled, above the seeded one.
    page.get_by_role("link", name="Orders", exact=True).click()
    expect(_rows(page)).to_have_count(2)
    expect(_rows(page).first).to_have_attribute("data-id", order_id)
    expect(_row(page, order_id).locator(".badge")).to_have_text("CANCELED")

    # 4. Open it: its history, items, parties and both deliveries, each a link.
    _row(page, order_id).click()
    expect(page).to_have_url(f"{served.url}/#orders/{order_id}")
    detail = page.locator("#order-detail")
    expect(_fact(page, "Order")).to_have_text(order_id)
    expect(detail.locator("table.history tbody tr .badge")).to_have_text(["OPEN", "CANCELED"])
    expect(detail.locator("table.items")).to_contain_text("Merino Wool Crew Sweater - Navy")
    expect(detail.locator(".party")).to_contain_text(["ORIGIN", "DESTINATION"])
    deliveries = detail.locator("table.deliveries tbody a")
    expect(deliveries).to_have_text(["ORDER_CANCELED", "ORDER_CREATED"])

    # 5. Follow a delivery to its attempt, and from the attempt back to the order.
    deliveries.last.click()
    expect(page).to_have_url(re.compile(r"#deliveries/webhook_log_"))
    log = page.locator("#log-detail")
    expect(log.locator("h2")).to_have_text("ORDER_CREATED")
    expect(log.locator("pre.request-body")).to_contain_text(f'"id": "{order_id}"')
    log.get_by_role("link", name=order_id).click()
    expect(page).to_have_url(f"{served.url}/#orders/{order_id}")
    expect(page.locator("#panel-orders")).to_be_visible()
    expect(deliveries).to_have_count(2)

    # 6. And the browser's Back returns to the attempt.
    page.go_back()
    expect(page.locator("#panel-deliveries")).to_be_visible()
    expect(log.locator("h2")).to_have_text("ORDER_CREATED")


def test_order_values_are_shown_as_text_never_as_html(page: Page, served: Served) -> None:
    script = "<script>window.__xss = 'script'</script>"
    image = "<img src=x onerror=window.__xss='img'>"
    overrides = {
        "data": {
            "order": {
                "accountOrderNumber": script + image,
                "items": [{"name": image, "sku": script, "quantity": 1, "amount": 1.5}],
            }
        }
    }
    page.goto(f"{served.url}/#trigger")
    page.get_by_label("Overrides").fill(json.dumps(overrides))
    page.get_by_role("button", name="Fire").click()
    page.locator("#trigger-result p.about a").click()

    expect(page.locator("#order-detail h2")).to_have_text(script + image)
    expect(_fact(page, "Account order number")).to_have_text(script + image)
    expect(page.locator("#order-detail table.items tbody td").first).to_have_text(image)
    expect(_rows(page).first.locator("td").nth(1)).to_have_text(script + image)
    page.locator("#order-detail details.raw summary").click()
    expect(page.locator("#order-detail details.raw pre")).to_contain_text(json.dumps(image))
    assert page.evaluate("window.__xss") is None
    assert page.locator("main script, main img").count() == 0


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


def test_an_order_of_another_organization_opened_by_its_address_stays_current(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    mutation = "mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { id } }"
    webhook = {"url": receiver.url, "type": "ORDER_CANCELED", "status": "ENABLED"}
    served.post("/graphql", {"query": mutation, "variables": {"input": webhook}}, OTHER_ORG_TOKEN)
    page.goto(f"{served.url}/#orders/{OTHER_ORG_ORDER}")
    expect(page.locator("#order-detail h2")).to_have_text("DC-2001")

    served.post("/_mock/trigger", {"type": "ORDER_CANCELED", "orderId": OTHER_ORG_ORDER}, None)
    expect(page.locator("#order-detail .detail-head .badge")).to_have_text("CANCELED")
    expect(page.locator("#order-detail table.deliveries tbody a")).to_have_text(["ORDER_CANCELED"])
    expect(_rows(page)).to_have_count(1)  # the list still shows the chosen credential's only
    expect(_row(page, SEEDED_ORDER)).to_be_visible()


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


def test_the_trigger_form_asks_for_the_subject_its_type_takes(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#trigger")
    trigger = page.locator("#trigger-form")
    subject = page.locator("#trigger-subject")
    type_picker = trigger.get_by_label("Type")

    type_picker.select_option("INVENTORY_CHECK")
    expect(subject).to_be_hidden()
    type_picker.select_option("SHIPMENT_CANCELED")
    expect(trigger.get_by_label("shipmentId")).to_be_visible()
    expect(trigger.get_by_label("orderId")).to_be_hidden()

    type_picker.select_option("ORDER_STATUS_CHANGED")
    expect(trigger.get_by_label("orderId")).to_be_visible()
    expect(trigger.get_by_label("shipmentId")).to_be_hidden()
    trigger.get_by_label("orderId").fill("order_nope")
    trigger.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result")).to_have_text(
        "Refused: order order_nope was not found in this organization and mode"
    )

    trigger.get_by_label("orderId").fill(SEEDED_ORDER)
    subject.locator("select[name=status]").select_option("HOLD")
    trigger.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result p.about a")).to_have_text(SEEDED_ORDER)
    assert _order_status(served, SEEDED_ORDER) == "HOLD"


def test_an_unknown_order_address_says_so(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#orders/order_nope")
    expect(page.locator("#order-detail")).to_have_text("order order_nope was not found")
