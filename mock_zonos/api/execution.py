"""Runs GraphQL requests, parsing and validating each distinct query text only once.

Preparing a new text (parse, validate, cost, compile) is pure work on
immutable inputs, so it runs on a worker thread: however large a document
within the caps of limits.py, the event loop keeps answering meanwhile. The
prepared texts are cached by query text, bounded by count and by an estimate
of the memory they hold.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
    validate,
)

from .compiled import CompiledOperation, compile_operation
from .cost import QueryCost
from .fence import ExecutorMode, RootCalls, check_same, root_calls
from .limits import parse_within_limits
from .rules import VALIDATION_RULES

CACHE_ENTRIES = 512
CACHE_BYTES = 8 * 1024 * 1024
# Measured with tracemalloc: a prepared document (tokens, AST, compiled plan) holds
# about 0.5 to 2 KiB per token; the estimate errs on the large side.
BYTES_PER_TOKEN = 1024
BYTES_PER_ENTRY = 2048


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query text parsed and validated: a document, or the errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    introspection_only: bool
    compiled: CompiledOperation | None = None
    cost: QueryCost | None = None
    # What the cache counts this entry as holding, in bytes.
    weight: int = BYTES_PER_ENTRY

    def cost_of(
        self, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> int | None:
        """The request's cost in Zonos points; None when it names no operation to run."""
        return self.cost.of(operation_name, variables) if self.cost is not None else None


def _introspection_only(document: DocumentNode) -> bool:
    """Whether every operation asks only for __schema, __type or __typename."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for operation in operations
        for selection in operation.selection_set.selections
    )


def _clearer(error: GraphQLError) -> GraphQLError:
    # graphql-core stops comparing same-named fields pairwise past a budget, and says
    # only this; within MAX_FIELDS a document can reach it by repeating one field.
    if error.message != "Validation aborted.":
        return error
    return GraphQLError(
        "The query is too complex to validate: it selects fields of one name so many "
        "times that comparing them pairwise passes graphql-core's budget. Select each once."
    )


class GraphQLExecutor:
    """Executes requests against one schema with a bounded cache of prepared queries.

    Clients send the same few query texts over and over; parsing and
    validating them again each time would cost more than executing them.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        mode: ExecutorMode = ExecutorMode.COMPILED,
        cache_entries: int = CACHE_ENTRIES,
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        self.schema = schema
        self.mode = mode
        self._cache_entries = cache_entries
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._prepared: OrderedDict[str, PreparedQuery] = OrderedDict()
        # One thread: documents are prepared one at a time, never many at once.
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="mock-zonos-graphql")

    def start(self) -> None:
        """Start the worker thread now, so that it lives exactly as long as the server."""
        self._worker.submit(int).result()

    def close(self) -> None:
        """Stop the worker thread, once the document it may be preparing is done."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    def prepare(self, query: str) -> PreparedQuery:
        """The prepared query, prepared on the calling thread when not cached."""
        return self._cached(query) or self._keep(query, self._prepare(query))

    async def prepare_off_loop(self, query: str) -> PreparedQuery:
        """The prepared query, prepared on the worker thread when not cached."""
        cached = self._cached(query)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        return self._keep(query, await loop.run_in_executor(self._worker, self._prepare, query))

    @property
    def cached_bytes(self) -> int:
        """What the cached prepared queries are estimated to hold."""
        return self._cached_bytes

    @property
    def cached_entries(self) -> int:
        return len(self._prepared)

    def _cached(self, query: str) -> PreparedQuery | None:
        prepared = self._prepared.get(query)
        if prepared is not None:
            self._prepared.move_to_end(query)
        return prepared

    def _keep(self, query: str, prepared: PreparedQuery) -> PreparedQuery:
        previous = self._prepared.pop(query, None)
        if previous is not None:
            self._cached_bytes -= previous.weight
        self._prepared[query] = prepared
        self._cached_bytes += prepared.weight
        while len(self._prepared) > 1 and (
            len(self._prepared) > self._cache_entries or self._cached_bytes > self._cache_bytes
        ):
            _, evicted = self._prepared.popitem(last=False)
            self._cached_bytes -= evicted.weight
        return prepared

    def _prepare(self, query: str) -> PreparedQuery:
        weight = BYTES_PER_ENTRY + len(query)
        parsed = parse_within_limits(query)
        document = parsed.document
        if document is None:
            assert parsed.error is not None
            return PreparedQuery(None, (parsed.error,), False, weight=weight)
        weight += parsed.tokens * BYTES_PER_TOKEN
        errors = tuple(map(_clearer, validate(self.schema, document, VALIDATION_RULES)))
        introspection_only = _introspection_only(document)
        if errors:
            return PreparedQuery(document, errors, introspection_only, weight=weight)
        compiled = None
        if self.mode is not ExecutorMode.GRAPHQL_CORE:
            compiled = compile_operation(self.schema, document)
        cost = QueryCost(self.schema, document)
        return PreparedQuery(document, (), introspection_only, compiled, cost, weight)

    def execute(
        self,
        prepared: PreparedQuery,
        *,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
    ) -> ExecutionResult:
        """Raises ExecutorMismatch when, in `both` mode, the two executors disagree."""
        compiled = prepared.compiled
        assert prepared.document is not None
        if compiled is None or operation_name not in (None, compiled.name):
            return self.execute_with_graphql_core(
                prepared.document,
                variables=variables,
                operation_name=operation_name,
                context=context,
            )
        if self.mode is ExecutorMode.COMPILED:
            return compiled.execute(variables, context)
        calls = RootCalls()
        with root_calls(calls):
            reference = self.execute_with_graphql_core(
                prepared.document,
                variables=variables,
                operation_name=operation_name,
                context=context,
            )
            calls.replaying = True
            check_same(reference, compiled.execute(variables, context))
        return reference

    async def execute_in_slices(
        self,
        prepared: PreparedQuery,
        *,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
    ) -> ExecutionResult:
        """As `execute`; on the compiled executor, yielding to the event loop between
        top-level fields once a slice of time is spent (see compiled.py)."""
        compiled = prepared.compiled
        if (
            self.mode is ExecutorMode.COMPILED
            and compiled is not None
            and operation_name in (None, compiled.name)
        ):
            return await compiled.execute_in_slices(variables, context)
        return self.execute(
            prepared, variables=variables, operation_name=operation_name, context=context
        )

    def execute_with_graphql_core(
        self,
        document: DocumentNode,
        *,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
    ) -> ExecutionResult:
        result = execute(
            self.schema,
            document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
        )
        # Every resolver is synchronous: the store is in memory.
        assert isinstance(result, ExecutionResult)
        return result
