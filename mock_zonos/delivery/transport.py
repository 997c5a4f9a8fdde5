"""HTTP out: one pooled client session, one POST per attempt, the answer or the error in words.

A receiver can misbehave in every way (refuse, hang, answer garbage, answer
gigabytes): whatever it does comes back as a status and a bounded text, never
as an exception.
"""

from __future__ import annotations

import errno

import aiohttp
from multidict import CIMultiDict

RESPONSE_LIMIT = 64 * 1024
TRUNCATED = f"\n[mock-zonos: response truncated at {RESPONSE_LIMIT} bytes]"


class HttpTransport:
    """Sends deliveries through one session that pools connections per receiver."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._client_timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(
        self, url: str, body: bytes, headers: CIMultiDict[str]
    ) -> tuple[int | None, str]:
        """The receiver's status and body, or no status and the transport error in words."""
        assert self._session is not None, "the transport is not open"
        try:
            async with self._session.post(
                url, data=body, headers=headers, allow_redirects=False, timeout=self._client_timeout
            ) as response:
                return response.status, await _read_limited(response)
        except TimeoutError:
            return None, f"timed out after {self._timeout:g} s"
        except aiohttp.ClientConnectorError as exc:
            return None, _describe_connect_error(exc)
        except aiohttp.ServerDisconnectedError:
            return None, "the receiver closed the connection without answering"
        except aiohttp.ClientResponseError as exc:
            return None, f"invalid HTTP response: {exc.message}"
        except ValueError as exc:  # what yarl raises for a host it cannot encode
            return None, f"invalid URL: {exc}"
        except (aiohttp.ClientError, OSError) as exc:
            return None, f"{type(exc).__name__}: {exc}"


async def _read_limited(response: aiohttp.ClientResponse) -> str:
    """The body as text, cut at RESPONSE_LIMIT: a huge body is never read in full."""
    length = response.content_length
    # A compressed body's length says nothing of what decompressing it yields.
    if (
        length is not None
        and length <= RESPONSE_LIMIT
        and not response.headers.get("Content-Encoding")
    ):
        return (await response.read()).decode(errors="replace")
    chunks: list[bytes] = []
    size = 0
    while size <= RESPONSE_LIMIT:
        chunk = await response.content.read(RESPONSE_LIMIT + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if size > RESPONSE_LIMIT:
        return data[:RESPONSE_LIMIT].decode(errors="replace") + TRUNCATED
    return data.decode(errors="replace")


def _describe_connect_error(exc: aiohttp.ClientConnectorError) -> str:
    where = f"{exc.host}:{exc.port}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve host {exc.host}"
    if exc.os_error.errno == errno.ECONNREFUSED:
        return f"connection refused ({where})"
    return f"cannot connect to {where}: {exc.os_error.strerror or exc.os_error}"
