"""The webhook receiver on a loop it was given: started and stopped there, the loop left running."""

from __future__ import annotations

import urllib.request

from mock_zonos.testing.background import BackgroundLoop
from mock_zonos.testing.receiver import WebhookReceiver


def _post(url: str) -> None:
    request = urllib.request.Request(url, b'{"n": 1}', {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def test_receivers_on_a_given_loop_serve_in_turn_and_leave_it_running() -> None:
    loop = BackgroundLoop("shared-receivers")
    loop.start()
    try:
        with WebhookReceiver(loop=loop) as first:
            _post(first.url + "/first")
            assert [r.path for r in first.wait_for(1)] == ["/first"]
        assert loop.running, "a receiver stops only the loop it started"
        with WebhookReceiver(loop=loop) as second:
            assert second.requests == []
            _post(second.url + "/second")
            assert [r.path for r in second.wait_for(1)] == ["/second"]
    finally:
        loop.stop()
