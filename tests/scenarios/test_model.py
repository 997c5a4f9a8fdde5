"""Scenario files are checked whole before anything runs: each mistake names file, step and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_zonos.scenarios.model import Requirements, load_scenario
from mock_zonos.scenarios.steps import ScenarioInvalid


def _refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(_write(tmp_path, text))
    message = str(refused.value)
    assert message.startswith(str(tmp_path / "my-scenario.yaml") + ": ")
    return message.split(": ", 1)[1]


def test_a_scenario_reads_its_steps_and_what_it_needs(tmp_path: Path) -> None:
    scenario = load_scenario(_write(tmp_path, STALE_AND_ADVANCE))
    assert scenario.name == "my-scenario"
    assert scenario.description == "Two lines of description."
    assert [step.label for step in scenario.steps] == [
        'step 1 (webhook "hook")',
        'step 2 (trigger "fired")',
        "step 3 (advance)",
        "step 4 (expect)",
    ]
    # Declared nowhere: a signature fault needs signing, an advance a virtual clock.
    assert scenario.requires == Requirements(sign=True, virtual_clock=True)
    assert scenario.uses_receiver and scenario.needs_capture == ()


STALE_AND_ADVANCE = """
description: |
  Two lines
  of description.
steps:
  - name: hook
    webhook: {type: ORDER_CREATED}
  - name: fired
    trigger: {type: ORDER_CREATED, orderId: "${hook.id}", faults: {staleTimestamp: 600}}
  - advance: {seconds: 60}
  - expect:
      logs: {count: 1}
      value: {of: "${fired.eventId}", match: "x"}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-scenario.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("steps: [{trigger: {type: X}\n", "invalid YAML: while parsing a flow mapping"),
        ("- trigger: {}\n", "must be a mapping with `steps`"),
        ("steps: []\n", 'key "steps": must be a list of one step or more'),
        ("steps: [{trigger: {type: X}}]\nname: x\n", "key 'name': unknown key; the keys are"),
        ("steps:\n  - fire: {type: X}\n", "step 1: unknown key 'fire'; a step is one of graphql"),
        (
            "steps:\n  - trigger: {type: X}\n    hold: {}\n",
            "step 1: a step is one of graphql, webhook, trigger",
        ),
        (
            "steps:\n  - name: a\n    trigger: {type: X, fautls: {}}\n",
            "step 1 (trigger \"a\"), key 'fautls': unknown key; the keys are type, overrides",
        ),
        ("steps:\n  - trigger: {count: 2}\n", "step 1 (trigger), key 'type': is required"),
        (
            "steps:\n  - trigger: {type: X, faults: {dupe: 2}}\n",
            "step 1 (trigger), key 'faults', key 'dupe': unknown key; the keys are duplicate",
        ),
        (
            "steps:\n  - faults: {duplicate: 0}\n",
            "step 1 (faults): fault 'duplicate' must be a whole number from 1 to 100",
        ),
        ("steps:\n  - advance: {}\n", "step 1 (advance): give exactly one of seconds, to, all"),
        ("steps:\n  - wait: {logs: 1, requests: 1}\n", "give exactly one of logs, requests"),
        ("steps:\n  - expect: {logs: {cnt: 1}}\n", "key 'logs', key 'cnt': unknown key"),
        ("steps:\n  - expect: {value: {equals: 1}}\n", "key 'value', key 'of': is required"),
        (
            "steps:\n  - trigger: {type: X}\n  - expect: {value: {of: '${fired.eventId}'}}\n",
            "step 2 (expect), reference ${fired.eventId}: no earlier step is named 'fired'",
        ),
        (
            "steps:\n  - name: fired\n    trigger: {type: '${fired.type}'}\n",
            'step 1 (trigger "fired"), reference ${fired.type}: no earlier step',
        ),
        (
            "steps:\n  - trigger: {type: '${env.MOCK_ZONOS_NOT_SET_ANYWHERE}'}\n",
            "the environment variable MOCK_ZONOS_NOT_SET_ANYWHERE is not set",
        ),
        ("steps:\n  - trigger: {type: '${server.colour}'}\n", "the server has ${server.url}"),
        ("steps:\n  - trigger: {type: '${receiver.port}'}\n", "only ${receiver.url}"),
        (
            "steps:\n  - {name: a, hold: {}}\n  - {name: a, hold: {}}\n",
            'step 2 (hold "a"), key "name": \'a\' is an earlier step\'s name',
        ),
        ("steps:\n  - {name: env, hold: {}}\n", "'env' is a built-in reference's name"),
        ("steps:\n  - {name: 1a, hold: {}}\n", 'step 1, key "name": must be a name'),
        ("requires: {clock: fake}\nsteps: [{hold: {}}]\n", "must be virtual or real"),
        ("steps:\n  - wait: {logs: two}\n", "key 'logs': must be a whole number, got 'two'"),
        ("steps:\n  - wait: {logs: true}\n", "key 'logs': must be a whole number, got True"),
        ("steps:\n  - receiver: {delay: soon}\n", "key 'delay': must be a number of seconds"),
        ("steps:\n  - graphql: {query: [1]}\n", "key 'query': must be a GraphQL document"),
        (
            "steps:\n  - expect: {logs: {count: '2'}}\n",
            "step 1 (expect), key 'logs', key 'count': must be a whole number, got '2'",
        ),
    ],
)
def test_a_mistake_is_named(tmp_path: Path, text: str, message: str) -> None:
    assert message in _refused(tmp_path, text)


def test_an_environment_reference_is_read_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_URL", "http://127.0.0.1:9000/hook")
    scenario = load_scenario(
        _write(tmp_path, "steps:\n  - webhook: {type: ORDER_CREATED, url: '${env.SHOP_URL}'}\n")
    )
    assert not scenario.uses_receiver


def test_steps_needing_the_capture_receiver_are_known(tmp_path: Path) -> None:
    scenario = load_scenario(
        _write(
            tmp_path,
            "steps:\n  - receiver: {status: 503}\n  - wait: {requests: 1}\n  - wait: {logs: 1}\n",
        )
    )
    assert [step.number for step in scenario.needs_capture] == [1, 2]
