"""Scenario files: read and checked whole before anything runs.

A scenario is a YAML mapping: an optional `description`, optional `requires`
(`sign: true`, `clock: virtual`), an optional `token`, and `steps`, a list.
Each step is a mapping with one kind key (its arguments under it) and an
optional `name`, by which later steps refer to its result. Every mistake is a
`ScenarioInvalid` naming the file, the step and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..domain.faults import SIGNING_FAULTS
from ..fixtures.reading import Loader
from .references import BUILT_INS, references_in
from .steps import (
    KINDS,
    TOP_KEYS,
    ScenarioInvalid,
    Step,
    check_references,
    check_step,
    known_keys,
)


@dataclass(frozen=True, slots=True)
class Requirements:
    """What the server must do for the scenario to mean anything."""

    sign: bool = False
    virtual_clock: bool = False


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    path: Path
    description: str
    requires: Requirements
    token: str | None
    steps: tuple[Step, ...]
    # Steps that only the scenario's own capture receiver can serve.
    needs_capture: tuple[Step, ...] = field(default=())

    @property
    def uses_receiver(self) -> bool:
        """Whether a receiver is needed: referred to, or the default URL of a webhook step."""
        return bool(self.needs_capture) or any(
            (step.kind == "webhook" and "url" not in step.args)
            or any(ref.root == "receiver" for ref in references_in(step.args))
            for step in self.steps
        )


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file; ScenarioInvalid says what is wrong, and where."""
    document = _read(path)
    file = str(path)
    if not isinstance(document, dict):
        raise ScenarioInvalid(file, "", "must be a mapping with `steps`, a list of steps")
    known_keys(file, "", document, TOP_KEYS)
    raw_steps = document.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ScenarioInvalid(file, 'key "steps"', "must be a list of one step or more")
    token = document.get("token")
    if token is not None and (not isinstance(token, str) or not token):
        raise ScenarioInvalid(file, 'key "token"', "must be a credential token")
    description = document.get("description") or ""
    if not isinstance(description, str):
        raise ScenarioInvalid(file, 'key "description"', "must be text")
    steps = _steps(file, raw_steps)
    return Scenario(
        name=path.stem,
        path=path,
        description=" ".join(description.split()),
        requires=_requirements(file, document.get("requires"), steps),
        token=token,
        steps=steps,
        needs_capture=tuple(step for step in steps if _needs_capture(step)),
    )


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=Loader)
    except yaml.YAMLError as exc:
        raise ScenarioInvalid(str(path), "", f"invalid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioInvalid(str(path), "", f"cannot be read: {exc}") from None


def _steps(file: str, raw_steps: list[Any]) -> tuple[Step, ...]:
    steps: list[Step] = []
    names: set[str] = set()
    for number, raw in enumerate(raw_steps, start=1):
        step = _step(file, number, raw)
        check_references(file, step, names)
        if step.name is not None:
            if step.name in names or step.name in BUILT_INS:
                taken = "an earlier step's" if step.name in names else "a built-in reference's"
                raise ScenarioInvalid(
                    file, f'{step.label}, key "name"', f"{step.name!r} is {taken} name"
                )
            names.add(step.name)
        steps.append(step)
    return tuple(steps)


def _step(file: str, number: int, raw: Any) -> Step:
    where = f"step {number}"
    if not isinstance(raw, dict):
        raise ScenarioInvalid(file, where, f"must be a mapping with one of {', '.join(KINDS)}")
    kinds = [key for key in raw if key in KINDS]
    others = [key for key in raw if key not in KINDS and key != "name"]
    if others or len(kinds) != 1:
        problem = f"unknown key {others[0]!r}; " if others else ""
        raise ScenarioInvalid(
            file, where, f"{problem}a step is one of {', '.join(KINDS)}, with an optional name"
        )
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not _is_name(name)):
        raise ScenarioInvalid(
            file, f'{where}, key "name"', "must be a name like created or order_1"
        )
    kind = kinds[0]
    args = raw[kind] if raw[kind] is not None else {}
    step = Step(number, kind, name, args if isinstance(args, dict) else {})
    if not isinstance(args, dict):
        raise ScenarioInvalid(file, step.label, f"the arguments of {kind} must be a mapping")
    check_step(file, step)
    return step


def _is_name(text: str) -> bool:
    return text.replace("_", "a").replace("-", "a").isalnum() and not text[0].isdigit()


def _requirements(file: str, raw: Any, steps: tuple[Step, ...]) -> Requirements:
    """What the file declares, and what its steps imply (an advance needs a virtual clock)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ScenarioInvalid(file, 'key "requires"', "must be a mapping: sign, clock")
    known_keys(file, 'key "requires"', raw, ("sign", "clock"))
    if raw.get("sign", False) not in (True, False):
        raise ScenarioInvalid(file, 'key "requires", key "sign"', "must be true or false")
    if raw.get("clock", "real") not in ("real", "virtual"):
        raise ScenarioInvalid(file, 'key "requires", key "clock"', "must be virtual or real")
    return Requirements(
        sign=raw.get("sign", False) or any(_signs(step) for step in steps),
        virtual_clock=raw.get("clock") == "virtual" or any(s.kind == "advance" for s in steps),
    )


def _signs(step: Step) -> bool:
    faults = step.args if step.kind == "faults" else step.args.get("faults")
    if step.kind not in ("faults", "trigger") or not isinstance(faults, dict):
        return False
    return any(faults.get(name) for name in SIGNING_FAULTS)


def _needs_capture(step: Step) -> bool:
    if step.kind == "receiver":
        return True
    if step.kind in ("wait", "expect"):
        return "requests" in step.args
    return False
