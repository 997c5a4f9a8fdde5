"""Expectations: partial patterns, counts, gaps, and failures that show expected against got."""

from __future__ import annotations

from typing import Any

import pytest

from mock_zonos.scenarios.checks import ExpectationFailed, check, mismatches

LOGS = [
    {"type": "ORDER_CREATED", "attempt": 1, "createdAt": "2026-01-15T09:30:00.000Z"},
    {"type": "ORDER_CREATED", "attempt": 2, "createdAt": "2026-01-15T09:31:00.000Z"},
    {"type": "ORDER_UPDATED", "attempt": 1, "createdAt": "2026-01-15T09:41:00.500Z"},
]


def test_a_pattern_names_only_the_keys_it_cares_about() -> None:
    assert mismatches({"type": "ORDER_CREATED"}, LOGS[0]) == []
    assert mismatches([{"attempt": 1}, {"attempt": 2}, {}], LOGS) == []
    assert mismatches({"nested": {"a": 1}}, {"nested": {"a": 1, "b": 2}}) == []


def test_mismatches_name_the_place() -> None:
    assert mismatches([{}, {"attempt": 3}, {"x": None}], LOGS) == [
        "[1].attempt: expected 3, got 2",
        "[2].x: missing (expected null)",
    ]
    assert mismatches([{}], LOGS) == ["the list: expected 1 item(s), got 3 item(s)"]
    assert mismatches({"a": True}, {"a": 1}) == ["a: expected true, got 1"]


def test_checks_that_hold() -> None:
    check("logs", LOGS, {"count": 3, "gaps": [60, 600.5]})
    created_only = {"where": {"type": "ORDER_CREATED"}, "count": 2, "every": {"attempt": 1}}
    with pytest.raises(ExpectationFailed):
        check("logs", LOGS, created_only)
    check("logs", LOGS, {"where": {"attempt": 1}, "count": 2, "every": {"attempt": 1}})
    check("value", 200, {"equals": 200})


@pytest.mark.parametrize(
    ("checks", "message"),
    [
        ({"count": 2}, "logs: expected 2 item(s), got 3"),
        ({"gaps": [60, 600]}, "logs: the gaps between createdAt times differ"),
        (
            {"every": {"attempt": 1}},
            "logs[1] does not match:\n  logs[1].attempt: expected 1, got 2",
        ),
        ({"where": {"type": "ORDER_UPDATED"}, "count": 2}, 'logs where {"type": "ORDER_UPDATED"}'),
        ({"equals": []}, "logs: not equal"),
    ],
)
def test_checks_that_fail_say_what_differs(checks: dict[str, Any], message: str) -> None:
    with pytest.raises(ExpectationFailed) as failed:
        check("logs", LOGS, checks)
    assert message in str(failed.value)


def test_a_failed_match_shows_a_diff_of_only_what_the_pattern_names() -> None:
    with pytest.raises(ExpectationFailed) as failed:
        check("logs", LOGS, {"match": [{"type": "ORDER_CREATED"}, {}, {"type": "ORDER_CREATED"}]})
    text = str(failed.value)
    assert 'logs[2].type: expected "ORDER_CREATED", got "ORDER_UPDATED"' in text
    assert '-    "type": "ORDER_CREATED"\n' in text
    assert '+    "type": "ORDER_UPDATED"\n' in text
    assert "createdAt" not in text
