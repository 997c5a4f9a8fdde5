"""How big a document may be: checked while parsing and before validating it.

Parsing and validating cost time in proportion to the document (validation
is quadratic in fields that share a response key), and what an accepted
document returns grows with its fields and aliases. So a document is refused
with BAD_REQUEST when its text, its tokens, the fields it selects or its
aliases pass a cap, long before any of that work is done. No real client
comes near them: Zonos' own webhook queries have under 100 tokens, a full
introspection query about 200, and selecting every field of every type of
schema.graphql takes about 1,600 fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Token,
    parse,
)

MAX_QUERY_LENGTH = 64 * 1024
MAX_TOKENS = 3_000
MAX_FIELDS = 2_000
MAX_ALIASES = 100

# GraphQL's tokens as graphql-core counts them (comments matched, to be skipped), so that
# a document far over the token cap is refused at the speed of `re`, not of the parser.
_TOKENS = re.compile(
    r"""
    \"{3}(?:[^"\\]|\\"{3}|\\|"(?!""))*\"{3}    # block string
    | "(?:[^"\\\n\r]|\\.)*"                      # string
    | (?P<comment>\#[^\n\r]*)
    | [_A-Za-z][_0-9A-Za-z]*                       # name
    | -?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?              # number
    | \.\.\. | [!$&()\[\]{}:=@|]                    # punctuator
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document within the caps and its token count, or the error that refuses it."""

    document: DocumentNode | None
    error: GraphQLError | None
    tokens: int = 0


def parse_within_limits(query: str) -> Parsed:
    """Parse `query`, refusing it as soon as it passes a cap."""
    if len(query) > MAX_QUERY_LENGTH:
        return _refused(
            f"The query is {len(query):,} characters long; mock-zonos accepts at most "
            f"{MAX_QUERY_LENGTH:,} (large values belong in variables)."
        )
    if _more_tokens_than(query, MAX_TOKENS):
        return _too_many_tokens()
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
        fields, aliases = count_selections(document)
    except GraphQLError as error:
        if "Document contains more than" in error.message:
            return _too_many_tokens()
        return Parsed(None, error)
    except RecursionError:
        return _refused("The query is nested too deeply to be parsed.")
    if fields > MAX_FIELDS:
        return _refused(
            f"The query selects {fields:,} fields (a fragment counts wherever it is spread); "
            f"mock-zonos accepts at most {MAX_FIELDS:,}."
        )
    if aliases > MAX_ALIASES:
        return _refused(
            f"The query has {aliases:,} aliases; mock-zonos accepts at most {MAX_ALIASES}."
        )
    return Parsed(document, None, _token_count(document))


def _refused(message: str) -> Parsed:
    return Parsed(None, GraphQLError(message))


def _too_many_tokens() -> Parsed:
    return _refused(
        f"The query has more than {MAX_TOKENS:,} tokens; mock-zonos parses at most "
        f"{MAX_TOKENS:,} (a token is a name, a number, a string or a punctuator)."
    )


def _more_tokens_than(query: str, limit: int) -> bool:
    tokens = (match for match in _TOKENS.finditer(query) if match.lastgroup != "comment")
    return sum(1 for _ in islice(tokens, limit + 1)) > limit


def _token_count(document: DocumentNode) -> int:
    assert document.loc is not None
    count = 0
    token: Token | None = document.loc.start_token
    while token is not None:
        count += 1
        token = token.next
    return count


def count_selections(document: DocumentNode) -> tuple[int, int]:
    """Fields and aliases the document selects, each fragment counted wherever it is
    spread (so nested spreads are counted as executed), in time linear in the text."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    counted: dict[str, tuple[int, int]] = {}

    def in_set(selection_set: SelectionSetNode) -> tuple[int, int]:
        fields = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
                inner = selection.selection_set
            elif isinstance(selection, InlineFragmentNode):
                inner = selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                more_fields, more_aliases = in_fragment(selection.name.value)
                fields, aliases = fields + more_fields, aliases + more_aliases
                continue
            if inner is not None:
                more_fields, more_aliases = in_set(inner)
                fields, aliases = fields + more_fields, aliases + more_aliases
        return fields, aliases

    def in_fragment(name: str) -> tuple[int, int]:
        known = counted.get(name)
        if known is None:
            # Zero first: a fragment cycle (refused by validation) must not recurse for ever.
            counted[name] = (0, 0)
            fragment = fragments.get(name)
            known = counted[name] = in_set(fragment.selection_set) if fragment else (0, 0)
        return known

    total_fields = total_aliases = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            fields, aliases = in_set(definition.selection_set)
            total_fields, total_aliases = total_fields + fields, total_aliases + aliases
    return total_fields, total_aliases
