"""The `mock-zonos` command: serve (no subcommand) or `trigger`.

Before argparse reads the command line, each flag is checked against the
parser it belongs to (the server's before `trigger`, trigger's after it), so a
mistyped flag is named with a suggestion and the usage of the right command,
instead of argparse's guess that it was a subcommand.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence

from .output import silence_stdout
from .serve import add_serve_arguments, run_server, settings_from_args
from .trigger import add_trigger_parser, run_trigger

COMMANDS = ("trigger",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-zonos",
        description="A local, offline stand-in for the Zonos webhook GraphQL API. "
        "Without a subcommand it serves; `mock-zonos trigger --help` fires events.",
        epilog="Each flag reads the environment variable named in its help when not given.",
        allow_abbrev=False,
    )
    add_serve_arguments(parser)
    subcommands = parser.add_subparsers(dest="command", metavar="{trigger}")
    add_trigger_parser(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mock-zonos` console script and `python -m mock_zonos`."""
    import sys

    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    check_words(parser, arguments)
    args = parser.parse_args(arguments)
    try:
        if args.command == "trigger":
            return run_trigger(args)
        try:
            settings = settings_from_args(args)
        except ValueError as exc:
            parser.error(str(exc))
        return run_server(settings)
    except BrokenPipeError:
        silence_stdout()
        return 0


def check_words(parser: argparse.ArgumentParser, arguments: list[str]) -> None:
    """Exit with a usage error naming the first flag that is not the command's, and the
    flag it most looks like; the same for a word that is no subcommand."""
    subparser = _subparser(parser, "trigger")
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
        elif current is parser:
            if word not in COMMANDS:
                close = difflib.get_close_matches(word, COMMANDS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                parser.error(
                    f"unexpected word {word!r}: serving takes flags only, and the one "
                    f"subcommand is trigger{hint}"
                )
            current = subparser


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    raise LookupError(name)


def _suggestion(name: str, parser: argparse.ArgumentParser) -> str:
    close = difflib.get_close_matches(name, list(parser._option_string_actions), n=1)
    return f"; did you mean {close[0]}?" if close else f" (see {parser.prog} --help)"


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
