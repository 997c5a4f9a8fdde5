"""What a scenario checks, shaped for patterns: delivery logs and received requests.

A log item is the attempt as `GET /_mock/logs/<id>` shows it, plus `headers`
(the request headers by lower-case name), `json` (the request body parsed)
and `signature`: what a Standard Webhooks receiver would make of it at the
moment it arrived, `valid`, `stale` (timestamp more than 5 minutes from the
attempt's time), `invalid`, or `unsigned`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..delivery.signing import signature_headers
from ..testing.receiver import RecordedRequest

# Standard Webhooks' tolerance: a receiver refuses a timestamp further from its clock.
TOLERANCE_SECONDS = 5 * 60


def log_item(log: dict[str, Any], secrets: dict[str, str]) -> dict[str, Any]:
    headers = {item["key"].lower(): item["value"] for item in log["requestHeaders"]}
    item = dict(log)
    item["headers"] = headers
    item["json"] = _json(log["request"])
    item["signature"] = signature_verdict(log, headers, secrets.get(log["webhookId"]))
    return item


def request_item(request: RecordedRequest) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "headers": {key.lower(): value for key, value in request.headers.items()},
        "body": request.body.decode(errors="replace"),
        "json": request.json,
    }


def signature_verdict(log: dict[str, Any], headers: dict[str, str], secret: str | None) -> str:
    signatures = headers.get("webhook-signature")
    if signatures is None:
        return "unsigned"
    try:
        timestamp = int(headers["webhook-timestamp"])
        message_id = headers["webhook-id"]
    except (KeyError, ValueError):
        return "invalid"
    if secret is None:
        return "unknown"
    body = log["request"].encode()
    expected = signature_headers(secret, message_id, timestamp, body)["webhook-signature"]
    if expected not in signatures.split(" "):
        return "invalid"
    sent = datetime.fromisoformat(log["createdAt"]).timestamp()
    return "stale" if abs(sent - timestamp) > TOLERANCE_SECONDS else "valid"


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
