"""The `mock-zonos` command: serve (no subcommand), `trigger` or `scenario`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .scenario import add_scenario_parser, run_scenario_command
from .serve import EXIT_BAD_SETUP, add_serve_arguments, run_server, settings_from_args
from .trigger import add_trigger_parser, run_trigger


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-zonos",
        description="A local, offline stand-in for the Zonos webhook GraphQL API. "
        "Without a subcommand it serves; `mock-zonos trigger --help` fires events, "
        "`mock-zonos scenario --help` runs scenario files.",
    )
    add_serve_arguments(parser)
    subcommands = parser.add_subparsers(dest="command", metavar="{trigger,scenario}")
    add_trigger_parser(subcommands)
    add_scenario_parser(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mock-zonos` console script and `python -m mock_zonos`."""
    args = build_parser().parse_args(argv)
    if args.command == "trigger":
        return run_trigger(args)
    if args.command == "scenario":
        return run_scenario_command(args)
    try:
        settings = settings_from_args(args)
    except ValueError as exc:  # flags that clash, e.g. a signature fault without --sign
        print(f"mock-zonos: {exc}", file=sys.stderr)
        return EXIT_BAD_SETUP
    return run_server(settings)
