"""A python-telegram-bot request class on aiohttp: the same contract as HTTPXRequest, less CPU.

Under load the bot spends most of its CPU per Bot API call, and about half of that inside
httpx/httpcore (cProfile, benchmarks/bench_load.py). aiohttp — already a dependency for the
offline Bot API — does the same POST for clearly less (figures in the commit that adopted it).

Behaviour kept from :class:`telegram.request.HTTPXRequest`: parameters form-encoded as
``json_parameters``, files as multipart/form-data, the same default timeouts, the same User-Agent,
proxies from the environment, and the same errors — :class:`telegram.error.TimedOut` for any
timeout (with PTB's "Pool timeout" message when no connection became free in time, meaning the
request was never sent) and :class:`telegram.error.NetworkError` for any other transport failure.
Error texts never hold the URL's token.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

# The type of python-telegram-bot's "use the default" markers, from its public constant (its
# defining module is private).
DefaultValue = type(BaseRequest.DEFAULT_NONE)
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_TOKEN_IN_TEXT = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
_POOL_TIMEOUT = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection "
    "pool size or the pool timeout."
)


def _safe(err: BaseException) -> str:
    """An exception's text without any ``bot<token>`` it may quote (e.g. from an invalid URL)."""
    return _TOKEN_IN_TEXT.sub("bot<token>", str(err))


class AiohttpRequest(BaseRequest):
    """:class:`telegram.request.BaseRequest` on one :class:`aiohttp.ClientSession`."""

    __slots__ = (
        "_connect_timeout",
        "_headers",
        "_media_write_timeout",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._headers = {"User-Agent": self.USER_AGENT}
        # The session needs a running loop: made in initialize().
        self._session: aiohttp.ClientSession | None = None
        self._pool = asyncio.Semaphore(connection_pool_size)
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-poll time to it for getUpdates)."""
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _proxy(self, url: str) -> str | None:
        """HTTP(S)_PROXY / NO_PROXY as httpx reads them, looked up once per host."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            try:
                proxy, _ = get_env_proxy_for_url(URL(f"{parts.scheme}://{parts.netloc}/"))
            except LookupError:
                self._proxies[key] = None
            else:
                self._proxies[key] = str(proxy)
        return self._proxies[key]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._write_timeout if not files else self._media_write_timeout

        body: Any = None
        headers = self._headers
        total: float | None = None
        if request_data is not None:
            params = request_data.json_parameters
            if files:
                form = aiohttp.FormData(quote_fields=False)
                for name, value in params.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                body = form
                # aiohttp has no per-write timeout; an upload as a whole gets all three.
                if None not in (connect_timeout, write_timeout, read_timeout):
                    total = connect_timeout + write_timeout + read_timeout
            elif params:
                body = urlencode(params).encode()
                headers = {**self._headers, **_FORM}
        timeout = aiohttp.ClientTimeout(
            total=total, sock_connect=connect_timeout, sock_read=read_timeout
        )

        if self._pool.locked():
            try:
                await asyncio.wait_for(self._pool.acquire(), pool_timeout)
            except TimeoutError as err:
                raise TimedOut(message=_POOL_TIMEOUT) from err
        else:
            await self._pool.acquire()
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's ServerTimeoutError is one too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {_safe(err)}") from err
        finally:
            self._pool.release()
