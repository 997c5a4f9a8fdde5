"""Whatever bytes arrive as a token, a Host or an Origin, the answer is never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_zonos import MockZonos, Settings

from .helpers import DEFAULT_TOKEN, raw_request_sync, status_of

QUERY = b'{"query": "{ webhooks { totalCount } }"}'
TRIGGER = b'{"type": "ORDER_CREATED"}'
REQUESTS = [
    (b"POST", b"/graphql", QUERY),
    (b"GET", b"/graphql?query=%7B__typename%7D", b""),
    (b"POST", b"/_mock/trigger", TRIGGER),
    (b"GET", b"/_mock/state", b""),
    (b"GET", b"/_mock/webhooks", b""),
]
# A header's value: any bytes but the line ends that would end it.
header_values = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"127.0.0.1:PORT.evil.example",
            b"http://127.0.0.1:PORT.evil.example",
            b"[::1",
            b"http://[::1",
            b"\xff\xfe",
            b"localhost:99999",
            DEFAULT_TOKEN.encode(),
        ]
    ),
).map(lambda value: value.replace(b"\r", b"").replace(b"\n", b""))


@pytest.fixture(scope="module")
def zonos() -> Iterator[MockZonos]:
    with MockZonos(Settings(strict_auth=True, retry_delays=())) as server:
        yield server


def _request(method: bytes, path: bytes, body: bytes, headers: dict[bytes, bytes | None]) -> bytes:
    lines = [method + b" " + path + b" HTTP/1.1", b"Connection: close"]
    lines += [name + b": " + value for name, value in headers.items() if value is not None]
    lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    request=st.sampled_from(REQUESTS),
    token=st.none() | header_values,
    host=st.none() | header_values,
    origin=st.none() | header_values,
)
def test_odd_header_bytes_never_make_a_server_error(
    zonos: MockZonos,
    request: tuple[bytes, bytes, bytes],
    token: bytes | None,
    host: bytes | None,
    origin: bytes | None,
) -> None:
    method, path, body = request
    headers = {b"Host": host, b"credentialToken": token, b"Origin": origin}
    answer = raw_request_sync(zonos.url, _request(method, path, body, headers))
    assert status_of(answer) < 500, answer[:300]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({b"credentialToken": b"credential_test_\xff\xfe"}, 401),
        ({b"Host": b"127.0.0.1:PORT.evil.example"}, 403),
        ({b"Host": b"[::1"}, 403),
        ({b"Origin": b"http://127.0.0.1:PORT.evil.example"}, 403),
        ({b"Origin": b"http://[::1"}, 403),
    ],
)
def test_unreadable_headers_are_refused_as_such(
    zonos: MockZonos, headers: dict[bytes, bytes | None], status: int
) -> None:
    host = zonos.url.removeprefix("http://").encode()
    all_headers = {b"Host": host, b"credentialToken": DEFAULT_TOKEN.encode(), **headers}
    answer = raw_request_sync(zonos.url, _request(b"POST", b"/graphql", QUERY, all_headers))
    assert status_of(answer) == status, answer
