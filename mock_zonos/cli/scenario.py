"""`mock-zonos scenario run|list`: scenario files against a running server.

Exit status of `run`: 0 when every expectation holds, 1 when one fails (with
a diff of what was expected against what came), 2 for a file that cannot run
(nothing runs then), 3 when the server cannot be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

from .trigger import DEFAULT_SERVER, EXIT_DELIVERY_FAILED, EXIT_REFUSED, EXIT_UNREACHABLE

EXIT_FAILED = EXIT_DELIVERY_FAILED
EXIT_INVALID = EXIT_REFUSED


def add_scenario_parser(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "scenario",
        help="run scenario files (YAML steps and expectations) against a running mock-zonos",
        description="Run scenario files against a running mock-zonos, or list the bundled ones.",
    )
    actions = parser.add_subparsers(dest="action", metavar="{run,list}", required=True)
    run = actions.add_parser(
        "run",
        help="run scenarios, each a file or a bundled name",
        description="Run scenarios one after another. Every file is checked before any step "
        "runs. Exit status: 0 when every expectation holds, 1 when one fails, 2 for a "
        "scenario that cannot run, 3 when the server cannot be reached.",
    )
    run.add_argument("scenarios", nargs="+", metavar="FILE|NAME")
    run.add_argument(
        "--server",
        default=os.environ.get("MOCK_ZONOS_SERVER", DEFAULT_SERVER),
        help="the server's URL (default: %(default)s)",
    )
    run.add_argument(
        "--token",
        help="act as this credential; by default each scenario runs as a fresh organization "
        "of its own, which sees only what the scenario does",
    )
    run.add_argument(
        "--receiver",
        metavar="URL",
        help="send deliveries to your own receiver at URL instead of a capture receiver "
        "the run starts on 127.0.0.1",
    )
    actions.add_parser("list", help="list the bundled scenarios")


def run_scenario_command(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list()
    from ..scenarios.catalog import find_scenario
    from ..scenarios.steps import ScenarioInvalid

    try:
        scenarios = [find_scenario(spec) for spec in args.scenarios]
    except ScenarioInvalid as exc:
        print(f"mock-zonos scenario: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return asyncio.run(_run(scenarios, args))


async def _run(scenarios: list[Any], args: argparse.Namespace) -> int:
    import aiohttp

    from ..scenarios.performing import ServerUnreachable
    from ..scenarios.runner import Target, run_scenarios
    from ..scenarios.steps import ScenarioInvalid

    target = Target(args.server.rstrip("/"), args.token, args.receiver)
    try:
        async with aiohttp.ClientSession() as session:
            results = await run_scenarios(scenarios, target, session)
    except ScenarioInvalid as exc:
        print(f"mock-zonos scenario: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except ServerUnreachable as exc:
        print(f"mock-zonos scenario: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    for result in results:
        if result.passed:
            print(f"PASS {result.name}  {result.steps_run} steps in {result.seconds:.2f} s")
        else:
            print(f"FAIL {result.name}  at {result.failure}")
    failed = sum(not result.passed for result in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return EXIT_FAILED if failed else 0


def _list() -> int:
    from ..scenarios.catalog import bundled_directory, bundled_names, find_scenario
    from ..scenarios.runner import server_flags

    for name in bundled_names():
        scenario = find_scenario(name)
        flags = server_flags(scenario.requires)
        needs = f"  (needs {' '.join(flags)})" if flags else ""
        print(f"{name}{needs}\n    {scenario.description}")
    print(f"\nBundled in {bundled_directory()}; run one with `mock-zonos scenario run NAME`.")
    return 0
