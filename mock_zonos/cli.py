"""The `mock-zonos` command: argv → Settings → a running server.

`mock-zonos` with no subcommand serves on 127.0.0.1:8787. Every serve flag
also reads an environment variable (MOCK_ZONOS_PORT and so on), which the
flag overrides.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .settings import DEFAULT_HOST, DEFAULT_PORT, Settings, parse_retry_delays
from .trigger_command import add_trigger_parser, run_trigger
from .validation import whole_number

EXIT_BAD_FIXTURES = 2
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MOCK_ZONOS_{name}", default)


def _env_flag(name: str) -> bool:
    return _env(name, "").lower() in ("1", "true", "yes", "on")


def _retry_delays(text: str) -> tuple[float, ...]:
    try:
        return parse_retry_delays(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _port(text: str) -> int:
    port = whole_number(text)
    if port is None or port > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return port


def _log_level(text: str) -> str:
    # A type, not `choices`: argparse checks choices against flags but not against
    # a default that comes from the environment.
    if text.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(LOG_LEVELS)}, got {text!r}")
    return text.upper()


def _whole_number(text: str) -> int:
    number = whole_number(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-zonos",
        description="A local, offline stand-in for the Zonos webhook GraphQL API. "
        "Without a subcommand it serves; `mock-zonos trigger --help` fires events.",
    )
    parser.add_argument("--host", default=_env("HOST", DEFAULT_HOST), help="address to bind")
    parser.add_argument(
        "--port",
        type=_port,
        default=_env("PORT", str(DEFAULT_PORT)),
        help="port to listen on; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=_env("FIXTURES", "") or None,
        help="a fixtures directory to load instead of the bundled one",
    )
    parser.add_argument(
        "--strict-auth",
        action="store_true",
        default=_env_flag("STRICT_AUTH"),
        help="refuse unknown credential tokens with 401 instead of provisioning them",
    )
    parser.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "INFO"),
        type=_log_level,
        help="DEBUG shows every delivery attempt, INFO the failed ones (default: %(default)s)",
    )
    parser.add_argument(
        "--delivery-timeout",
        type=_positive_float,
        default=_env("DELIVERY_TIMEOUT", "10"),
        help="seconds one delivery attempt may take (default: %(default)s)",
    )
    parser.add_argument(
        "--retry-delays",
        type=_retry_delays,
        default=_env("RETRY_DELAYS", "1,5,25"),
        help='seconds before each retry, comma-separated; "" for none (default: %(default)s)',
    )
    parser.add_argument(
        "--sign",
        action="store_true",
        default=_env_flag("SIGN"),
        help="sign deliveries with Standard Webhooks headers (webhook-id, -timestamp, -signature)",
    )
    parser.add_argument(
        "--max-logs",
        type=_whole_number,
        default=_env("MAX_LOGS", "100000"),
        help="delivery logs kept per organization and mode, oldest dropped first "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--delivery-concurrency",
        type=_whole_number,
        default=_env("DELIVERY_CONCURRENCY", "32"),
        help="attempts in flight at once per receiver URL (default: %(default)s)",
    )
    subcommands = parser.add_subparsers(dest="command", metavar="{trigger}")
    add_trigger_parser(subcommands)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings(
        host=args.host,
        port=args.port,
        fixtures=args.fixtures,
        strict_auth=args.strict_auth,
        log_level=args.log_level,
        delivery_timeout=args.delivery_timeout,
        retry_delays=args.retry_delays,
        sign=args.sign,
        max_logs=args.max_logs,
        delivery_concurrency=args.delivery_concurrency,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mock-zonos` console script and `python -m mock_zonos`."""
    args = build_parser().parse_args(argv)
    if args.command == "trigger":
        return run_trigger(args)
    return _serve(settings_from_args(args))


def _serve(settings: Settings) -> int:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from .errors import FixtureError
    from .runner import serve

    try:
        asyncio.run(serve(settings, on_listening=_announce))
    except FixtureError as exc:
        print(f"mock-zonos: bad fixtures: {exc}", file=sys.stderr)
        return EXIT_BAD_FIXTURES
    except OSError as exc:
        reason = exc.strerror or exc
        print(
            f"mock-zonos: cannot listen on {settings.host}:{settings.port}: {reason}",
            file=sys.stderr,
        )
        return 1
    return 0


def _announce(url: str) -> None:
    print(f"mock-zonos listening on {url}  (dashboard: {url}/, GraphQL: {url}/graphql)", flush=True)
