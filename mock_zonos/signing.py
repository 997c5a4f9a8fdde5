"""Standard Webhooks signatures (https://www.standardwebhooks.com), opt-in with --sign.

Zonos does not publish how it signs deliveries; mock-zonos signs the way the
Standard Webhooks libraries verify, so a receiver can be tested against them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def signature_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The webhook-id, webhook-timestamp and webhook-signature headers for one request."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = b"%s.%d.%s" % (message_id.encode(), timestamp, body)
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
