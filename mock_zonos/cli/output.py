"""Writing to a stdout whose reader may go away (`mock-zonos trigger … | head`)."""

from __future__ import annotations

import os
import sys


def silence_stdout() -> None:
    """Point stdout at /dev/null: the pipe's reader has gone, and the interpreter's own
    flush at exit must not raise BrokenPipeError once more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
