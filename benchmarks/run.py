"""mock-zonos next to its baselines, measured side by side in one run.

Usage: python benchmarks/run.py [--only GROUP ...] [--runs N] [--duration SECONDS] [--json PATH]

Every figure is printed beside a baseline measured in the same run, on the
same machine, because on a shared machine only the ratio means much. Load
comes from wrk (Debian package `wrk`) with one thread and a fixed number of
connections; each wrk figure is the median of --runs runs, with the spread.
The Apollo Server baseline is built in a temporary directory with npm when
node and npm exist; otherwise its rows say why they are skipped. The measured
processes import a compiled copy of mock_zonos, so the checkout stays free of
.pyc files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

# Importing the modules beside this one would otherwise write benchmarks/__pycache__.
sys.dont_write_bytecode = True

from groups import GROUPS
from harness import Context, compiled_copy
from report import as_json, table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="groups:\n"
        + "\n".join(f"  {name:<10}{group.rows}" for name, group in GROUPS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=list(GROUPS),
        choices=list(GROUPS),
        metavar="GROUP",
        help="measure only these groups of rows (all by default; see below)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, metavar="N", help="runs per figure; the median is kept"
    )
    parser.add_argument(
        "--duration", type=float, default=3.0, metavar="SECONDS", help="seconds per wrk run"
    )
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help="also write the table here as JSON"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    began = time.perf_counter()
    with compiled_copy() as python:
        ctx = Context(duration=args.duration, runs=args.runs, python=python)
        rows = [
            row for name, group in GROUPS.items() if name in args.only for row in group.measure(ctx)
        ]
    print(table(rows))
    elapsed = time.perf_counter() - began
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}, {elapsed:.0f} s in all")
    if args.json:
        args.json.write_text(as_json(rows))


if __name__ == "__main__":
    main()
