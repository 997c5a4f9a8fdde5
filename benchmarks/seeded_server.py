"""mock-zonos with N delivery logs already stored, for the log-paging row.

Usage: python seeded_server.py N. Prints `<url> <token> <cursor>` once
listening: a credential token and a webhookLogs cursor from the middle of
the N logs. Serves until SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from mock_zonos.app import create_app
from mock_zonos.domain.clock import utc_now
from mock_zonos.domain.ids import new_id
from mock_zonos.domain.models import Delivery, Event, WebhookStatus, WebhookType
from mock_zonos.domain.store import LOG_CURSORS
from mock_zonos.keys import BACKEND
from mock_zonos.runner import AppServer
from mock_zonos.settings import Settings

TOKEN = "credential_test_benchmark-paging"


async def serve(count: int) -> None:
    app = create_app(Settings(port=0, log_level="WARNING"))
    store = app[BACKEND].store
    caller = store.authenticate(TOKEN)
    webhook = store.create_webhook(
        caller,
        url="http://127.0.0.1:9/hook",
        type=WebhookType.ORDER_CREATED,
        status=WebhookStatus.ENABLED,
    )
    middle = None
    for index in range(count):
        body = b'{"data": {"order": {"id": "order_%d"}}}' % index
        event = Event(new_id("event"), WebhookType.ORDER_CREATED, body, utc_now())
        log = store.record_attempt(
            webhook,
            Delivery(event, webhook.id),
            attempt=1,
            url=webhook.url,
            created_at=event.created_at,
            response='{"ok": true}',
            response_status=200,
        )
        if index == count // 2:
            middle = log
    assert middle is not None
    server = AppServer(app, "127.0.0.1", 0)
    url = await server.start()
    print(url, TOKEN, LOG_CURSORS.encode(middle.seq), flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.stop()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
