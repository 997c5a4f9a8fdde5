"""`${…}` references in scenario files: found and checked before a run, resolved during it.

A reference names a root and a path into it: `${created.deliveries[0].logId}`
is the `logId` of the first delivery in the answer of the step named
`created`. Roots are earlier steps' names and the built-ins: `receiver`
(`.url`), `server` (`.url` and the server's settings, e.g. `.retryDelays`),
`env` (`.NAME`, an environment variable) and `token`. A string that is one
reference and nothing else becomes the value itself (a number, a list…);
references inside longer strings become text. `$${` is a literal `${`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BUILT_INS = ("receiver", "server", "env", "token")
_REFERENCE = re.compile(r"\$(\$?)\{([^}]*)\}")
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_PATH = re.compile(rf"^({_NAME})((?:\.{_NAME}|\[-?\d+\])*)$")
_PART = re.compile(rf"\.({_NAME})|\[(-?\d+)\]")


class BadReference(Exception):
    """A reference that cannot be read, with what is wrong in words."""


@dataclass(frozen=True, slots=True)
class Reference:
    text: str
    root: str
    path: tuple[str | int, ...]

    def __str__(self) -> str:
        return f"${{{self.text}}}"


def parse_reference(text: str) -> Reference:
    match = _PATH.match(text.strip())
    if match is None:
        raise BadReference(
            f"${{{text}}} is not a reference: write ${{step.key}}, ${{step.list[0].key}}, "
            "${env.NAME} or ${receiver.url}"
        )
    path = tuple(key if key else int(index) for key, index in _PART.findall(match.group(2)))
    return Reference(text.strip(), match.group(1), path)


def references_in(value: Any) -> list[Reference]:
    """Every reference in a value, strings inside lists and mappings included."""
    if isinstance(value, str):
        return [parse_reference(body) for escaped, body in _REFERENCE.findall(value) if not escaped]
    if isinstance(value, Mapping):
        return [ref for item in value.values() for ref in references_in(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references_in(item)]
    return []


def lookup(reference: Reference, roots: Mapping[str, Any]) -> Any:
    """The value a reference names; BadReference says where the path leaves the data."""
    if reference.root not in roots:
        raise BadReference(f"{reference}: nothing is called {reference.root!r} yet")
    value = roots[reference.root]
    walked = reference.root
    for part in reference.path:
        value = _step_into(reference, walked, value, part)
        walked += f"[{part}]" if isinstance(part, int) else f".{part}"
    return value


def _step_into(reference: Reference, walked: str, value: Any, part: str | int) -> Any:
    if isinstance(part, int):
        if not isinstance(value, list):
            raise BadReference(f"{reference}: {walked} is not a list, it is {_kind(value)}")
        if not -len(value) <= part < len(value):
            raise BadReference(f"{reference}: {walked} has {len(value)} item(s), no [{part}]")
        return value[part]
    if not isinstance(value, Mapping):
        raise BadReference(f"{reference}: {walked} is {_kind(value)}, it has no key {part!r}")
    if part not in value:
        keys = ", ".join(map(str, value)) or "none"
        raise BadReference(f"{reference}: {walked} has no key {part!r}; its keys are {keys}")
    return value[part]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def resolve(value: Any, roots: Mapping[str, Any]) -> Any:
    """The value with every reference replaced, recursively."""
    if isinstance(value, str):
        return _resolve_text(value, roots)
    if isinstance(value, Mapping):
        return {key: resolve(item, roots) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, roots) for item in value]
    return value


def _resolve_text(text: str, roots: Mapping[str, Any]) -> Any:
    whole = _REFERENCE.fullmatch(text)
    if whole is not None and not whole.group(1):
        return lookup(parse_reference(whole.group(2)), roots)

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return "${" + match.group(2) + "}"
        found = lookup(parse_reference(match.group(2)), roots)
        return found if isinstance(found, str) else json.dumps(found)

    return _REFERENCE.sub(replace, text)
