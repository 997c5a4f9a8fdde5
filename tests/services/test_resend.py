"""Resending a logged attempt."""

from __future__ import annotations

from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL


async def test_resend_repeats_the_body_with_the_same_event_id(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=[500, 200])
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    await receiver.await_for(2)
    first_log = answer["deliveries"][0]["logId"]
    response = await gql.client.post(f"/_mock/logs/{first_log}/resend")
    resent = await response.json()
    assert response.status == 200
    assert resent["eventId"] == answer["eventId"]
    assert resent["deliveries"][0]["attempt"] == 3
    original, _, again = await receiver.await_for(3)
    assert again.body == original.body
    assert again.headers["X-Mock-Zonos-Event-Id"] == answer["eventId"]
    assert again.headers["X-Mock-Zonos-Attempt"] == "3"
    missing = await gql.client.post("/_mock/logs/webhook_log_nope/resend")
    assert missing.status == 404
    assert "webhook_log_nope" in (await missing.json())["error"]
