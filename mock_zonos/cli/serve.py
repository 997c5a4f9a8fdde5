"""`mock-zonos` serving: flags (each also an environment variable) → Settings → a server.

Every flag reads a `MOCK_ZONOS_*` variable as its default, which the flag
overrides.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.clock import CLOCK_MODES, ClockMode
from ..domain.errors import InvalidInput
from ..domain.faults import NO_FAULTS, Faults, parse_fault_text, parse_faults
from ..domain.validation import whole_number
from ..settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ZONOS_BUCKET_POINTS,
    ZONOS_REFILL_POINTS,
    Settings,
    parse_retry_delays,
)
from .output import silence_stdout

if TYPE_CHECKING:
    from ..fixtures import Fixtures

# Bad fixtures or a bad MOCK_ZONOS_EXECUTOR: nothing was started.
EXIT_BAD_SETUP = 2
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
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
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


def _faults(text: str) -> Faults:
    try:
        return parse_faults(parse_fault_text(text)).applied_to(NO_FAULTS)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _clock(text: str) -> ClockMode:
    for mode in CLOCK_MODES:
        if text.lower() == mode:
            return mode
    raise argparse.ArgumentTypeError(f"must be one of {', '.join(CLOCK_MODES)}, got {text!r}")


def _whole_number(text: str) -> int:
    number = whole_number(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return number


def _help(text: str, variable: str) -> str:
    """A flag's help: what it does, the variable that sets it, and its default."""
    return f"{text} [env MOCK_ZONOS_{variable}; default: %(default)s]"


def _flag_help(text: str, variable: str) -> str:
    return f"{text} [env MOCK_ZONOS_{variable}=1]"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=_env("HOST", DEFAULT_HOST),
        help=_help("address to bind; off loopback, any Host name is answered", "HOST"),
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=_env("PORT", str(DEFAULT_PORT)),
        help=_help("port to listen on; 0 picks a free one", "PORT"),
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=_env("FIXTURES", "") or None,
        metavar="DIR",
        help=_help("a fixtures directory to load instead of the bundled one", "FIXTURES"),
    )
    parser.add_argument(
        "--strict-auth",
        action="store_true",
        default=_env_flag("STRICT_AUTH"),
        help=_flag_help(
            "refuse unknown credential tokens with 401 instead of giving each an "
            "organization of its own",
            "STRICT_AUTH",
        ),
    )
    parser.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "INFO"),
        type=_log_level,
        metavar="{" + ",".join(LOG_LEVELS) + "}",
        help=_help("DEBUG shows every delivery attempt, INFO the failed ones", "LOG_LEVEL"),
    )
    parser.add_argument(
        "--delivery-timeout",
        type=_positive_float,
        default=_env("DELIVERY_TIMEOUT", "10"),
        metavar="SECONDS",
        help=_help("seconds one delivery attempt may take", "DELIVERY_TIMEOUT"),
    )
    parser.add_argument(
        "--retry-delays",
        type=_retry_delays,
        default=_env("RETRY_DELAYS", "1,5,25"),
        metavar="SECONDS,...",
        help=_help('seconds before each retry, comma-separated; "" for none', "RETRY_DELAYS"),
    )
    parser.add_argument(
        "--sign",
        action="store_true",
        default=_env_flag("SIGN"),
        help=_flag_help(
            "sign deliveries with Standard Webhooks headers (webhook-id, -timestamp, -signature)",
            "SIGN",
        ),
    )
    parser.add_argument(
        "--max-logs",
        type=_whole_number,
        default=_env("MAX_LOGS", "100000"),
        metavar="N",
        help=_help(
            "delivery logs kept per organization and mode, oldest dropped first", "MAX_LOGS"
        ),
    )
    parser.add_argument(
        "--max-orders",
        type=_whole_number,
        default=_env("MAX_ORDERS", "10000"),
        help="orders kept per organization and mode, and as many shipments, oldest dropped "
        "first (default: %(default)s)",
    )
    parser.add_argument(
        "--delivery-concurrency",
        type=_whole_number,
        default=_env("DELIVERY_CONCURRENCY", "32"),
        metavar="N",
        help=_help("attempts in flight at once per receiver URL", "DELIVERY_CONCURRENCY"),
    )
    _add_cost_arguments(parser)


def _add_cost_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-query-cost",
        type=_whole_number,
        default=_env("MAX_QUERY_COST", "") or None,
        metavar="POINTS",
        help=_help(
            "the most a GraphQL request may cost, in Zonos points; None means the bucket size",
            "MAX_QUERY_COST",
        ),
    )
    parser.add_argument(
        "--rate-limit",
        action="store_true",
        default=_env_flag("RATE_LIMIT"),
        help=_flag_help(
            "emulate Zonos' rate limit: each request's cost comes out of its credential's "
            "points bucket, and an empty bucket answers 429 with Retry-After",
            "RATE_LIMIT",
        ),
    )
    parser.add_argument(
        "--rate-limit-points",
        type=_whole_number,
        default=_env("RATE_LIMIT_POINTS", str(ZONOS_BUCKET_POINTS)),
        metavar="POINTS",
        help=_help("the size of each credential's bucket", "RATE_LIMIT_POINTS"),
    )
    parser.add_argument(
        "--rate-limit-refill",
        type=_positive_float,
        default=_env("RATE_LIMIT_REFILL", f"{ZONOS_REFILL_POINTS:g}"),
        metavar="POINTS",
        help=_help("points each bucket gets back every second", "RATE_LIMIT_REFILL"),
    )
    parser.add_argument(
        "--faults",
        type=_faults,
        default=_env("FAULTS", ""),
        metavar="NAME=VALUE,…",
        help="how every delivery misbehaves unless a trigger says otherwise, e.g. "
        "duplicate=2,delay=0.5; the faults: duplicate, delay, jitter, seed, "
        "staleTimestamp, badSignature (the last two need --sign)",
    )
    parser.add_argument(
        "--clock",
        type=_clock,
        default=_env("CLOCK", "real"),
        help="real, or virtual: a clock that moves only through POST /_mock/clock/advance, "
        "which retries, delays and every timestamp follow (default: %(default)s)",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The Settings the flags ask for; a ValueError when they contradict each other."""
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
        max_orders=args.max_orders,
        delivery_concurrency=args.delivery_concurrency,
        faults=args.faults,
        clock=args.clock,
        max_query_cost=args.max_query_cost,
        rate_limit=args.rate_limit,
        rate_limit_points=args.rate_limit_points,
        rate_limit_refill=args.rate_limit_refill,
    )


def run_server(settings: Settings) -> int:
    """Serve until SIGINT or SIGTERM; the exit status."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # asyncio's own DEBUG lines ("Using selector: EpollSelector") say nothing about mock-zonos.
    logging.getLogger("asyncio").setLevel(
        max(logging.INFO, logging.getLevelName(settings.log_level))
    )
    from ..domain.errors import FixtureError
    from ..fixtures import load_fixtures

    # Before the server's own imports: a bad fixture is reported at once.
    try:
        fixtures = load_fixtures(settings.fixtures)
    except FixtureError as exc:
        print(f"mock-zonos: bad fixtures: {exc}", file=sys.stderr)
        return EXIT_BAD_SETUP
    try:
        asyncio.run(serve(settings, fixtures, on_listening=_announce))
    except ValueError as exc:  # a bad MOCK_ZONOS_EXECUTOR
        print(f"mock-zonos: {exc}", file=sys.stderr)
        return EXIT_BAD_SETUP
    except OSError as exc:
        print(f"mock-zonos: {_listen_problem(settings, exc)}", file=sys.stderr)
        return 1
    return 0


def _listen_problem(settings: Settings, error: OSError) -> str:
    where = f"{settings.host}:{settings.port}"
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {settings.port} is in use on {settings.host} (another mock-zonos?): stop "
            "that server, or choose another port; --port 0 picks a free one"
        )
    reason = os.strerror(error.errno) if error.errno else str(error)
    return f"cannot listen on {where}: {reason}"


def _announce(url: str) -> None:
    try:
        print(
            f"mock-zonos listening on {url}  (dashboard: {url}/, GraphQL: {url}/graphql)",
            flush=True,
        )
    except BrokenPipeError:
        # Whoever read our output has gone (`| head`): serve on, quietly.
        silence_stdout()


async def serve(
    settings: Settings, fixtures: Fixtures, on_listening: Callable[[str], None]
) -> None:
    """Serve until SIGINT or SIGTERM, then shut down cleanly."""
    # Imported here: `mock-zonos trigger` and `--help` never need aiohttp or Ariadne.
    from ..app import create_app
    from ..runner import AppServer

    server = AppServer(create_app(settings, fixtures), settings.host, settings.port)
    url = await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        on_listening(url)
        await stop.wait()
    finally:
        await server.stop()
