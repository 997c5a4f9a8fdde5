"""Webhook URL checks: every whitespace or unprintable character of the BMP is refused."""

from __future__ import annotations

import pytest

from mock_zonos.domain.errors import InvalidInput
from mock_zonos.domain.validation import check_url

# The Basic Multilingual Plane holds every whitespace character there is.
REFUSED = [
    chr(code) for code in range(0x10000) if chr(code).isspace() or not chr(code).isprintable()
]


def test_every_whitespace_or_unprintable_character_is_refused() -> None:
    assert {chr(code) for code in range(0x110000) if chr(code).isspace()} <= set(REFUSED)
    for character in REFUSED:
        with pytest.raises(InvalidInput, match="whitespace or control characters"):
            check_url(f"http://example.com/hook{character}", "url")


def test_a_printable_url_beyond_ascii_is_accepted() -> None:
    assert check_url("https://bücher.example/webhooks/zonos", "url")
