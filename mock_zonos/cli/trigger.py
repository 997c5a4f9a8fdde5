"""`mock-zonos trigger TYPE`: fire an event at a running server and print the deliveries.

It talks to the server over HTTP (POST /_mock/trigger) with the standard
library only, so it starts fast and needs no event loop.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.faults import parse_fault_text
from ..domain.models import WebhookType
from .output import silence_stdout

DEFAULT_SERVER = "http://127.0.0.1:8787"
EXIT_DELIVERY_FAILED = 1
EXIT_REFUSED = 2
EXIT_UNREACHABLE = 3
# What the server accepts in one trigger (services/trigger_request.py says the same).
MAX_COUNT = 10_000


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_COUNT}, got {text!r}"
        )
    return count


def server_url(text: str) -> str:
    """The server's base URL; `127.0.0.1:8787` is read as http://127.0.0.1:8787."""
    url = text.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        raise argparse.ArgumentTypeError(
            f"must be the server's http URL, like {DEFAULT_SERVER}, got {text!r}"
        )
    return url


def add_trigger_parser(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "trigger",
        help="fire an event at a running mock-zonos",
        description="Fire an event at a running mock-zonos and print one line per delivery. "
        "Exit status: 0 when every first attempt succeeded, 1 when one failed (or, with "
        "--expect-delivery, when nothing was delivered), 2 when the request was refused, "
        "3 when the server could not be reached.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "type",
        metavar="TYPE",
        help="the WebhookType to fire: " + ", ".join(member.value for member in WebhookType),
    )
    parser.add_argument(
        "--order",
        metavar="ID",
        help="the order an ORDER_*, COLLECT_* or SHIPMENT_CREATED event acts on "
        "(default: a new one)",
    )
    parser.add_argument(
        "--shipment", metavar="ID", help="the shipment a SHIPMENT_CANCELED event voids"
    )
    parser.add_argument(
        "--status", metavar="STATUS", help="the OrderStatus ORDER_STATUS_CHANGED sets"
    )
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override one field of the sample, e.g. data.order.accountOrderNumber=A-1; "
        "VALUE is read as JSON when it parses (12, true, null, {...}), else as a string",
    )
    parser.add_argument(
        "--body", type=Path, metavar="FILE", help="send this JSON file as the whole body instead"
    )
    parser.add_argument("--webhook", metavar="ID", help="deliver only to this webhook")
    parser.add_argument(
        "--count",
        type=_count,
        default=1,
        metavar="N",
        help=f"fire N events (1 to {MAX_COUNT:,}), each with fresh ids (default: 1)",
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="return once queued, without the results"
    )
    parser.add_argument(
        "--fault",
        dest="faults",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="make the deliveries misbehave, e.g. duplicate=2, delay=0.5, staleTimestamp=600, "
        "badSignature=true; repeat it or separate with commas",
    )
    parser.add_argument(
        "--expect-delivery",
        action="store_true",
        help="exit 1 when no ENABLED webhook received the event (a mistyped token, say)",
    )
    parser.add_argument(
        "--server",
        type=server_url,
        default=os.environ.get("MOCK_ZONOS_SERVER", DEFAULT_SERVER),
        metavar="URL",
        help="the server's URL; http:// may be left out "
        "[env MOCK_ZONOS_SERVER; default: %(default)s]",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("MOCK_ZONOS_TOKEN"),
        metavar="TOKEN",
        help="act as this credential's organization; without it, every organization's "
        "webhooks of the type receive the event [env MOCK_ZONOS_TOKEN]",
    )
    parser.add_argument("--json", action="store_true", help="print the server's JSON answer")


def overrides_from(assignments: list[str]) -> dict[str, Any]:
    """`["data.order.x=1", "data.order.y=A"]` → {"data": {"order": {"x": 1, "y": "A"}}}."""
    overrides: dict[str, Any] = {}
    for assignment in assignments:
        path, separator, text = assignment.partition("=")
        keys = path.split(".")
        if not separator or not all(keys):
            raise ValueError(
                f"--set takes PATH=VALUE like data.order.status=OPEN, got {assignment!r}"
            )
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        target = overrides
        for key in keys[:-1]:
            target = target.setdefault(key, {})
            if not isinstance(target, dict):
                raise ValueError(
                    f"--set {assignment!r} goes inside {key!r}, which is already a value"
                )
        target[keys[-1]] = value
    return overrides


def _request_body(args: argparse.Namespace) -> dict[str, Any]:
    payload: dict[str, Any] = {"type": args.type, "wait": not args.no_wait, "count": args.count}
    if args.assignments:
        payload["overrides"] = overrides_from(args.assignments)
    if args.body is not None:
        payload["body"] = json.loads(args.body.read_text())
    for flag, field in (
        ("webhook", "webhookId"),
        ("order", "orderId"),
        ("shipment", "shipmentId"),
        ("status", "status"),
    ):
        if getattr(args, flag):
            payload[field] = getattr(args, flag)
    if args.faults:
        payload["faults"] = faults_from(args.faults)
    return payload


def faults_from(assignments: list[str]) -> dict[str, Any]:
    """`["duplicate=2", "delay=0.5,jitter=1"]` → {"duplicate": 2, "delay": 0.5, "jitter": 1}:
    the server checks the names and values."""
    faults: dict[str, Any] = {}
    for assignment in assignments:
        try:
            faults.update(parse_fault_text(assignment))
        except InvalidInput as exc:
            raise ValueError(f"--fault: {exc.message}") from None
    return faults


def _post(server: str, payload: dict[str, Any], token: str | None) -> tuple[int, dict[str, Any]]:
    # Imported here: urllib pulls in the email package, which `mock-zonos` serving never needs.
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json"}
    if token:
        headers["credentialToken"] = token
    request = urllib.request.Request(
        f"{server}/_mock/trigger",
        data=json.dumps(payload).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise OSError(f"the server answered HTTP {status} but not like mock-zonos")
    return status, answer


def run_trigger(args: argparse.Namespace) -> int:
    try:
        payload = _request_body(args)
    except (ValueError, OSError) as exc:
        print(f"mock-zonos trigger: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        status, answer = _post(args.server, payload, args.token)
    except OSError as exc:  # urllib's URLError is an OSError
        print(f"mock-zonos trigger: {_unreachable(args.server, exc)}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if status >= 400:
        print(f"mock-zonos trigger: {status}: {answer.get('error', answer)}", file=sys.stderr)
        return EXIT_REFUSED
    deliveries = answer["deliveries"]
    failed = any(d.get("error") for d in deliveries)
    missed = args.expect_delivery and not deliveries
    try:
        if args.json:
            print(json.dumps(answer, indent=2))
        else:
            _print_deliveries(answer)
    except BrokenPipeError:
        silence_stdout()  # the reader (`| head`) has what it wanted
    if not deliveries:
        _explain_no_delivery(answer, args.token)
    return EXIT_DELIVERY_FAILED if failed or missed else 0


def _unreachable(server: str, error: OSError) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, OSError) and reason.errno == errno.ECONNREFUSED:
        return (
            f"cannot reach {server}: connection refused. Is mock-zonos running? "
            "Start it with `mock-zonos`, or point --server at it."
        )
    return f"cannot reach {server}: {reason}"


def _explain_no_delivery(answer: dict[str, Any], token: str | None) -> None:
    caller = answer.get("caller")
    if caller is None or caller.get("fromFixtures"):
        return
    print(
        f"mock-zonos trigger: note: the token {token!r} is not one of the server's fixtures, "
        f"so it stands for an organization of its own ({caller['organizationId']}, "
        f"{caller['mode']}) with no webhooks but those it registered. Check --token or "
        "$MOCK_ZONOS_TOKEN.",
        file=sys.stderr,
    )


def _print_deliveries(answer: dict[str, Any]) -> None:
    deliveries = answer["deliveries"]
    about = "".join(
        f" ({name} {answer[field]})"
        for name, field in (("order", "orderId"), ("shipment", "shipmentId"))
        if field in answer
    )
    headline = f"{answer['type']} {answer['eventId']}{about}"
    if not deliveries:
        caller = answer.get("caller")
        whose = f" of {caller['organizationId']} ({caller['mode']})" if caller else ""
        print(f"{headline}: no ENABLED webhook{whose} subscribes to it")
        return
    noun = "delivery" if len(deliveries) == 1 else "deliveries"
    print(f"{headline}: {len(deliveries)} {noun}")
    for delivery in deliveries:
        if "logId" not in delivery:
            print(f"queued  {delivery['url']}")
            continue
        if delivery.get("held"):
            print(f"held    {delivery['url']}  (until POST /_mock/deliveries/release)")
            continue
        if delivery.get("delayedUntil"):
            print(f"delayed {delivery['url']}  (until {delivery['delayedUntil']})")
            continue
        status = delivery["responseStatus"] or "---"
        latency = delivery.get("latencyMs")
        took = f"{latency:8.1f} ms" if latency is not None else " " * 11
        error = f"  {delivery['error']}" if delivery["error"] else ""
        print(f"{status:<5} {took}  {delivery['url']}{error}")
