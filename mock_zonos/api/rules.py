"""The validation rules every document passes: GraphQL's own, one of them a little lenient.

Zonos' PHP SDK declares `query Order($orderId: ID!) { order(orderId: $orderId) … }`
although the argument is `String!`; the spec's rule refuses that, the live API
evidently does not. Here an `ID` variable may stand where a `String` is
expected, with the same list and non-null wrappers (or a non-null variable
where a nullable String goes). Both are strings on the wire.
"""

from __future__ import annotations

import re

from graphql import GraphQLError, specified_rules
from graphql.validation import ASTValidationRule, VariablesInAllowedPositionRule

_MISPLACED = re.compile(
    r"of type '(?P<variable>[^']+)' used in position expecting type '(?P<position>[^']+)'"
)
_ID = re.compile(r"\bID\b")


class IdForStringVariables(VariablesInAllowedPositionRule):
    """The spec's rule, except for an ID variable in a String position."""

    def report_error(self, error: GraphQLError) -> None:
        found = _MISPLACED.search(error.message)
        if found:
            as_string = _ID.sub("String", found["variable"])
            if as_string in (found["position"], found["position"] + "!"):
                return
        super().report_error(error)


VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = tuple(
    IdForStringVariables if rule is VariablesInAllowedPositionRule else rule
    for rule in specified_rules
)
