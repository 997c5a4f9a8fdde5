"""The dashboard's controls for what breaks receivers: held deliveries, the clock, copies."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
)

from playwright.sync_api import Locator, Page, expect

from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from .conftest import Served


def _rows(page: Page) -> Locator:
    return page.locator("#log-table tbody tr")


def test_hold_then_release_in_reverse_from_the_deliveries_panel(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    served.create_webhook(f"{receiver.url}/created", "ORDER_CREATED")
    served.create_webhook(f"{receiver.url}/updated", "ORDER_UPDATED")
    page.goto(served.url)
    held = page.locator("#held-count")
    expect(held).to_have_text("0")
    expect(page.get_by_role("button", name="Reverse")).to_be_disabled()

    page.get_by_role("button", name="Hold new deliveries").click()
    expect(page.locator("#holding-state")).to_have_text("holding new deliveries")
    expect(page.get_by_role("button", name="Hold new deliveries")).to_be_disabled()
    served.post("/_mock/trigger", {"type": "ORDER_CREATED"})
    served.post("/_mock/trigger", {"type": "ORDER_UPDATED"})
    # The count follows the stream's "held" signal, without a reload.
    expect(held).to_have_text("2")
    assert receiver.requests == []

    page.get_by_role("button", name="Reverse").click()
    expect(page.locator("#log-notice")).to_have_text(
        "Released 2 deliveries (reverse); deliveries go out as usual again."
    )
    expect(held).to_have_text("0")
    expect(page.locator("#holding-state")).to_have_text("delivering as usual")
    # Newest first: the creation, sent last, on top of the update.
    expect(_rows(page)).to_have_count(2)
    expect(_rows(page).nth(0)).to_contain_text("ORDER_CREATED")
    expect(_rows(page).nth(1)).to_contain_text("ORDER_UPDATED")
    assert [request.path for request in receiver.requests] == ["/updated", "/created"]


def test_duplicate_copies_are_marked_and_lead_to_their_original(
    page: Page, served: Served, receiver: WebhookReceiver
) -> None:
    served.create_webhook(receiver.url)
    page.goto(f"{served.url}/#trigger")
    page.get_by_label("Faults").fill('{"duplicate": 2}')
    page.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result li")).to_contain_text("HTTP 200 · attempt 1")

    page.get_by_role("link", name="Deliveries").click()
    expect(_rows(page)).to_have_count(2)
    copy, original = _rows(page).nth(0), _rows(page).nth(1)
    expect(copy.locator(".badge.copy")).to_have_text("copy")
    expect(original.locator(".badge.copy")).to_have_count(0)
    copy.click()
    link = page.locator('#log-detail dt:text-is("Duplicate of") + dd a')
    original_id = original.get_attribute("data-id") or ""
    expect(link).to_have_text(original_id)
    link.click()
    expect(page.locator('#log-detail dt:text-is("Log") + dd')).to_have_text(original_id)
    expect(page.locator('#log-detail dt:text-is("Duplicate of")')).to_have_count(0)


def test_bad_faults_are_refused_before_anything_is_sent(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/#trigger")
    page.get_by_label("Faults").fill("[2]")
    expect(page.locator("#trigger-validation")).to_have_text(
        'Faults must be a JSON object, like {"duplicate": 2}'
    )
    page.get_by_label("Faults").fill('{"dupe": 2}')
    page.get_by_role("button", name="Fire").click()
    expect(page.locator("#trigger-result")).to_contain_text(
        "Refused: unknown fault 'dupe'; the faults are duplicate"
    )


def test_a_real_clock_shows_no_advance(page: Page, served: Served) -> None:
    page.goto(served.url)
    expect(page.locator("#clock-mode")).to_have_text("real")
    expect(page.locator("#clock-now")).not_to_be_empty()
    expect(page.locator("#clock-advance")).to_be_hidden()


class TestVirtualClock:
    @pytest.fixture
    def served_settings(self) -> Settings:
        return Settings(port=0, clock="virtual", retry_delays=(3600.0,))

    def test_advance_moves_the_clock_and_runs_a_retry(
        self, page: Page, served: Served, receiver: WebhookReceiver
    ) -> None:
        receiver.respond_with(status=[503, 200])
        served.create_webhook(receiver.url)
        page.goto(served.url)
        expect(page.locator("#clock-mode")).to_have_text("virtual")
        now = page.locator("#clock-now")
        start = served.get("/_mock/clock")["now"]
        expect(now).to_have_text(start)
        served.post("/_mock/trigger", {"type": "ORDER_CREATED"})
        expect(_rows(page)).to_have_count(1)

        page.get_by_label("Seconds to advance the virtual clock by").fill("3600")
        page.get_by_role("button", name="Advance").click()
        expect(page.locator("#banner")).to_contain_text("1 timer fired")
        expect(_rows(page)).to_have_count(2)
        expect(_rows(page).first.locator(".badge")).to_have_text("200")
        moved = served.get("/_mock/clock")["now"]
        expect(now).to_have_text(moved)
        assert moved != start
        # Someone else moving the clock shows too, through the stream.
        served.post("/_mock/clock/advance", {"seconds": 60})
        expect(now).not_to_have_text(moved)
