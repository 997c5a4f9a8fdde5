"""The caps on a document, checked while it is parsed and before it is validated."""

from __future__ import annotations

import time

from graphql import get_introspection_query, parse

from mock_zonos.api.limits import (
    MAX_ALIASES,
    MAX_FIELDS,
    MAX_QUERY_LENGTH,
    MAX_TOKENS,
    count_selections,
    parse_within_limits,
)


def refusal(query: str) -> str:
    parsed = parse_within_limits(query)
    assert parsed.document is None and parsed.error is not None
    return parsed.error.message


def test_ordinary_documents_pass_with_their_token_count() -> None:
    parsed = parse_within_limits("{ webhooks(first: 10) { edges { node { id } } } }")
    assert parsed.error is None and parsed.document is not None
    assert parsed.tokens == 19  # the 17 of the text, and the start and end of the file
    introspection = get_introspection_query(descriptions=True, input_value_deprecation=True)
    assert parse_within_limits(introspection).error is None


def test_a_syntax_error_is_graphql_cores_own() -> None:
    assert refusal("{ webhooks {").startswith("Syntax Error: Expected Name")


def test_a_long_text_is_refused_before_it_is_read() -> None:
    message = refusal("{ __typename }" + " " * MAX_QUERY_LENGTH)
    assert message == (
        f"The query is {MAX_QUERY_LENGTH + 14:,} characters long; mock-zonos accepts at most "
        f"{MAX_QUERY_LENGTH:,} (large values belong in variables)."
    )


def test_too_many_tokens_stop_the_parser_early() -> None:
    query = "{ " + " ".join(f"a{i}: id" for i in range(5000)) + " }"
    message = refusal(query)
    assert message == (
        f"The query has more than {MAX_TOKENS:,} tokens; mock-zonos parses at most "
        f"{MAX_TOKENS:,} (a token is a name, a number, a string or a punctuator)."
    )


def test_too_many_fields_are_refused() -> None:
    query = "{ webhooks { edges { node { %s } } } }" % " ".join(["id"] * MAX_FIELDS)
    assert refusal(query) == (
        f"The query selects {MAX_FIELDS + 3:,} fields (a fragment counts wherever it is "
        f"spread); mock-zonos accepts at most {MAX_FIELDS:,}."
    )


def test_too_many_aliases_are_refused() -> None:
    query = "{ %s }" % " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    assert refusal(query) == (
        f"The query has {MAX_ALIASES + 1} aliases; mock-zonos accepts at most {MAX_ALIASES}."
    )
    within = "{ %s }" % " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES))
    assert parse_within_limits(within).error is None


def test_a_deep_document_is_refused_not_crashed() -> None:
    assert "nested too deeply" in refusal("{ a " * 900 + "}" * 900)


def test_fragments_count_wherever_they_are_spread() -> None:
    document = parse(
        """{ a: webhook(id: "1") { ...W } b: webhook(id: "2") { ...W } }
           fragment W on Webhook { id x: url ...H }
           fragment H on Webhook { headers { key } }"""
    )
    # a, b, and twice (id, x, headers, key); aliases a, b and twice x.
    assert count_selections(document) == (2 + 2 * 4, 2 + 2 * 1)


def test_counting_fragments_spread_into_each_other_takes_linear_time() -> None:
    levels = 200
    fragments = "\n".join(
        f"fragment F{i} on Node {{ a {{ ...F{i + 1} }} b {{ ...F{i + 1} }} }}"
        for i in range(levels)
    )
    document = parse("{ node { ...F0 } }\n" + fragments + f"\nfragment F{levels} on Node {{ id }}")
    started = time.perf_counter()
    fields, _ = count_selections(document)
    assert time.perf_counter() - started < 1.0
    assert fields == 1 + sum(2**level for level in range(1, levels + 1)) + 2**levels


def test_a_fragment_cycle_is_left_to_validation() -> None:
    document = parse("{ node { ...A } } fragment A on Node { id ...B } fragment B on Node { ...A }")
    assert count_selections(document) == (2, 0)
