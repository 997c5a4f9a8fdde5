"""Standard Webhooks signatures (https://www.standardwebhooks.com), opt-in with --sign.

This is the one home of the secret format, `whsec_` and base64 of random
bytes: made here for every new webhook, checked here for fixtures, used here
to sign. Zonos does not publish how it signs deliveries; mock-zonos signs the
way the Standard Webhooks libraries verify, so a receiver can be tested
against them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from ..domain.errors import InvalidInput

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# The shortest key the Standard Webhooks libraries accept.
MIN_SECRET_BYTES = 24


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def check_secret(secret: str, field: str) -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of at least 24 bytes."""
    key = b""
    if secret.startswith(SECRET_PREFIX):
        try:
            key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
        except (binascii.Error, ValueError):
            key = b""
    if len(key) < MIN_SECRET_BYTES:
        raise InvalidInput(
            f'Invalid value for "{field}": a secret is {SECRET_PREFIX} followed by the base64 of '
            f"{MIN_SECRET_BYTES} or more random bytes"
        )
    return secret


def signature_headers(
    secret: str, message_id: str, timestamp: int, body: bytes, *, forged: bool = False
) -> dict[str, str]:
    """The webhook-id, webhook-timestamp and webhook-signature headers for one request.

    A `forged` signature has the right form (`v1,` and the base64 of 32 bytes)
    but never verifies: every bit of the true one is flipped.
    """
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = b"%s.%d.%s" % (message_id.encode(), timestamp, body)
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    if forged:
        digest = bytes(byte ^ 0xFF for byte in digest)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
