"""The errors the domain raises; each names the Zonos errorType it maps to."""

from __future__ import annotations

from typing import ClassVar


class MockZonosError(Exception):
    """A request mock-zonos refuses, with a message meant for the caller."""

    error_type: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(MockZonosError):
    """An argument or field the caller got wrong; the message names it."""


class NotFound(MockZonosError):
    error_type = "NOT_FOUND"


class Unauthorized(MockZonosError):
    error_type = "UNAUTHORIZED"


class Unavailable(MockZonosError):
    """The server cannot do it now: it is shutting down."""

    error_type = "UNAVAILABLE"


class Conflict(MockZonosError):
    """A request that is well formed but clashes with the state (a DISABLED webhook, say)."""


class FixtureError(Exception):
    """A fixture file that cannot be loaded: names the file, the entry and what is wrong."""

    def __init__(self, path: str, where: str, problem: str) -> None:
        location = f"{path}: {where}" if where else path
        super().__init__(f"{location}: {problem}")
        self.path = path
        self.where = where
        self.problem = problem
