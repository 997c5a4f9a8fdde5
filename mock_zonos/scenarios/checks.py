"""Expectations: what was got, checked against what a scenario expects, with a readable diff.

Checks on a value (a list of logs, of received requests, or any value):
- `where`: keep only the list items that match a pattern, before the others;
- `count`: how many items;
- `match`: a pattern: a mapping matches when each key it names matches
  (keys it does not name are ignored), a list item by item with the same
  length, anything else when equal;
- `every`: a pattern every item matches;
- `equals`: exactly this value;
- `gaps`: seconds between the `createdAt` of each item and the next.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from datetime import datetime
from itertools import pairwise
from typing import Any


class ExpectationFailed(AssertionError):
    """What was expected and what was got, in words and as a diff."""


def check(subject: str, got: Any, checks: Mapping[str, Any]) -> None:
    """Run the checks on `got`; ExpectationFailed describes the first that fails."""
    if "where" in checks:
        got = [item for item in _as_list(subject, got) if not mismatches(checks["where"], item)]
        subject = f"{subject} where {_compact(checks['where'])}"
    if "count" in checks and len(_as_list(subject, got)) != checks["count"]:
        _fail(f"{subject}: expected {checks['count']} item(s), got {len(got)}", None, got)
    if "equals" in checks and got != checks["equals"]:
        _fail(f"{subject}: not equal", checks["equals"], got)
    if "match" in checks:
        _match(subject, checks["match"], got)
    if "every" in checks:
        for index, item in enumerate(_as_list(subject, got)):
            _match(f"{subject}[{index}]", checks["every"], item)
    if "gaps" in checks:
        _check_gaps(subject, checks["gaps"], _as_list(subject, got))


def mismatches(expected: Any, got: Any, path: str = "") -> list[str]:
    """Where `got` fails the pattern `expected`, one line per place."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return [f"{path or 'the value'}: expected a mapping, got {_compact(got)}"]
        problems = []
        for key, value in expected.items():
            here = f"{path}.{key}" if path else str(key)
            if key not in got:
                problems.append(f"{here}: missing (expected {_compact(value)})")
            else:
                problems += mismatches(value, got[key], here)
        return problems
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            size = f"{len(got)} item(s)" if isinstance(got, list) else _compact(got)
            return [f"{path or 'the list'}: expected {len(expected)} item(s), got {size}"]
        return [
            problem
            for index, (want, have) in enumerate(zip(expected, got, strict=True))
            for problem in mismatches(want, have, f"{path}[{index}]")
        ]
    if expected != got or isinstance(expected, bool) != isinstance(got, bool):
        return [f"{path or 'the value'}: expected {_compact(expected)}, got {_compact(got)}"]
    return []


def _match(subject: str, expected: Any, got: Any) -> None:
    problems = mismatches(expected, got)
    if problems:
        lines = "\n".join(f"  {subject}{'' if p.startswith('[') else '.'}{p}" for p in problems)
        _fail(f"{subject} does not match:\n{lines}", expected, _shaped_like(expected, got))


def _check_gaps(subject: str, expected: Any, items: list[Any]) -> None:
    try:
        moments = [datetime.fromisoformat(item["createdAt"]) for item in items]
    except (TypeError, KeyError, ValueError):
        _fail(f"{subject}: gaps need items with a createdAt time", expected, items)
    gaps = [round((later - earlier).total_seconds(), 3) for earlier, later in pairwise(moments)]
    if gaps != [float(gap) for gap in expected]:
        _fail(f"{subject}: the gaps between createdAt times differ", expected, gaps)


def _as_list(subject: str, got: Any) -> list[Any]:
    if not isinstance(got, list):
        raise ExpectationFailed(f"{subject}: expected a list, got {_compact(got)}")
    return got


def _shaped_like(expected: Any, got: Any) -> Any:
    """`got` cut down to the keys `expected` names, so that the diff shows only what counts."""
    if isinstance(expected, Mapping) and isinstance(got, Mapping):
        return {key: _shaped_like(expected[key], got[key]) for key in expected if key in got}
    if isinstance(expected, list) and isinstance(got, list):
        shaped = [_shaped_like(want, have) for want, have in zip(expected, got, strict=False)]
        return shaped + got[len(expected) :]
    return got


def _fail(message: str, expected: Any, got: Any) -> None:
    if expected is None:
        raise ExpectationFailed(f"{message}:\n{_indent(_dump(got))}")
    diff = difflib.unified_diff(
        _dump(expected).splitlines(), _dump(got).splitlines(), "expected", "got", lineterm=""
    )
    raise ExpectationFailed(f"{message}\n{_indent(chr(10).join(diff))}")


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)


def _compact(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
