"""A compiled executor for the ordinary request: one operation over object types.

graphql-core spends most of a request on per-field bookkeeping for features
this schema never uses (awaitable resolvers, @defer, abstract types). Here a
validated document is compiled once into a plan: per field, its resolver or
a plain attribute getter, its arguments when they are literals, and a
completion function specialised to its return type. Executing walks the plan
with graphql-core's own semantics: the same argument and variable coercion
(its functions are reused), the same null propagation, error messages, paths
and locations. Whatever the plan does not cover (introspection, several
operations, directives that depend on variables, abstract types) returns None
from `compile_operation` and runs on graphql-core; a differential test keeps
the two executors identical.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from inspect import getclosurevars
from typing import Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_nullable_type,
    is_leaf_type,
    located_error,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.pyutils import Path, Undefined, inspect, is_awaitable, is_iterable
from graphql.type.definition import GraphQLResolveInfoHelpers

# graphql-core's default limit on variable coercion errors.
MAX_COERCION_ERRORS = 50
# How long execution keeps the event loop before it lets other requests have a turn.
SLICE_SECONDS = 0.010

# The response path while executing: (parent, key, parent type name), nested
# tuples being much cheaper than graphql-core's Path; made a Path only when an
# error or a resolver needs one.
Chain = tuple[Any, str | int, str | None]
Completer = Callable[["Execution", Any, Chain], Any]


def _path(chain: Chain) -> Path:
    parent, key, typename = chain
    return Path(None if parent is None else _path(parent), key, typename)


def _path_list(chain: Chain) -> list[str | int]:
    keys: list[str | int] = []
    link: Chain | None = chain
    while link is not None:
        keys.append(link[1])
        link = link[0]
    keys.reverse()
    return keys


def _refuse_async_work(*_: Any) -> Any:
    raise RuntimeError("the compiled executor runs synchronous resolvers only")


_NO_ASYNC_WORK = GraphQLResolveInfoHelpers(gather=_refuse_async_work, track=_refuse_async_work)


class NotCompilable(Exception):
    """The document needs something only graphql-core's executor provides."""


def _uses_variables(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_uses_variables(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_uses_variables(field.value) for field in value.fields)
    return False


class FieldPlan:
    """One response key of a selection set: resolve and complete it in one call.

    A field that only reads its parent's key or attribute (no resolver of its own,
    no argument on a variable) also has its name in `read` and its completion in
    `complete`: the execution reads and completes it without a call through `run`.
    """

    __slots__ = ("as_is", "complete", "key", "nodes", "non_null", "parent_name", "read", "run")

    def __init__(
        self,
        key: str,
        nodes: list[FieldNode],
        parent_name: str,
        non_null: bool,
        run: Completer,
        read: str | None,
        complete: Completer,
        as_is: type | None = None,
    ) -> None:
        self.key = key
        self.nodes = nodes
        self.parent_name = parent_name
        self.non_null = non_null
        self.run = run
        self.read = read
        self.complete = complete
        # The Python type whose values complete as themselves (a str for a String).
        self.as_is = as_is


class FieldInfo:
    """What a resolver's GraphQLResolveInfo says of its field."""

    __slots__ = ("field_def", "name", "nodes", "parent_type")

    def __init__(
        self,
        name: str,
        nodes: list[FieldNode],
        field_def: GraphQLField,
        parent_type: GraphQLObjectType,
    ) -> None:
        self.name, self.nodes, self.field_def, self.parent_type = (
            name,
            nodes,
            field_def,
            parent_type,
        )


class Compiler:
    """Turns one operation into field plans, merging fields and fragments as the spec does."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def selection(
        self, parent_type: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> list[FieldPlan]:
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(parent_type, selection_set, grouped, visited)
        return [self._field(key, nodes, parent_type) for key, nodes in grouped.items()]

    def _collect(
        self,
        parent_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not _included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._matches(selection.type_condition, parent_type):
                    self._collect(parent_type, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._matches(fragment.type_condition, parent_type):
                    self._collect(parent_type, fragment.selection_set, grouped, visited)

    def _matches(self, condition: Any, parent_type: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        named = self.schema.get_type(condition.name.value)
        if not isinstance(named, GraphQLObjectType):
            raise NotCompilable("a fragment on an abstract type")
        return named is parent_type

    def _field(self, key: str, nodes: list[FieldNode], parent_type: GraphQLObjectType) -> FieldPlan:
        name = nodes[0].name.value
        if name == "__typename":
            typename = parent_type.name
            run: Completer = lambda _, __, ___: typename  # noqa: E731
            return FieldPlan(key, nodes, typename, True, run, None, run)
        if name.startswith("__"):
            raise NotCompilable("introspection")
        field_def = parent_type.fields[name]
        info = FieldInfo(name, nodes, field_def, parent_type)
        complete = self._completer(field_def.type, info, None)
        non_null = isinstance(field_def.type, GraphQLNonNull)
        run, read = _runner(info, complete)
        as_is = _AS_IS.get(get_nullable_type(field_def.type))
        return FieldPlan(key, nodes, parent_type.name, non_null, run, read, complete, as_is)

    def _completer(
        self, return_type: GraphQLOutputType, info: FieldInfo, null_message: str | None
    ) -> Completer:
        """Completes values of this type; a null_message makes null an error (non-null)."""
        where = f"{info.parent_type}.{info.name}"
        if isinstance(return_type, GraphQLNonNull):
            message = f"Cannot return null for non-nullable field {where}."
            return self._completer(return_type.of_type, info, message)
        if isinstance(return_type, GraphQLList):
            item_type = return_type.of_type
            item = self._completer(item_type, info, None)
            item_non_null = isinstance(item_type, GraphQLNonNull)
            return _list(item, item_non_null, info.nodes, where, null_message)
        if is_leaf_type(return_type):
            return _leaf(return_type, null_message)
        if isinstance(return_type, GraphQLObjectType) and return_type.is_type_of is None:
            selection_sets = [node.selection_set for node in info.nodes if node.selection_set]
            return _object(self.selection(return_type, selection_sets), null_message)
        raise NotCompilable(f"the return type of {where}")


def _is_mapping(cls: type) -> bool:
    """isinstance(x, Mapping) goes through the ABC machinery: ask once per type."""
    known = _MAPPING_TYPES.get(cls)
    if known is None:
        known = _MAPPING_TYPES[cls] = issubclass(cls, Mapping)
    return known


_MAPPING_TYPES: dict[type, bool] = {dict: True}


def _runner(info: FieldInfo, complete: Completer) -> tuple[Completer, str | None]:
    """Resolves the field from its parent, arguments coerced as graphql-core does, and
    completes the value; with the key or attribute it reads, when it only reads one and
    its arguments are literals (they matter only to a callable value)."""
    field_def, first = info.field_def, info.nodes[0]
    # Literal arguments are coerced once and shared by every execution of the plan:
    # resolvers read their arguments and must never modify them (none does).
    static_args: dict[str, Any] | None = None
    if not (field_def.args or first.arguments):
        static_args = {}
    elif not any(_uses_variables(argument.value) for argument in first.arguments or ()):
        with suppress(GraphQLError):  # a literal that fails coercion fails at execution
            static_args = get_argument_values(field_def, first)

    resolve = field_def.resolve
    attribute = _plain_attribute(info.name, resolve)
    if attribute is None:
        assert resolve is not None
        custom = resolve

        def run_resolver(execution: Execution, source: Any, chain: Chain) -> Any:
            args = static_args
            if args is None:
                args = get_argument_values(field_def, first, execution.variables)
            return complete(execution, custom(source, execution.info(info, chain), **args), chain)

        return run_resolver, None

    def run_attribute(execution: Execution, source: Any, chain: Chain) -> Any:
        args = static_args
        if args is None:
            args = get_argument_values(field_def, first, execution.variables)
        if _is_mapping(type(source)):
            value = source.get(attribute)
        else:
            value = getattr(source, attribute, None)
        if callable(value):
            value = value(execution.info(info, chain), **args)
        return complete(execution, value, chain)

    return run_attribute, attribute if static_args is not None else None


def _plain_attribute(name: str, resolve: Any) -> str | None:
    """The attribute (or key) a field reads when its resolver does only that: no resolver,
    or Ariadne's `resolve_to` of a plain name (what convert_names_case and most
    `set_alias` calls make); None for any other resolver, a dotted alias included."""
    if resolve is None:
        return name
    if not getattr(resolve, "_ariadne_alias_resolver", False):
        return None
    target = getclosurevars(resolve).nonlocals.get("attr_name")
    return target if isinstance(target, str) and "." not in target else None


def _included(selection: Any) -> bool:
    for directive in selection.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        (argument,) = directive.arguments
        if not isinstance(argument.value, BooleanValueNode):
            raise NotCompilable("@skip or @include on a variable")
        if argument.value.value == (name == "skip"):
            return False
    return True


def _list(
    item: Completer,
    item_non_null: bool,
    nodes: list[FieldNode],
    where: str,
    null_message: str | None,
) -> Completer:
    message = f"Expected Iterable, but did not find one for field '{where}'."

    def complete_list(execution: Execution, value: Any, chain: Chain) -> Any:
        if value is None or value is Undefined:
            if null_message:
                raise TypeError(null_message)
            return None
        if isinstance(value, Exception):
            raise value
        if not is_iterable(value):
            raise GraphQLError(message)
        completed = []
        for index, element in enumerate(value):
            item_chain = (chain, index, None)
            try:
                completed.append(item(execution, element, item_chain))
            except Exception as error:
                execution.field_error(error, nodes, item_chain, item_non_null)
                completed.append(None)
        return completed

    return complete_list


# graphql-core's String and ID give a str back as it is, and Boolean a bool.
_AS_IS: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _enum_names(enum: GraphQLEnumType) -> dict[Any, str]:
    """Each value's name, as graphql-core's coerce_output_value finds it: the first name of
    a value, a name for itself when its value is null; unhashable values left out."""
    names: dict[Any, str] = {}
    for name, enum_value in enum.values.items():
        value = enum_value.value
        if value is None or value is Undefined:
            value = name
        with suppress(TypeError):
            names.setdefault(value, name)
    return names


def _leaf(return_type: Any, null_message: str | None) -> Completer:
    coerce = return_type.coerce_output_value
    text_is_itself = _AS_IS.get(return_type) is str
    names = _enum_names(return_type) if isinstance(return_type, GraphQLEnumType) else None

    def complete_leaf(_: Execution, value: Any, __: Chain) -> Any:
        if text_is_itself and type(value) is str:
            return value
        if value is None or value is Undefined:
            if null_message:
                raise TypeError(null_message)
            return None
        if isinstance(value, Exception):
            raise value
        if names is not None:
            try:
                name = names.get(value)
            except TypeError:  # unhashable: coerce_output_value scans the values
                name = None
            if name is not None:
                return name
        coerced = coerce(value)
        if coerced is Undefined or coerced is None:
            raise TypeError(
                f"Expected `{inspect(return_type)}.coerce_output_value({inspect(value)})` "
                f"to return non-nullable value, returned: {inspect(coerced)}"
            )
        return coerced

    return complete_leaf


def _object(plans: list[FieldPlan], null_message: str | None) -> Completer:
    def complete_object(execution: Execution, value: Any, chain: Chain) -> Any:
        if value is None or value is Undefined:
            if null_message:
                raise TypeError(null_message)
            return None
        if isinstance(value, Exception):
            raise value
        return execution.fields(plans, value, chain)

    return complete_object


class CompiledOperation:
    """A single operation of a validated document, ready to execute many times."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1:
            raise NotCompilable("several operations")
        self.schema = schema
        self.operation = operation = operations[0]
        if operation.directives:
            raise NotCompilable("operation directives")
        self.name = operation.name.value if operation.name else None
        root_types = {
            OperationType.QUERY: schema.query_type,
            OperationType.MUTATION: schema.mutation_type,
        }
        root_type = root_types.get(operation.operation)
        if root_type is None:
            raise NotCompilable(f"a {operation.operation.value} operation")
        self.root_type = root_type
        compiler = Compiler(schema, document)
        self.fragments = compiler.fragments
        self.plans = compiler.selection(root_type, [operation.selection_set])

    def execute(self, raw_variables: dict[str, Any] | None, context: Any) -> ExecutionResult:
        execution = self._execution(raw_variables, context)
        if isinstance(execution, ExecutionResult):
            return execution
        try:
            data = execution.fields(self.plans, None, None)
        except GraphQLError as error:
            execution.errors.append(error)
            data = None
        return ExecutionResult(data, execution.errors or None)

    async def execute_in_slices(
        self, raw_variables: dict[str, Any] | None, context: Any
    ) -> ExecutionResult:
        """As `execute`, but between top-level fields, once it has run for a slice, it
        lets the event loop serve others: a query of many large aliases stalls nobody."""
        execution = self._execution(raw_variables, context)
        if isinstance(execution, ExecutionResult):
            return execution
        try:
            data = await execution.root_fields_in_slices(self.plans)
        except GraphQLError as error:
            execution.errors.append(error)
            data = None
        return ExecutionResult(data, execution.errors or None)

    def _execution(
        self, raw_variables: dict[str, Any] | None, context: Any
    ) -> Execution | ExecutionResult:
        """The execution's state, or the result when the variables cannot be coerced."""
        coerced = get_variable_values(
            self.schema,
            self.operation.variable_definitions or (),
            raw_variables or {},
            max_errors=MAX_COERCION_ERRORS,
        )
        if isinstance(coerced, list):
            return ExecutionResult(data=None, errors=coerced)
        return Execution(self, coerced, context)


def compile_operation(schema: GraphQLSchema, document: DocumentNode) -> CompiledOperation | None:
    """The compiled operation, or None when graphql-core must execute this document."""
    try:
        return CompiledOperation(schema, document)
    except NotCompilable:
        return None


class Execution:
    """The state of one execution: its variables, context and collected errors."""

    __slots__ = ("context", "errors", "operation", "variables")

    def __init__(
        self, operation: CompiledOperation, variables: VariableValues, context: Any
    ) -> None:
        self.operation = operation
        self.variables = variables
        self.context = context
        self.errors: list[GraphQLError] = []

    def fields(self, plans: list[FieldPlan], source: Any, chain: Chain | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        kind = type(source)
        from_dict = kind is dict
        # A Mapping that is not a dict is read by `run`, as graphql-core reads it.
        from_attributes = not from_dict and source is not None and not _is_mapping(kind)
        for plan in plans:
            key = plan.key
            field_chain = (chain, key, plan.parent_name)
            try:
                # `run_attribute` inlined for a key or attribute read: most fields of a
                # list or of a body built from the world are one.
                read = plan.read
                if read is not None and (from_dict or from_attributes):
                    value = source.get(read) if from_dict else getattr(source, read, None)
                    if type(value) is plan.as_is:
                        result[key] = value
                        continue
                    if not callable(value):
                        result[key] = plan.complete(self, value, field_chain)
                        continue
                result[key] = plan.run(self, source, field_chain)
            except Exception as error:
                self.field_error(error, plan.nodes, field_chain, plan.non_null)
                result[key] = None
        return result

    async def root_fields_in_slices(self, plans: list[FieldPlan]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        slice_ends = time.perf_counter() + SLICE_SECONDS
        for plan in plans:
            if time.perf_counter() > slice_ends:
                await asyncio.sleep(0)
                slice_ends = time.perf_counter() + SLICE_SECONDS
            result.update(self.fields([plan], None, None))
        return result

    def info(self, field: FieldInfo, chain: Chain) -> GraphQLResolveInfo[Any]:
        operation = self.operation
        return GraphQLResolveInfo(
            field.name,
            field.nodes,
            field.field_def.type,
            field.parent_type,
            _path(chain),
            operation.schema,
            operation.fragments,
            None,
            operation.operation,
            self.variables,
            self.context,
            is_awaitable,
            None,
            _NO_ASYNC_WORK,
        )

    def field_error(
        self, error: Exception, nodes: list[FieldNode], chain: Chain, non_null: bool
    ) -> None:
        """Locate the error; re-raise it through a non-null position, else record it."""
        located = located_error(error, nodes, _path_list(chain))
        if non_null:
            raise located
        self.errors.append(located)
