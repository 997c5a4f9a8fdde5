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
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from .models import WebhookType, format_timestamp

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
    source: str
    template: str

    @classmethod
    def build(cls, type: WebhookType, query: str, body: JSONObject, source: str) -> EventSample:
        return cls(type, query, body, source, orjson.dumps(body).decode())

    def render(self, now: datetime, overrides: Mapping[str, Any] | None = None) -> bytes:
        """A fresh body: new ids and timestamps, then the overrides merged in."""
        text = _PLACEHOLDER.sub(_substitution(now), self.template)
        if not overrides:
            return text.encode()
        return orjson.dumps(deep_merge(orjson.loads(text), overrides))


def _substitution(now: datetime) -> Callable[[re.Match[str]], str]:
    timestamp = format_timestamp(now)
    ids: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "$"
        if name == "now":
            return timestamp
        if name == "uuid":
            return str(uuid.uuid4())
        value = ids.get(name)
        if value is None:
            kind = name.split(":")[1]
            value = ids[name] = f"{kind}_{uuid.uuid4()}"
        return value

    return replace
