"""A check that a test closed what it opened: servers, their threads, sockets, sessions.

An unclosed socket or transport is reported by the garbage collector at some
later, random moment, where `filterwarnings = error` fails whatever test runs
then. Collecting right after each test puts the failure on the test that
leaked. Survivors of each check are frozen out of later collections, so a
check costs only the objects its test made.
"""

from __future__ import annotations

import gc
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

# How long a thread the test started may take to finish (asyncio's own helper
# threads end a moment after the loop that started them).
THREAD_GRACE_SECONDS = 1.0
# A loop's default executor: its workers live as long as the loop (playwright's
# lives as long as the browser), however the test ends.
EXECUTOR_THREAD_PREFIX = "asyncio_"


@contextmanager
def nothing_left_open() -> Iterator[None]:
    """Fail if the block leaves a thread running or drops an unclosed socket or session."""
    threads = set(threading.enumerate())
    yield
    started = {t for t in threading.enumerate() if t not in threads}
    running = _still_running({t for t in started if not t.name.startswith(EXECUTOR_THREAD_PREFIX)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    gc.freeze()
    unclosed = sorted({str(w.message) for w in caught if issubclass(w.category, ResourceWarning)})
    assert not running, f"threads still running after the test: {', '.join(running)}"
    assert not unclosed, "left unclosed by the test:\n  " + "\n  ".join(unclosed)


def _still_running(threads: set[threading.Thread]) -> list[str]:
    deadline = time.monotonic() + THREAD_GRACE_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(thread.name for thread in threads if thread.is_alive())
