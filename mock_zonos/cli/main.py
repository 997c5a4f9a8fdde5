"""The `mock-zonos` command: serve (no subcommand), `trigger` or `scenario`.

Before argparse reads the command line, each flag is checked against the
parser it belongs to (the server's before a subcommand, the subcommand's after
it), so a mistyped flag is named with a suggestion and the usage of the right
command, instead of argparse's guess that it was a subcommand.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence

from .output import silence_stdout
from .scenario import add_scenario_parser, run_scenario_command
from .serve import EXIT_BAD_SETUP, add_serve_arguments, run_server, settings_from_args
from .trigger import add_trigger_parser, run_trigger


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-zonos",
        description="A local, offline stand-in for the Zonos webhook GraphQL API. "
        "Without a subcommand it serves; `mock-zonos trigger --help` fires events, "
        "`mock-zonos scenario --help` runs scenario files.",
        epilog="Each flag reads the environment variable named in its help when not given.",
        allow_abbrev=False,
    )
    add_serve_arguments(parser)
    subcommands = parser.add_subparsers(dest="command", metavar="{trigger,scenario}")
    add_trigger_parser(subcommands)
    add_scenario_parser(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mock-zonos` console script and `python -m mock_zonos`."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    check_words(parser, arguments)
    args = parser.parse_args(arguments)
    try:
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
    except BrokenPipeError:
        silence_stdout()
        return 0


def check_words(parser: argparse.ArgumentParser, arguments: list[str]) -> None:
    """Exit with a usage error naming the first flag that is not the command's, and the
    flag it most looks like; the same for a word that is no subcommand."""
    current, expects_value = parser, False
    for word in arguments:
        if word in ("--", "-"):
            return
        if expects_value:
            expects_value = False
            continue
        if word.startswith("-") and not _is_number(word):
            name, _, value = word.partition("=")
            action = current._option_string_actions.get(name)
            if action is None:
                current.error(f"unknown flag {name}{_suggestion(name, current)}")
            expects_value = action.nargs != 0 and not value
            continue
        subcommands = _subcommands(current)
        if not subcommands:
            continue  # a positional argument of the (sub)command
        if word not in subcommands:
            close = difflib.get_close_matches(word, list(subcommands), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            serving = "serving takes flags only, and " if current is parser else ""
            current.error(
                f"unexpected word {word!r}: {serving}the subcommands are "
                f"{', '.join(subcommands)}{hint}"
            )
        current = subcommands[word]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _suggestion(name: str, parser: argparse.ArgumentParser) -> str:
    close = difflib.get_close_matches(name, list(parser._option_string_actions), n=1)
    return f"; did you mean {close[0]}?" if close else f" (see {parser.prog} --help)"


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
