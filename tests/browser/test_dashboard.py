"""The dashboard in a real browser: register, trigger, inspect and resend without curl."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
)

from playwright.sync_api import Locator, Page, Request, expect

from mock_zonos.domain.clock import utc_now
from mock_zonos.domain.ids import new_id
from mock_zonos.domain.models import Delivery, Event
from mock_zonos.keys import BACKEND
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN
from .conftest import ARTIFACTS, Served

PAGE_SIZE = 20


def _fact(page: Page, name: str) -> Locator:
    """A value of the open attempt's detail, such as "Event" or "Attempt"."""
    return page.locator(f'#log-detail dt:text-is("{name}") + dd')


def _rows(page: Page) -> Locator:
    return page.locator("#log-table tbody tr")


def _requests_to(page: Page, fragment: str) -> list[str]:
    """The URLs containing `fragment` that the page requests from now on."""
    seen: list[str] = []

    def record(request: Request) -> None:
        if fragment in request.url:
            seen.append(request.url)

    page.on("request", record)
    return seen


def test_register_trigger_inspect_and_resend_without_curl(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(200, body='{"received": true}')
    hook_url = f"{receiver.url}/webhooks/zonos"

    # 1. Open the page.
    page.goto(served.url)
    expect(page.locator("#live")).to_have_text("● live")
    expect(page.locator("#scope")).to_have_value(DEFAULT_TOKEN)

    # 2. Register a webhook pointing at the receiver, through the form.
    page.get_by_role("link", name="Webhooks").click()
    form = page.locator("#webhook-form")
    form.get_by_label("URL").fill(hook_url)
    form.get_by_label("Type").select_option("ORDER_CREATED")
    form.get_by_role("button", name="Create").click()
    expect(form.locator(".form-result")).to_contain_text("Created webhook_")
    expect(page.locator("#webhook-table tbody tr", has_text=hook_url)).to_contain_text("ENABLED")

    # 3. Fire ORDER_CREATED with an override.
    page.get_by_role("link", name="Trigger").click()
    trigger = page.locator("#trigger-form")
    trigger.get_by_label("Type").select_option("ORDER_CREATED")
    expect(page.locator("#trigger-sample")).to_contain_text('"accountOrderNumber": "TG-')
    trigger.get_by_label("Overrides").fill('{"data": {"order": {"accountOrderNumber": "A-1"}}}')
    listings = _requests_to(page, "/_mock/logs?")
    trigger.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result li")).to_contain_text("HTTP 200 · attempt 1")

    # 4. The attempt is in the deliveries table, brought by the stream, not by a reload.
    page.get_by_role("link", name="Deliveries").click()
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("ORDER_CREATED")
    expect(_rows(page).first.locator(".badge")).to_have_text("200")
    assert listings == []

    # 5. Open it: the request body as sent, the headers, the response.
    _rows(page).first.click()
    expect(page.locator("#log-detail pre.request-body")).to_contain_text(
        '"accountOrderNumber": "A-1"'
    )
    expect(page.locator("#log-detail table.headers")).to_contain_text("X-Mock-Zonos-Event-Id")
    expect(page.locator("#log-detail pre.response-body")).to_have_text('{\n  "received": true\n}')
    event_id = _fact(page, "Event").inner_text()
    assert event_id.startswith("event_")

    # 6. Resend it.
    page.locator("#log-detail").get_by_role("button", name="Resend").click()
    expect(page.locator("#log-detail .form-result")).to_contain_text("Resent: HTTP 200 · attempt 2")

    # 7. A second attempt arrives, of the same event.
    expect(_rows(page)).to_have_count(2)
    _rows(page).first.click()
    expect(_fact(page, "Attempt")).to_have_text("2")
    expect(_fact(page, "Event")).to_have_text(event_id)
    first, second = receiver.wait_for(2)
    assert first.headers["X-Mock-Zonos-Event-Id"] == second.headers["X-Mock-Zonos-Event-Id"]
    assert second.json == first.json

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard.png")


def test_payload_values_are_shown_as_text_never_as_html(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(200, body="<script>window.__xss = 'response'</script>")
    hook_url = f"{receiver.url}/<img/src=x/onerror=window.__xss='url'>"
    served.create_webhook(hook_url)
    override = "<script>window.__xss = 'override'</script><img src=x onerror=window.__xss='img'>"

    page.goto(f"{served.url}/#trigger")
    page.get_by_label("Overrides").fill(
        '{"data": {"order": {"accountOrderNumber": %s}}}' % json.dumps(override)
    )
    page.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result li")).to_contain_text(hook_url)
    page.locator("#trigger-result").get_by_role("link", name="Inspect").click()

    detail = page.locator("#log-detail")
    expect(detail.locator("pre.request-body")).to_contain_text(override)
    expect(detail.locator("pre.response-body")).to_have_text(
        "<script>window.__xss = 'response'</script>"
    )
    expect(_fact(page, "URL")).to_have_text(hook_url)
    expect(_rows(page).first.locator("td.url")).to_have_text(hook_url)
    page.get_by_role("link", name="Webhooks").click()
    expect(page.locator("#webhook-table td.url", has_text="onerror")).to_have_text(hook_url)
    assert page.evaluate("window.__xss") is None
    assert page.locator("main script, main img").count() == 0


def test_reset_asks_first_then_returns_to_the_fixtures(page: Page, served: Served) -> None:
    served.create_webhook("https://example.com/added-by-the-test")
    page.goto(f"{served.url}/#webhooks")
    added = page.locator("#webhook-table tbody tr", has_text="added-by-the-test")
    expect(added).to_have_count(1)
    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Reset to fixtures").click()
    assert questions and questions[0].startswith("Reset to the fixtures?")
    expect(page.locator("#banner")).to_be_hidden()
    webhooks = served.post("/graphql", {"query": "{ webhooks { totalCount } }"})
    assert webhooks["data"]["webhooks"]["totalCount"] == 2

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset to fixtures").click()
    expect(page.locator("#banner")).to_have_text("Reset to the fixtures.")
    expect(added).to_have_count(0)
    expect(page.locator("#webhook-table tbody tr")).to_have_count(1)


def test_enable_and_disable_from_the_table(page: Page, served: Served) -> None:
    webhook = served.create_webhook("https://example.com/toggled")
    page.goto(f"{served.url}/#webhooks")
    row = page.locator("#webhook-table tbody tr", has_text=webhook["id"])
    row.get_by_role("button", name="Disable").click()
    expect(row.locator(".badge")).to_have_text("DISABLED")
    query = {"query": '{ webhook(id: "%s") { status } }' % webhook["id"]}
    assert served.post("/graphql", query)["data"]["webhook"]["status"] == "DISABLED"
    row.get_by_role("button", name="Enable").click()
    expect(row.locator(".badge")).to_have_text("ENABLED")
    assert served.post("/graphql", query)["data"]["webhook"]["status"] == "ENABLED"


def test_bad_input_is_answered_inline_and_the_page_goes_on(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#webhooks")
    form = page.locator("#webhook-form")
    form.get_by_label("URL").fill("not a url")
    form.get_by_role("button", name="Create").click()
    expect(form.locator(".form-result")).to_contain_text('Invalid value for "input.url"')

    page.get_by_role("link", name="Trigger").click()
    sent = _requests_to(page, "/_mock/trigger")
    overrides = page.get_by_label("Overrides")
    overrides.fill('{"data": ')
    expect(page.locator("#trigger-validation")).to_contain_text("Overrides are not valid JSON")
    page.get_by_role("button", name="Fire").click()
    overrides.fill("[1, 2]")
    expect(page.locator("#trigger-validation")).to_contain_text("must be a JSON object")
    page.get_by_role("button", name="Fire").click()
    assert sent == []

    page.goto(f"{served.url}/#deliveries/webhook_log_nope")
    expect(page.locator("#log-detail")).to_have_text("log webhook_log_nope was not found")

    page.get_by_role("link", name="Trigger").click()
    page.get_by_label("Overrides").fill("{}")
    page.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result")).to_contain_text("nothing was sent")


def test_the_filters_pick_failed_or_successful_attempts(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    served.create_webhook(receiver.url)
    served.create_webhook("http://127.0.0.1:1/refused")
    served.post("/_mock/trigger", {"type": "ORDER_CREATED"})
    page.goto(served.url)
    # One success, and a refusal tried three times (two quick retries).
    expect(_rows(page)).to_have_count(4)
    page.locator("#log-status").select_option("failed")
    expect(_rows(page)).to_have_count(3)
    expect(_rows(page).locator(".badge", has_text="error")).to_have_count(3)
    page.locator("#log-status").select_option("success")
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).locator(".badge")).to_have_text("200")
    page.locator("#log-type").select_option("SHIPMENT_CREATED")
    expect(_rows(page)).to_have_count(0)
    expect(page.locator("#log-empty")).to_be_visible()


def test_the_query_console_runs_graphql_as_the_chosen_token(page: Page, served: Served) -> None:
    served.create_webhook("https://example.com/for-the-console")
    page.goto(f"{served.url}/#console")
    console = page.locator("#console-form")
    expect(console.get_by_label("credentialToken")).to_have_value(DEFAULT_TOKEN)
    console.get_by_role("button", name="Run").click()
    expect(page.locator("#console-result")).to_contain_text('"totalCount": 2')
    expect(page.locator("#console-result")).to_contain_text("https://example.com/for-the-console")
    expect(page.locator("#schema-reference")).to_contain_text(
        "webhookCreate(input: WebhookCreateInput!): Webhook"
    )
    console.get_by_label("Query").fill("{ nope }")
    console.get_by_role("button", name="Run").click()
    expect(page.locator("#console-result")).to_contain_text("HTTP 400")
    expect(page.locator("#console-result")).to_contain_text("Cannot query field 'nope'")


def test_help_links_open_the_readme_section_offline(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#trigger")
    page.get_by_role("link", name="Firing events").click()
    text = page.locator("#docs-text")
    expect(text).to_contain_text("## Firing events\n\n### `POST /_mock/trigger`")
    page.locator("#docs-toc").get_by_role("link", name="Configuration").click()
    expect(text).to_contain_text("| `--port`")


def test_ten_thousand_attempts_page_by_cursor_and_the_table_stays_bounded(
    page: Page, served: Served
) -> None:
    webhook = served.create_webhook("https://example.com/busy")
    served.loop.run(_record_attempts(served, webhook["id"], 10_000))
    page.goto(served.url)
    expect(_rows(page)).to_have_count(PAGE_SIZE)
    newest = _rows(page).first.get_attribute("data-id")
    for _ in range(3):
        last = _rows(page).last.get_attribute("data-id")
        page.get_by_role("button", name="Older →").click()
        expect(_rows(page).first).not_to_have_attribute("data-id", last or "")
        expect(_rows(page)).to_have_count(PAGE_SIZE)
    page.get_by_role("button", name="Newest").click()
    expect(_rows(page).first).to_have_attribute("data-id", newest or "")

    # A burst of live attempts replaces rows instead of adding them.
    served.loop.run(_record_attempts(served, webhook["id"], 300))
    newest_recorded = served.loop.run(_newest_log_id(served))
    expect(_rows(page).first).to_have_attribute("data-id", newest_recorded)
    expect(_rows(page)).to_have_count(PAGE_SIZE)


async def _record_attempts(served: Served, webhook_id: str, count: int) -> None:
    """Attempts straight into the store: as the delivery engine records them, minus the HTTP."""
    store = served.app[BACKEND].store
    webhook = store.find_webhook(webhook_id)
    assert webhook is not None
    for number in range(count):
        now = utc_now()
        event = Event(new_id("event"), webhook.type, b'{"data": {}}', now)
        store.record_attempt(
            webhook,
            Delivery(event, webhook.id),
            attempt=1,
            url=webhook.url,
            created_at=now,
            response="",
            response_status=500 if number % 7 == 0 else 200,
            latency_ms=1.5,
        )


async def _newest_log_id(served: Served) -> str:
    store = served.app[BACKEND].store
    (log,) = store.tenant_of(store.authenticate(DEFAULT_TOKEN)).newest_logs(1)
    return log.id
