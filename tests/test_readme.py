"""The README's "Use it in your tests" examples, run as the foreign suite they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"```python\n# (test_\w+\.py)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall(README.read_text())


def test_the_readme_has_the_four_examples() -> None:
    assert [name for name, _ in _examples()] == [
        "test_sync_example.py",
        "test_async_example.py",
        "test_retry_example.py",
        "test_receiver_example.py",
    ]


@pytest.mark.parametrize(("name", "code"), _examples(), ids=[name for name, _ in _examples()])
def test_a_readme_example_passes(pytester: pytest.Pytester, name: str, code: str) -> None:
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_default_fixture_loop_scope = function
        """
    )
    pytester.path.joinpath(name).write_text(code)
    tests = len(re.findall(r"^(?:async )?def test_", code, re.M))
    pytester.runpytest_subprocess().assert_outcomes(passed=tests)
