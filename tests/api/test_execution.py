"""The prepared-query cache and the worker thread that prepares new texts."""

from __future__ import annotations

import threading

import pytest

from mock_zonos.api import execution, limits
from mock_zonos.api.execution import CACHE_BYTES, GraphQLExecutor
from mock_zonos.api.limits import Parsed
from mock_zonos.api.schema import build_schema


def test_the_cache_is_bounded_by_the_memory_it_holds() -> None:
    executor = GraphQLExecutor(build_schema(), cache_bytes=200_000)
    queries = [f"{{ __typename }} # {number} {'x' * 20_000}" for number in range(20)]
    for query in queries:
        assert executor.prepare(query).weight > 20_000
    assert executor.cached_bytes <= 200_000
    assert 1 < executor.cached_entries < 20
    newest = executor.prepare(queries[-1])
    assert executor.prepare(queries[-1]) is newest
    assert CACHE_BYTES <= 16 * 1024 * 1024


def test_the_cache_is_bounded_by_entries() -> None:
    executor = GraphQLExecutor(build_schema(), cache_entries=3)
    for number in range(10):
        executor.prepare("query Q%d { __typename }" % number)
    assert executor.cached_entries == 3


def test_refused_documents_are_cached_too() -> None:
    executor = GraphQLExecutor(build_schema())
    refused = executor.prepare("{ nope ")
    assert refused.errors and refused.document is None
    assert executor.prepare("{ nope ") is refused


async def test_new_texts_are_prepared_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = limits.parse_within_limits

    def recording(query: str) -> Parsed:
        threads.append(threading.current_thread().name)
        return real(query)

    monkeypatch.setattr(execution, "parse_within_limits", recording)
    executor = GraphQLExecutor(build_schema())
    executor.start()
    try:
        first = await executor.prepare_off_loop("{ __typename }")
        again = await executor.prepare_off_loop("{ __typename }")
    finally:
        executor.close()
    assert first is again
    assert len(threads) == 1
    assert threads[0].startswith("mock-zonos-graphql")


def test_a_document_too_complex_to_validate_says_so() -> None:
    executor = GraphQLExecutor(build_schema())
    repeated = "{ webhooks { edges { node { %s } } } }" % " ".join(["id"] * 1990)
    (error,) = executor.prepare(repeated).errors
    assert error.message.startswith("The query is too complex to validate")
