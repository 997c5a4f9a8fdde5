"""Checks on caller-supplied webhook fields, shared by the API and the fixtures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .errors import InvalidInput
from .models import WebhookHeader

# RFC 9110 token characters: what a header name may be made of.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Headers the HTTP client itself must own, or the request would be malformed.
_TRANSPORT_HEADERS = frozenset({"content-length", "host", "transfer-encoding", "connection"})


# Longer than any count or sequence number, short of int()'s own limit on digits.
_MAX_DIGITS = 18


def whole_number(text: str) -> int | None:
    """`text` as a non-negative whole number in ASCII digits, or None."""
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return int(text)
    return None


def _url_problem(url: str) -> str | None:
    # Every whitespace character but the ASCII space is one isprintable() refuses.
    if not url.isprintable() or " " in url:
        return "the URL contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is what validates the port
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "the scheme must be http or https"
    if not parts.hostname:
        return "the URL has no host"
    try:
        # What the HTTP client will do with the host: an empty or overlong label fails here.
        parts.hostname.encode("idna")
    except UnicodeError:
        return f"the host {parts.hostname!r} is not a valid host name"
    return None


def check_url(url: str, field: str) -> str:
    """Accept an absolute http(s) URL with a host, or say precisely what is wrong."""
    problem = _url_problem(url)
    if problem is not None:
        raise InvalidInput(
            f'Invalid value for "{field}": {problem}. Expected an absolute http or https URL '
            f"with a host, like https://example.com/webhooks/zonos; got {url!r}."
        )
    return url


def _control_character(value: str) -> str | None:
    """The first character no HTTP field value may carry: C0 controls but tab, and DEL."""
    for character in value:
        if (character < " " and character != "\t") or character == "\x7f":
            return character
    return None


def check_headers(headers: Iterable[WebhookHeader], field: str) -> tuple[WebhookHeader, ...]:
    """Header keys must be valid, unique and not owned by the transport; values one line."""
    checked: list[WebhookHeader] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        where = f"{field}[{index}]"
        if not _HEADER_NAME.match(header.key):
            raise InvalidInput(
                f'Invalid value for "{where}.key": {header.key!r} is not a valid HTTP header name.'
            )
        lowered = header.key.lower()
        if lowered in _TRANSPORT_HEADERS:
            raise InvalidInput(
                f'Invalid value for "{where}.key": {header.key} is set by the HTTP client '
                "and cannot be overridden."
            )
        if lowered in seen:
            raise InvalidInput(
                f'Invalid value for "{where}.key": header {header.key} is given twice.'
            )
        control = _control_character(header.value)
        if control is not None:
            raise InvalidInput(
                f'Invalid value for "{where}.value": the value of header {header.key} contains '
                f"the control character {control!r}; header values are one line of text "
                "(tabs allowed)."
            )
        seen.add(lowered)
        checked.append(header)
    return tuple(checked)
