"""Runs GraphQL requests, parsing and validating each distinct query text only once."""

from __future__ import annotations

from collections import OrderedDict
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
    parse,
    validate,
)

from .compiled import CompiledOperation, compile_operation
from .fence import ExecutorMode, RootCalls, check_same, root_calls
from .rules import VALIDATION_RULES


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query text parsed and validated: a document, or the errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    introspection_only: bool
    compiled: CompiledOperation | None = None


def _introspection_only(document: DocumentNode) -> bool:
    """Whether every operation asks only for __schema, __type or __typename."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for operation in operations
        for selection in operation.selection_set.selections
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
        cache_size: int = 512,
    ) -> None:
        self.schema = schema
        self.mode = mode
        self._cache_size = cache_size
        self._prepared: OrderedDict[str, PreparedQuery] = OrderedDict()

    def prepare(self, query: str) -> PreparedQuery:
        prepared = self._prepared.get(query)
        if prepared is not None:
            self._prepared.move_to_end(query)
            return prepared
        prepared = self._prepare(query)
        self._prepared[query] = prepared
        if len(self._prepared) > self._cache_size:
            self._prepared.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> PreparedQuery:
        try:
            document = parse(query)
        except GraphQLError as error:
            return PreparedQuery(None, (error,), introspection_only=False)
        errors = validate(self.schema, document, VALIDATION_RULES)
        compiled = None
        if not errors and self.mode is not ExecutorMode.GRAPHQL_CORE:
            compiled = compile_operation(self.schema, document)
        return PreparedQuery(document, tuple(errors), _introspection_only(document), compiled)

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
