"""A scenario's steps: the kinds there are, their arguments, and the checks each step
passes before anything runs. Every mistake is a `ScenarioInvalid` naming the file,
the step and the key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.faults import FAULT_NAMES, parse_faults
from .references import BUILT_INS, BadReference, Reference, references_in

# What POST /_mock/trigger takes, the subject of an order or a shipment included.
TRIGGER_KEYS = (
    "type",
    "overrides",
    "body",
    "webhookId",
    "wait",
    "count",
    "faults",
    "orderId",
    "shipmentId",
    "status",
    "token",
)
CHECKS = ("where", "count", "match", "every", "equals", "gaps")
# Per kind: the keys its arguments may have, and those it must have.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "graphql": (("query", "variables", "errors", "token"), ("query",)),
    "webhook": (("type", "url", "status", "headers"), ("type",)),
    "trigger": (TRIGGER_KEYS, ("type",)),
    "faults": (tuple(FAULT_NAMES), ()),
    "hold": ((), ()),
    "release": (("order", "seed"), ()),
    "advance": (("seconds", "to", "all"), ()),
    "receiver": (("status", "body", "delay"), ()),
    "wait": (("logs", "requests", "type", "timeout"), ()),
    "expect": (("logs", "requests", "value"), ()),
}
SERVER_KEYS = (
    "url",
    "version",
    "sign",
    "clock",
    "faults",
    "retryDelays",
    "deliveryTimeout",
    "deliveryConcurrency",
    "strictAuth",
    "maxLogs",
)
TOP_KEYS = ("description", "requires", "token", "steps")

_TEXT = (str,)
_NUMBER = (int, float)
# The arguments a step reads itself, and what they must be; the server checks the rest.
ARGUMENT_TYPES: dict[tuple[str, str], tuple[tuple[type, ...], str]] = {
    ("graphql", "query"): (_TEXT, "a GraphQL document"),
    ("graphql", "variables"): ((dict,), "a mapping"),
    ("graphql", "errors"): ((bool,), "true or false"),
    ("graphql", "token"): (_TEXT, "a credential token"),
    ("trigger", "token"): (_TEXT, "a credential token"),
    ("webhook", "type"): (_TEXT, "a WebhookType"),
    ("webhook", "url"): (_TEXT, "a URL"),
    ("webhook", "status"): (_TEXT, "ENABLED or DISABLED"),
    ("webhook", "headers"): ((dict,), "a mapping of header names to values"),
    ("receiver", "status"): ((int, list), "an HTTP status, or a list of them"),
    ("receiver", "body"): (_TEXT, "text"),
    ("receiver", "delay"): (_NUMBER, "a number of seconds"),
    ("wait", "logs"): ((int,), "a whole number"),
    ("wait", "requests"): ((int,), "a whole number"),
    ("wait", "type"): (_TEXT, "a WebhookType"),
    ("wait", "timeout"): (_NUMBER, "a number of seconds"),
}
CHECK_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "count": ((int,), "a whole number"),
    "gaps": ((list,), "a list of seconds"),
}


class ScenarioInvalid(Exception):
    """A scenario that cannot run: the file, where in it, and what is wrong."""

    def __init__(self, path: str, where: str, problem: str) -> None:
        super().__init__(": ".join(part for part in (path, where, problem) if part))


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    kind: str
    name: str | None
    args: dict[str, Any]

    @property
    def label(self) -> str:
        named = f' "{self.name}"' if self.name else ""
        return f"step {self.number} ({self.kind}{named})"


def known_keys(file: str, where: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    unknown = [key for key in data if key not in keys]
    if unknown:
        place = f"{where}, key {unknown[0]!r}" if where else f"key {unknown[0]!r}"
        raise ScenarioInvalid(
            file, place, f"unknown key; the keys are {', '.join(keys) or '(none)'}"
        )


def check_step(file: str, step: Step) -> None:
    keys, required = KINDS[step.kind]
    known_keys(file, step.label, step.args, keys)
    for key in required:
        if key not in step.args:
            raise ScenarioInvalid(file, f"{step.label}, key {key!r}", "is required")
    check_types(file, step.label, step.kind, step.args)
    where = step.label
    if step.kind == "trigger" and "faults" in step.args:
        _check_faults(file, f"{where}, key 'faults'", step.args["faults"])
    elif step.kind == "faults":
        _check_faults(file, where, step.args)
    elif step.kind == "advance":
        _one_of(file, where, step.args, ("seconds", "to", "all"))
    elif step.kind == "wait":
        _one_of(file, where, step.args, ("logs", "requests"))
        if "type" in step.args and "logs" not in step.args:
            raise ScenarioInvalid(file, f"{where}, key 'type'", "filters logs only")
    elif step.kind == "expect":
        _check_expectation(file, where, step.args)


def check_types(file: str, label: str, kind: str, args: Mapping[str, Any]) -> None:
    """The arguments a step reads itself are of the right type; a value still to come
    from a reference is checked once the run has resolved it."""
    prefix = f"{label}, " if label else ""
    for key, value in args.items():
        expected = ARGUMENT_TYPES.get((kind, key))
        _check_type(file, f"{prefix}key {key!r}", expected, value)
    if kind == "expect":
        for subject, checks in args.items():
            for name, value in checks.items() if isinstance(checks, dict) else ():
                where = f"{prefix}key {subject!r}, key {name!r}"
                _check_type(file, where, CHECK_TYPES.get(name), value)


def _check_type(
    file: str, where: str, expected: tuple[tuple[type, ...], str] | None, value: Any
) -> None:
    if expected is None or (isinstance(value, str) and references_in(value)):
        return
    types, described = expected
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise ScenarioInvalid(file, where, f"must be {described}, got {value!r}")


def _one_of(file: str, where: str, args: Mapping[str, Any], choices: tuple[str, ...]) -> None:
    given = [key for key in choices if key in args]
    if len(given) != 1:
        raise ScenarioInvalid(file, where, f"give exactly one of {', '.join(choices)}")


def _check_faults(file: str, where: str, faults: Any) -> None:
    if isinstance(faults, str) and references_in(faults):
        return
    if not isinstance(faults, dict):
        raise ScenarioInvalid(file, where, "must be a mapping of faults, like {duplicate: 2}")
    known_keys(file, where, faults, tuple(FAULT_NAMES))
    if not references_in(faults):
        try:
            parse_faults(faults)
        except InvalidInput as exc:
            raise ScenarioInvalid(file, where, exc.message) from None


def _check_expectation(file: str, where: str, args: Mapping[str, Any]) -> None:
    if not args:
        raise ScenarioInvalid(file, where, "expect logs, requests or a value")
    for subject, checks in args.items():
        place = f"{where}, key {subject!r}"
        if not isinstance(checks, dict) or not checks:
            raise ScenarioInvalid(file, place, f"must be a mapping of checks: {', '.join(CHECKS)}")
        allowed = (*CHECKS, "of") if subject == "value" else CHECKS
        known_keys(file, place, checks, allowed)
        if subject == "value" and "of" not in checks:
            raise ScenarioInvalid(file, f"{place}, key 'of'", "is required: the value to check")


def check_references(file: str, step: Step, earlier: set[str]) -> None:
    for reference in _references(file, step):
        problem = _reference_problem(reference, earlier)
        if problem:
            raise ScenarioInvalid(file, f"{step.label}, reference {reference}", problem)


def _references(file: str, step: Step) -> list[Reference]:
    try:
        return references_in(step.args)
    except BadReference as exc:
        raise ScenarioInvalid(file, step.label, str(exc)) from None


def _reference_problem(reference: Reference, earlier: set[str]) -> str | None:
    root, path = reference.root, reference.path
    first = path[0] if path else None
    if root == "env":
        if len(path) != 1 or not isinstance(first, str):
            return "an environment value is ${env.NAME}"
        if first not in os.environ:
            return f"the environment variable {first} is not set"
    elif root == "receiver" and path != ("url",):
        return "the receiver has only ${receiver.url}"
    elif root == "token" and path:
        return "${token} is the credential token itself"
    elif root == "server" and first not in SERVER_KEYS:
        return f"the server has {', '.join(f'${{server.{key}}}' for key in SERVER_KEYS)}"
    elif root not in BUILT_INS and root not in earlier:
        known = ", ".join([*sorted(earlier), *BUILT_INS])
        return f"no earlier step is named {root!r}; a reference starts with one of {known}"
    return None
