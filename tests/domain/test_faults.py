"""Faults read from JSON and from text: every mistake names the fault and lists the known ones."""

from __future__ import annotations

from typing import Any

import pytest

from mock_zonos.domain.errors import InvalidInput
from mock_zonos.domain.faults import (
    FaultChanges,
    Faults,
    check_signing,
    parse_fault_text,
    parse_faults,
)

KNOWN = "the faults are duplicate, delay, jitter, seed, staleTimestamp, badSignature"


def test_every_fault_is_read_from_its_json_name() -> None:
    changes = parse_faults(
        {
            "duplicate": 3,
            "delay": 0.5,
            "jitter": 2,
            "seed": 7,
            "staleTimestamp": 600,
            "badSignature": True,
        }
    )
    assert changes.applied_to(Faults()) == Faults(
        duplicate=3, delay=0.5, jitter=2.0, seed=7, stale_timestamp=600, bad_signature=True
    )


def test_changes_leave_the_faults_they_do_not_name() -> None:
    server = Faults(duplicate=2, delay=1.0)
    assert parse_faults({"delay": 0}).applied_to(server) == Faults(duplicate=2, delay=0.0)
    assert FaultChanges().applied_to(server) == server


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"duplicates": 2}, f"unknown fault 'duplicates'; {KNOWN}"),
        ({"duplicate": 0}, "fault 'duplicate' must be a whole number from 1 to 100, got 0"),
        ({"duplicate": 1.5}, "fault 'duplicate' must be a whole number"),
        ({"duplicate": True}, "fault 'duplicate' must be a whole number"),
        ({"delay": -1}, "fault 'delay' must be a number of seconds from 0 to 86400, got -1"),
        ({"jitter": "1"}, "fault 'jitter' must be a number of seconds"),
        ({"staleTimestamp": 0.5}, "fault 'staleTimestamp' must be a whole number"),
        ({"badSignature": "yes"}, "fault 'badSignature' must be true or false, got 'yes'"),
        ([1], '"faults" must be a JSON object like {"duplicate": 2}; ' + KNOWN),
    ],
)
def test_a_bad_fault_is_named(raw: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_faults(raw)
    assert message in refused.value.message


def test_text_reads_values_as_json_when_they_parse() -> None:
    assert parse_fault_text("duplicate=2, delay=0.5,badSignature=true") == {
        "duplicate": 2,
        "delay": 0.5,
        "badSignature": True,
    }
    assert parse_fault_text("") == {}
    with pytest.raises(InvalidInput, match="NAME=VALUE pairs"):
        parse_fault_text("duplicate")


def test_signature_faults_need_a_signing_server() -> None:
    check_signing(Faults(stale_timestamp=600), signing=True)
    check_signing(Faults(duplicate=2), signing=False)
    with pytest.raises(InvalidInput, match=r"'staleTimestamp' changes the signature.*--sign"):
        check_signing(Faults(stale_timestamp=600), signing=False)
    with pytest.raises(InvalidInput, match="'badSignature'"):
        check_signing(Faults(bad_signature=True), signing=False)
