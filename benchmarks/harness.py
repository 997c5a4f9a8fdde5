"""What every group of rows shares: the processes it starts, the compiled copy of
mock_zonos they import, HTTP on loopback, and the Apollo Server baseline."""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from report import Row

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
PYTHON = sys.executable
TOKEN = "credential_test_benchmark"


class Process:
    """A child process whose first line of output says it is ready."""

    def __init__(
        self, args: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {})},
        )

    def first_line(self, timeout: float = 60) -> str:
        assert self.popen.stdout is not None
        ready, _, _ = select.select([self.popen.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"{self.popen.args!r} said nothing within {timeout} s")
        return self.popen.stdout.readline().strip()

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


@contextmanager
def running(
    args: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Iterator[tuple[Process, str]]:
    """A process started, with its first line, and stopped on the way out."""
    process = Process(args, cwd, env)
    try:
        yield process, process.first_line()
    finally:
        process.stop()


Running = AbstractContextManager[tuple[Process, str]]


@dataclass(frozen=True)
class Python:
    """This interpreter, importing mock_zonos from a compiled copy, never from the checkout.

    The copy is the working directory as well as on PYTHONPATH, since `python -m`
    and `-c` put the working directory first on sys.path.
    """

    root: Path  # mock_zonos/ beside schema.graphql and fixtures/, as in the checkout

    @property
    def env(self) -> dict[str, str]:
        inherited = os.environ.get("PYTHONPATH")
        return {"PYTHONPATH": os.pathsep.join(filter(None, (str(self.root), inherited)))}

    def start(self, *args: str) -> Process:
        return Process([PYTHON, *args], self.root, self.env)

    def running(self, *args: str) -> Running:
        return running([PYTHON, *args], self.root, self.env)

    def run(self, *args: str, check: bool = True, env: Mapping[str, str] | None = None) -> str:
        """What the command printed; with `check`, it must succeed; `env` adds variables."""
        return subprocess.run(
            [PYTHON, *args],
            cwd=self.root,
            env={**os.environ, **self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=check,
        ).stdout

    def mock_zonos(self, *flags: str) -> Running:
        return self.running("-m", "mock_zonos", "--port", "0", *flags)


@contextmanager
def compiled_copy() -> Iterator[Python]:
    """mock_zonos copied to a temporary directory and compiled there.

    Compiled as a wheel install leaves it (PYTHONDONTWRITEBYTECODE may be set
    here), like the aiohttp and Ariadne it is compared with; copied first, so
    that no .pyc lands in the checkout.
    """
    with tempfile.TemporaryDirectory(prefix="mock-zonos-bench-") as scratch:
        root = Path(scratch).resolve()
        shutil.copytree(
            REPO / "mock_zonos",
            root / "mock_zonos",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        shutil.copytree(REPO / "fixtures", root / "fixtures")
        shutil.copy(REPO / "schema.graphql", root)
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(root / "mock_zonos")], check=True)
        python = Python(root)
        # An editable install puts the checkout on sys.path too: make sure the copy wins.
        imported = Path(python.run("-c", "import mock_zonos; print(mock_zonos.__file__)").strip())
        if not imported.resolve().is_relative_to(root):
            raise RuntimeError(f"the measured processes import {imported}, not the copy in {root}")
        yield python


@dataclass(frozen=True)
class Apollo:
    """Apollo Server 5 over schema.graphql, serving webhooks from memory; or why not."""

    directory: Path | None
    why_not: str = ""

    @classmethod
    def build(cls) -> Apollo:
        """Installed with npm in a temporary directory, which later runs reuse."""
        if not (shutil.which("node") and shutil.which("npm")):
            return cls(None, "node and npm are not installed")
        directory = Path(tempfile.gettempdir()) / "mock-zonos-bench-apollo"
        directory.mkdir(exist_ok=True)
        for name in ("package.json", "server.mjs"):
            shutil.copy(BENCHMARKS / "apollo" / name, directory / name)
        if not (directory / "node_modules" / "@apollo" / "server").is_dir():
            installed = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=directory,
                capture_output=True,
                text=True,
            )
            if installed.returncode != 0:
                return cls(None, f"npm install failed: {installed.stderr.strip()[-200:]}")
        return cls(directory)

    def running(self) -> Running:
        assert self.directory is not None, self.why_not
        return running(
            ["node", "server.mjs", str(REPO / "schema.graphql"), "0"],
            self.directory,
            {"NODE_ENV": "production"},
        )


@dataclass(frozen=True, kw_only=True)
class Context:
    """What the groups measure with: the flags, the compiled copy, the Apollo baseline."""

    duration: float  # seconds per wrk run
    runs: int  # runs per figure, of which the median is kept
    python: Python

    @cached_property
    def apollo(self) -> Apollo:
        """Built on first use, so that groups without Apollo rows never wait for npm."""
        return Apollo.build()


@dataclass(frozen=True, kw_only=True)
class Group:
    """Rows measured together, which `--only` selects by name."""

    name: str
    rows: str  # which rows, for --help
    measure: Callable[[Context], list[Row]]


def url_of(line: str) -> str:
    """The base URL in a server's first line: mock-zonos', or `listening <url>`."""
    return line.split()[3] if line.startswith("mock-zonos") else line.split()[1].rstrip("/")


def post_json(url: str, payload: Any, token: str | None = TOKEN) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["credentialToken"] = token
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
