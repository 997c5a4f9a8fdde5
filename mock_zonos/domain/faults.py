"""Delivery faults: the ways real webhook senders misbehave, reproduced on purpose.

A server has default `Faults` (all off unless configured); a trigger may
change some of them with `FaultChanges`. Both are read from JSON objects
(`{"duplicate": 2, "staleTimestamp": 600}`) or from text
(`duplicate=2,delay=0.5`); every mistake names the fault and lists the known
ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import InvalidInput

MAX_DUPLICATE = 100
# A day: longer waits are better reproduced with the virtual clock and retries.
MAX_DELAY_SECONDS = 86_400.0
# A year: older than any tolerance a receiver could sensibly have.
MAX_STALE_SECONDS = 31_536_000

# JSON name → field name, in the order the README lists them.
FAULT_NAMES = {
    "duplicate": "duplicate",
    "delay": "delay",
    "jitter": "jitter",
    "seed": "seed",
    "staleTimestamp": "stale_timestamp",
    "badSignature": "bad_signature",
}
SIGNING_FAULTS = ("staleTimestamp", "badSignature")


@dataclass(frozen=True, slots=True)
class Faults:
    """How deliveries misbehave; the defaults misbehave in no way.

    - `duplicate`: each attempt is sent this many times in all, byte for byte.
    - `delay`, `jitter`: seconds before the first attempt, plus up to `jitter` more.
    - `seed`: makes the jitter repeatable.
    - `stale_timestamp`: sign with a timestamp this many seconds in the past.
    - `bad_signature`: sign with a signature in the right format that does not verify.
    """

    duplicate: int = 1
    delay: float = 0.0
    jitter: float = 0.0
    seed: int | None = None
    stale_timestamp: int = 0
    bad_signature: bool = False

    @property
    def delayed(self) -> bool:
        return self.delay > 0 or self.jitter > 0

    @property
    def tamper_signature(self) -> bool:
        return self.stale_timestamp > 0 or self.bad_signature

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, field) for name, field in FAULT_NAMES.items()}


NO_FAULTS = Faults()


@dataclass(frozen=True, slots=True)
class FaultChanges:
    """Some faults changed from a server's defaults: None leaves a fault as it is."""

    duplicate: int | None = None
    delay: float | None = None
    jitter: float | None = None
    seed: int | None = None
    stale_timestamp: int | None = None
    bad_signature: bool | None = None

    def applied_to(self, faults: Faults) -> Faults:
        changed = {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }
        return replace(faults, **changed)


def _known() -> str:
    return ", ".join(FAULT_NAMES)


def _number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidInput(
            f"fault {name!r} must be a number of seconds from {low:g} to {high:g}, got {value!r}"
        )
    return float(value)


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"fault {name!r} must be a whole number from {low} to {high}, got {value!r}"
        )
    return value


def _fault_value(name: str, value: object) -> object:
    if name == "duplicate":
        return _whole(name, value, 1, MAX_DUPLICATE)
    if name in ("delay", "jitter"):
        return _number(name, value, 0, MAX_DELAY_SECONDS)
    if name == "seed":
        return _whole(name, value, -(2**63), 2**63 - 1)
    if name == "staleTimestamp":
        return _whole(name, value, 0, MAX_STALE_SECONDS)
    if not isinstance(value, bool):
        raise InvalidInput(f"fault {name!r} must be true or false, got {value!r}")
    return value


def parse_faults(raw: object) -> FaultChanges:
    """A JSON object of faults → the changes it makes; InvalidInput names what is wrong."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            f'"faults" must be a JSON object like {{"duplicate": 2}}; the faults are {_known()}'
        )
    changes: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in FAULT_NAMES:
            raise InvalidInput(f"unknown fault {name!r}; the faults are {_known()}")
        changes[FAULT_NAMES[name]] = _fault_value(name, value)
    return FaultChanges(**changes)


def parse_fault_text(text: str) -> dict[str, Any]:
    """`"duplicate=2,delay=0.5"` → {"duplicate": 2, "delay": 0.5}: values read as JSON when
    they parse, else as strings (which the fault's own check then refuses)."""
    found: dict[str, Any] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, separator, value = part.partition("=")
        if not separator or not name.strip():
            raise InvalidInput(
                f"faults are NAME=VALUE pairs like duplicate=2,delay=0.5, got {part!r}; "
                f"the faults are {_known()}"
            )
        try:
            found[name.strip()] = json.loads(value)
        except ValueError:
            found[name.strip()] = value.strip()
    return found


def check_signing(faults: Faults, signing: bool) -> None:
    """Refuse signature faults on a server that does not sign: they could not show."""
    if signing:
        return
    for name in SIGNING_FAULTS:
        if getattr(faults, FAULT_NAMES[name]):
            raise InvalidInput(
                f"fault {name!r} changes the signature, and this server does not sign: "
                "start it with --sign (MOCK_ZONOS_SIGN=1, Settings(sign=True))"
            )
