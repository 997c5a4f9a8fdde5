"""What a request costs, counted as Zonos documents it, before anything runs.

Zonos charges 5 points for a query and 10 for a mutation, plus 1 point for
every object the request returns; scalar fields are free. A connection is
charged for its nodes, not its wrapper: `orders(first: 10) { edges { node
{ id } } }` costs 5 + 10. So here:

- every field of an object type returns one object, or as many as its list
  holds, and each costs 1 point, except the Relay plumbing around them
  (`…Connection`, `…Edge` and `PageInfo` types), which is free;
- a list directly inside a connection (`edges`, `nodes`) holds the page the
  connection asks for: its `first` or `last`, 20 when neither is given, at
  most 100 (a larger page is refused when it runs);
- any other list of objects (a webhook's `headers`, an order's `items`) counts
  as one object: its length is not known before it runs, and counting more
  would make a query that selects a few small lists cost more than the bucket.

The walk follows the schema, not a list of known fields, so a type added to
schema.graphql is costed without a change here. Fragments are costed once
each, so a document that spreads fragments into one another costs linear time
however large the number it adds up to.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef

from ..domain.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

BASE_COST = {OperationType.QUERY: 5, OperationType.MUTATION: 10, OperationType.SUBSCRIPTION: 5}
# What a list of objects that no `first`/`last` sizes is taken to hold.
UNSIZED_LIST_ESTIMATE = 1
_PAGE_ARGUMENTS = ("first", "last")
_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def is_relay_plumbing(type_: GraphQLNamedType) -> bool:
    """A connection, an edge or a PageInfo: the wrapping of a page, not an object of its own."""
    name = type_.name
    return name.endswith(("Connection", "Edge")) or name == "PageInfo"


class _VariablesRead(Exception):
    """The cost depends on the request's variables: it cannot be computed once for all."""


@dataclass(slots=True)
class _Walk:
    """One costing of one operation; `variables` None means "must not depend on them"."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any] | None
    defaults: Mapping[str, ValueNode | None]
    _fragment_costs: dict[tuple[str, int | None], int] = field(default_factory=dict)

    def selection_cost(
        self, parent: GraphQLNamedType, selections: SelectionSetNode, page: int | None
    ) -> int:
        """The points one object of `parent` adds through this selection set; `page` is the
        page size of the connection it belongs to, when it is one."""
        total = 0
        for selection in selections.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                total += self._field_cost(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                if inner is not None:
                    total += self.selection_cost(inner, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, page)
        return total

    def _fragment_cost(self, name: str, page: int | None) -> int:
        known = self._fragment_costs.get((name, page))
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        cost = 0
        if fragment is not None:
            # Zero first: a fragment cycle (refused by validation) must not recurse for ever.
            self._fragment_costs[(name, page)] = 0
            condition = self.schema.get_type(fragment.type_condition.name.value)
            if condition is not None:
                cost = self.selection_cost(condition, fragment.selection_set, page)
        self._fragment_costs[(name, page)] = cost
        return cost

    def _field_cost(self, parent: GraphQLNamedType, node: FieldNode, page: int | None) -> int:
        definition = _field_definition(parent, node.name.value)
        if definition is None or node.selection_set is None:
            return 0
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return 0
        count = self._items(definition.type, node, page)
        inner_page = self._page_size(definition, node)
        own = 0 if is_relay_plumbing(named) else 1
        return count * (own + self.selection_cost(named, node.selection_set, inner_page))

    def _items(self, type_: GraphQLOutputType, node: FieldNode, page: int | None) -> int:
        """How many objects a field of this type returns per parent object."""
        if isinstance(type_, GraphQLNonNull):
            return self._items(type_.of_type, node, page)
        if not isinstance(type_, GraphQLList):
            return 1
        size = page if page is not None else UNSIZED_LIST_ESTIMATE
        return size * self._items(type_.of_type, node, None)

    def _page_size(self, definition: GraphQLField, node: FieldNode) -> int | None:
        """The page a connection field asks for, which sizes the lists inside it."""
        if not any(name in definition.args for name in _PAGE_ARGUMENTS):
            return None
        sizes = [self._argument(node, name) for name in _PAGE_ARGUMENTS]
        given = [size for size in sizes if isinstance(size, int) and not isinstance(size, bool)]
        if not given:
            return DEFAULT_PAGE_SIZE
        return min(max(max(given), 0), MAX_PAGE_SIZE)

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return self._value(argument.value)
        return None

    def _value(self, value: ValueNode | None) -> Any:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            name = value.name.value
            if self.variables is None:
                raise _VariablesRead
            if name in self.variables:
                return self.variables[name]
            return self._value(self.defaults.get(name))
        if value is None or isinstance(value, NullValueNode):
            return None
        return getattr(value, "value", None)

    def _included(self, selection: Any) -> bool:
        for directive in selection.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            condition = next(
                (a.value for a in directive.arguments or () if a.name.value == "if"), None
            )
            if self._value(condition) is (name == "skip"):
                return False
        return True


def _field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    meta = _META_FIELDS.get(name)
    if meta is not None:
        return meta
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields is not None else None


class QueryCost:
    """The cost of each operation of a validated document, computed once unless it
    depends on the variables (a page size given as `$first`, say)."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self._schema = schema
        self._operations: dict[str | None, OperationDefinitionNode] = {}
        fragments: dict[str, FragmentDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                name = definition.name.value if definition.name else None
                self._operations[name] = definition
            elif isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
        self._fragments = fragments
        self._fixed: dict[str | None, int] = {}
        for name, operation in self._operations.items():
            with suppress(_VariablesRead):
                self._fixed[name] = self._walk(operation, None)

    def of(self, operation_name: str | None, variables: Mapping[str, Any] | None) -> int | None:
        """The operation's cost; None when the request names no operation it can run
        (execution reports that)."""
        if operation_name is None and len(self._operations) == 1:
            operation_name = next(iter(self._operations))
        fixed = self._fixed.get(operation_name)
        if fixed is not None:
            return fixed
        operation = self._operations.get(operation_name)
        if operation is None:
            return None
        return self._walk(operation, variables or {})

    def _walk(self, operation: OperationDefinitionNode, variables: Mapping[str, Any] | None) -> int:
        defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        walk = _Walk(self._schema, self._fragments, variables, defaults)
        root = self._schema.get_root_type(operation.operation)
        base = BASE_COST[operation.operation]
        if not isinstance(root, GraphQLObjectType):
            return base
        return base + walk.selection_cost(root, operation.selection_set, None)
