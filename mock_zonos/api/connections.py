"""Relay connection objects built from a store page."""

from __future__ import annotations

from typing import Any

from ..pagination import Page, PageRequest


def page_request(
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)


def connection(page: Page[Any], **extra: Any) -> dict[str, Any]:
    cursors = page.cursors
    return {
        "edges": [
            {"cursor": cursor, "node": node}
            for cursor, node in zip(cursors, page.items, strict=True)
        ],
        "page_info": {
            "start_cursor": cursors[0] if cursors else None,
            "end_cursor": cursors[-1] if cursors else None,
            "has_next_page": page.has_next_page,
            "has_previous_page": page.has_previous_page,
        },
        **extra,
    }
