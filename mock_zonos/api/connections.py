"""Relay connection objects built from a store page, their cursors made on demand."""

from __future__ import annotations

from typing import Any

from ..domain.pagination import CursorCodec, Page, PageRequest


def page_request(
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)


class Edge:
    __slots__ = ("_codec", "_seq", "node")

    def __init__(self, node: Any, seq: int, codec: CursorCodec) -> None:
        self.node, self._seq, self._codec = node, seq, codec

    @property
    def cursor(self) -> str:
        return self._codec.encode(self._seq)


class PageInfo:
    __slots__ = ("_page", "has_next_page", "has_previous_page")

    def __init__(self, page: Page[Any]) -> None:
        self._page = page
        self.has_next_page = page.has_next_page
        self.has_previous_page = page.has_previous_page

    @property
    def start_cursor(self) -> str | None:
        seqs = self._page.seqs
        return self._page.codec.encode(seqs[0]) if seqs else None

    @property
    def end_cursor(self) -> str | None:
        seqs = self._page.seqs
        return self._page.codec.encode(seqs[-1]) if seqs else None


class Connection:
    __slots__ = ("_page", "total_count")

    def __init__(self, page: Page[Any], total_count: int | None = None) -> None:
        self._page = page
        self.total_count = total_count

    @property
    def edges(self) -> list[Edge]:
        page = self._page
        return [
            Edge(node, seq, page.codec) for node, seq in zip(page.items, page.seqs, strict=True)
        ]

    @property
    def page_info(self) -> PageInfo:
        return PageInfo(self._page)
