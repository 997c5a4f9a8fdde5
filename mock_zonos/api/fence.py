"""The fence around the compiled executor: which executor runs, and a check of one by the other.

`MOCK_ZONOS_EXECUTOR` chooses:
- `compiled` (the default): the compiled executor wherever it applies;
- `graphql-core`: graphql-core's reference executor for every request;
- `both`: every request through both, any difference an error that names it.

In `both`, a mutation's root resolvers must not run twice (a webhook would be
created twice): graphql-core runs first and records what each root resolver
was given and returned; the compiled run is handed those results instead of
running the resolvers again, so everything past the root is still executed
by both, and the arguments each computed are compared.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from graphql import ExecutionResult, GraphQLSchema

EXECUTOR_VARIABLE = "MOCK_ZONOS_EXECUTOR"

Resolver = Callable[..., Any]


class ExecutorMode(StrEnum):
    COMPILED = "compiled"
    GRAPHQL_CORE = "graphql-core"
    BOTH = "both"


def executor_mode() -> ExecutorMode:
    """The mode `MOCK_ZONOS_EXECUTOR` asks for; a value it cannot be is a ValueError."""
    text = os.environ.get(EXECUTOR_VARIABLE, ExecutorMode.COMPILED)
    try:
        return ExecutorMode(text)
    except ValueError:
        choices = ", ".join(mode.value for mode in ExecutorMode)
        raise ValueError(f"{EXECUTOR_VARIABLE} must be one of {choices}, got {text!r}") from None


class ExecutorMismatch(Exception):
    """The two executors answered one request differently."""

    def __init__(self, reference: ExecutionResult, compiled: ExecutionResult) -> None:
        super().__init__("the compiled executor and graphql-core answered differently")
        self.reference = reference.formatted
        self.compiled = compiled.formatted


def check_same(reference: ExecutionResult, compiled: ExecutionResult) -> None:
    if reference.formatted != compiled.formatted:
        raise ExecutorMismatch(reference, compiled)


class RootCalls:
    """What each root resolver was given and gave in the first run, keyed by response key."""

    def __init__(self) -> None:
        self.outcomes: dict[str, tuple[dict[str, Any], Any]] = {}
        self.replaying = False


_root_calls: ContextVar[RootCalls | None] = ContextVar("mock_zonos_root_calls", default=None)


@contextmanager
def root_calls(calls: RootCalls) -> Iterator[None]:
    """Root resolvers called inside record into, or replay from, `calls`."""
    token = _root_calls.set(calls)
    try:
        yield
    finally:
        _root_calls.reset(token)


def fence_mutations(schema: GraphQLSchema) -> None:
    """Wrap every mutation resolver so that `both` runs it once per request."""
    assert schema.mutation_type is not None
    for field in schema.mutation_type.fields.values():
        if field.resolve is not None:
            field.resolve = _recorded_or_replayed(field.resolve)


def _recorded_or_replayed(resolve: Resolver) -> Resolver:
    def resolver(source: Any, info: Any, **args: Any) -> Any:
        calls = _root_calls.get()
        if calls is None:
            return resolve(source, info, **args)
        key = info.path.key
        if calls.replaying:
            recorded_args, outcome = calls.outcomes[key]
            if recorded_args != args:
                raise AssertionError(f"{key} was given {args}, not {recorded_args}")
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        try:
            value = resolve(source, info, **args)
        except Exception as error:
            calls.outcomes[key] = (args, error)
            raise
        calls.outcomes[key] = (args, value)
        return value

    return resolver
