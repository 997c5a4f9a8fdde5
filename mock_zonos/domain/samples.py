"""Sample event bodies: placeholders made fresh on every trigger, overrides merged in.

A sample is kept as JSON text. Placeholders sit inside its strings and are
replaced textually, which is safe because what replaces them (ids and
timestamps) never needs JSON escaping; only a trigger with overrides pays for
a parse and a re-serialisation.

Placeholders:
- `${id:KIND}` and `${id:KIND:LABEL}`: `KIND_<uuid4>`, the same value wherever
  the same placeholder appears within one event;
- `${uuid}`: a bare uuid4, fresh at every use;
- `${now}`: the trigger time, RFC 3339 in UTC with milliseconds;
- `$$`: a literal `$`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from .ids import new_id, uuid4_text
from .models import WebhookType

_PLACEHOLDER = re.compile(r"\$\$|\$\{([^}]*)\}")
_ID_PLACEHOLDER = re.compile(r"id:([a-z][a-z0-9_]*)(?::[A-Za-z0-9_]+)?")
PLACEHOLDER_FORMS = "${id:KIND}, ${id:KIND:LABEL}, ${uuid}, ${now}, $$"

JSONObject = dict[str, Any]


def placeholder_problem(text: str) -> str | None:
    """Why a string's placeholders are malformed, or None when they are fine."""
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name is None or name in ("uuid", "now") or _ID_PLACEHOLDER.fullmatch(name):
            continue
        return f"unknown placeholder ${{{name}}}; the known forms are {PLACEHOLDER_FORMS}"
    if re.search(r"\$\{(?![^}]*\})", text):
        return f"unclosed placeholder in {text!r}; the known forms are {PLACEHOLDER_FORMS}"
    return None


def iter_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON-like value (keys included), with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{path}.{key}", str(key)
            yield from iter_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{path}[{index}]")


def deep_merge(base: JSONObject, overrides: Mapping[str, Any]) -> JSONObject:
    """Merge overrides into base in place: objects merge key by key, anything else replaces."""
    for key, value in overrides.items():
        current = base.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            deep_merge(current, value)
        else:
            base[key] = value
    return base


@dataclass(frozen=True, slots=True)
class EventSample:
    """The body a webhook of one type receives, and the query that describes it."""

    type: WebhookType
    query: str
    body: JSONObject
    # The JSON text cut at its placeholders: (literal text, placeholder name or None).
    segments: tuple[tuple[str, str | None], ...]

    @classmethod
    def build(cls, type: WebhookType, query: str, body: JSONObject) -> EventSample:
        return cls(type, query, body, _segments(orjson.dumps(body).decode()))

    def render(self, timestamp: str, overrides: Mapping[str, Any] | None = None) -> bytes:
        """A fresh body: new ids, `${now}` as `timestamp`, then the overrides merged in."""
        ids: dict[str, str] = {}
        parts: list[str] = []
        for literal, name in self.segments:
            parts.append(literal)
            if name is None:
                continue
            if name == "now":
                parts.append(timestamp)
            elif name == "uuid":
                parts.append(uuid4_text())
            else:
                value = ids.get(name)
                if value is None:
                    value = ids[name] = new_id(name.split(":")[1])
                parts.append(value)
        text = "".join(parts)
        if not overrides:
            return text.encode()
        return orjson.dumps(deep_merge(orjson.loads(text), overrides))


def _segments(template: str) -> tuple[tuple[str, str | None], ...]:
    segments: list[tuple[str, str | None]] = []
    literal: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        literal.append(template[position : match.start()])
        position = match.end()
        name = match.group(1)
        if name is None:  # `$$`
            literal.append("$")
            continue
        segments.append(("".join(literal), name))
        literal = []
    literal.append(template[position:])
    segments.append(("".join(literal), None))
    return tuple(segments)
