"""Standard Webhooks signing: what a receiver verifies with the standardwebhooks package."""

from __future__ import annotations

import pytest
import standardwebhooks

from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL


class TestSigning:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, sign=True, retry_delays=(0.01,))

    async def test_a_signed_delivery_verifies_with_standardwebhooks(
        self, gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        receiver.respond_with(status=[500, 200])
        webhook = await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED")
        first, retry = await receiver.await_for(2)
        verifier = standardwebhooks.Webhook(webhook["secret"])
        for request in (first, retry):
            payload = verifier.verify(request.body, dict(request.headers))
            assert payload["data"]["order"]["id"].startswith("order_")
            assert request.headers["webhook-id"] == answer["eventId"]
        with pytest.raises(standardwebhooks.WebhookVerificationError):
            verifier.verify(first.body + b" ", dict(first.headers))
