"""The README's "Use it in your tests" examples, run as the foreign suite they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"```python\n# (test_\w+\.py)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall(README.read_text())


def test_the_readme_has_its_examples() -> None:
    assert [name for name, _ in _examples()] == [
        "test_sync_example.py",
        "test_async_example.py",
        "test_retry_example.py",
        "test_lifecycle_example.py",
        "test_receiver_example.py",
    ]


def test_every_readme_example_passes(pytester: pytest.Pytester) -> None:
    # One run for all of them; an example may hold more than one test.
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_default_fixture_loop_scope = function
        """
    )
    for name, code in _examples():
        pytester.path.joinpath(name).write_text(code)
    tests = sum(len(re.findall(r"^(?:async )?def test_", code, re.M)) for _, code in _examples())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=tests)
