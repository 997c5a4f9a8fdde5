"""Relay pagination over newest-first lists, at O(log n + page) a page.

Every stored record carries a sequence number that only grows. An
`OrderedIndex` keeps the numbers of one list (say, one tenant's ENABLED
ORDER_CREATED webhooks) sorted, so a cursor, which encodes a sequence number,
is found by bisection and a page is one slice. Nothing is sorted per request.
"""

from __future__ import annotations

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import InvalidInput
from .validation import whole_number

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The Relay arguments as the caller gave them, not yet checked."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page, newest first. Cursors are made only when asked for: most queries never are."""

    items: list[T]
    seqs: list[int]
    codec: CursorCodec
    has_next_page: bool
    has_previous_page: bool


class CursorCodec:
    """Opaque cursors for one kind of list; a cursor of another list is refused."""

    __slots__ = ("_prefix",)

    def __init__(self, kind: str) -> None:
        self._prefix = f"{kind}:"

    def encode(self, seq: int) -> str:
        return urlsafe_b64encode(f"{self._prefix}{seq}".encode()).decode().rstrip("=")

    def decode(self, cursor: str, argument: str) -> int:
        try:
            text = urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            text = ""
        kind, _, number = text.partition(":")
        seq = whole_number(number)
        if f"{kind}:" != self._prefix or seq is None:
            raise InvalidInput(
                f'Argument "{argument}" is not a valid cursor: "{cursor}". Pass a cursor '
                "returned in edges.cursor, pageInfo.startCursor or pageInfo.endCursor."
            )
        return seq


def _check_size(argument: str, size: int | None) -> None:
    if size is None:
        return
    if size < 0:
        raise InvalidInput(f'Argument "{argument}" must not be negative, got {size}.')
    if size > MAX_PAGE_SIZE:
        raise InvalidInput(
            f'Argument "{argument}" is {size}; the largest page is {MAX_PAGE_SIZE} items.'
        )


class OrderedIndex(Generic[T]):
    """Records of one list in insertion order, paged newest first.

    Removing the oldest record, what a capped log does on every insert once
    full, only moves a head offset; the dead prefix is dropped in bulk.
    """

    __slots__ = ("_head", "_items", "_seqs")

    def __init__(self) -> None:
        self._seqs: list[int] = []
        self._items: dict[int, T] = {}
        self._head = 0

    def __len__(self) -> int:
        return len(self._seqs) - self._head

    def __iter__(self) -> Iterator[T]:
        """Oldest first."""
        items = self._items
        return (items[seq] for seq in self._seqs[self._head :])

    def add(self, seq: int, item: T) -> None:
        seqs = self._seqs
        if len(seqs) == self._head or seq > seqs[-1]:
            seqs.append(seq)
        else:
            insort(seqs, seq, lo=self._head)
        self._items[seq] = item

    def discard(self, seq: int) -> None:
        if self._items.pop(seq, None) is None:
            return
        position = bisect_left(self._seqs, seq, self._head)
        if position == self._head:
            self._head += 1
            if self._head > 1024 and self._head * 2 > len(self._seqs):
                del self._seqs[: self._head]
                self._head = 0
        else:
            del self._seqs[position]

    def descending(self, below: int | None = None) -> Iterator[tuple[int, T]]:
        """(seq, item) pairs, newest first, from just below `below` (from the newest
        when None). For one synchronous walk: the index must not change meanwhile."""
        seqs, items, head = self._seqs, self._items, self._head
        position = len(seqs) if below is None else bisect_left(seqs, below, head)
        while position > head:
            position -= 1
            yield seqs[position], items[seqs[position]]

    def newest(self, count: int) -> list[T]:
        """Up to `count` items, newest first, without the checks of a Relay page."""
        start = max(self._head, len(self._seqs) - count)
        items = self._items
        return [items[seq] for seq in reversed(self._seqs[start:])]

    def oldest(self) -> T | None:
        if len(self) == 0:
            return None
        return self._items[self._seqs[self._head]]

    def page(self, request: PageRequest, codec: CursorCodec) -> Page[T]:
        _check_size("first", request.first)
        _check_size("last", request.last)
        if request.first is not None and request.last is not None:
            raise InvalidInput(
                'Arguments "first" and "last" cannot be combined: page forwards with '
                "first/after or backwards with last/before."
            )
        seqs, head, end = self._seqs, self._head, len(self._seqs)
        # The window [low, high) in ascending positions, i.e. oldest to newest.
        low, high = head, end
        if request.after is not None:
            high = bisect_left(seqs, codec.decode(request.after, "after"), head, end)
        if request.before is not None:
            low = max(low, bisect_right(seqs, codec.decode(request.before, "before"), head, end))
        low = min(low, high)
        if request.last is not None:
            page_low, page_high = low, min(high, low + request.last)
        else:
            size = DEFAULT_PAGE_SIZE if request.first is None else request.first
            page_low, page_high = max(low, high - size), high
        chosen = seqs[page_low:page_high]
        chosen.reverse()
        items = self._items
        return Page(
            items=[items[seq] for seq in chosen],
            seqs=chosen,
            codec=codec,
            has_next_page=page_low > head,
            has_previous_page=page_high < end,
        )
