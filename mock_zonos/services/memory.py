"""Giving memory back after a reset: what the allocators allow.

Dropping the state frees its objects at once, but the process keeps the
memory: glibc's malloc holds freed pages until asked to trim them, and
Python's small-object allocator keeps each 1 MiB arena that still holds a
single live object. After a reset, collecting cycles and trimming malloc's
heap gives back what can be given back; the arenas left are reused by the
state that follows, so memory does not grow from one reset to the next.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    trim: Callable[[int], int] | None = getattr(ctypes.CDLL(name), "malloc_trim", None)
    return trim


def release_memory() -> None:
    """Collect unreachable cycles, then hand malloc's free pages back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
