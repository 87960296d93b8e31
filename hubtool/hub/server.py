"""``hub serve``: the Hub API and page over HTTP, on Starlette and uvicorn (the ``hub`` extra).

Every request goes to ``api.respond`` on one read-only connection (``mode=ro``), reopened
when a build has replaced the file (``Database``). The server adds only the conditional
request: an ``If-None-Match`` naming the body's ETag gets 304 with no body (RFC 9110 section
13.1.2). The path is taken as sent (``raw_path``), so the API decodes each segment once, as
the export names its files.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.hub.api import Response, not_modified, respond
from hubtool.hub.build import open_readonly

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

HEAD_TIMEOUT = 10.0
"""Seconds a connection has to send a request's head (``head_deadline_protocol``)."""
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
"""Every method reaches ``respond``, which answers all but GET and HEAD with a JSON 405."""


class Database:
    """The Hub database a server reads: reopened (read-only) when ``hub build`` has renamed a
    new file over it, so a rebuild is served without a restart. One ``stat`` a request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = open_readonly(path)
        self.stamp = self._stamp()

    def _stamp(self) -> tuple[int, int]:
        found = os.stat(self.path)
        return (found.st_dev, found.st_ino)

    def connection(self) -> sqlite3.Connection:
        """The current database's connection (the last one that opened, if it cannot be
        opened now)."""
        try:
            stamp = self._stamp()
            if stamp != self.stamp:
                fresh = open_readonly(self.path)
                self.conn.close()
                self.conn, self.stamp = fresh, stamp
        except (OSError, HubtoolError):
            pass  # mid-rename or removed: keep serving the database already open
        return self.conn

    def close(self) -> None:
        self.conn.close()


def application(database: Database) -> Starlette:
    """The ASGI app answering every path from ``database``."""
    from starlette.applications import Starlette
    from starlette.responses import Response as HttpResponse
    from starlette.routing import Route

    async def endpoint(request: Request) -> HttpResponse:
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        path = raw.decode("latin-1").split("?", 1)[0]
        if not path.startswith("/"):  # absolute-form (RFC 9112 section 3.2.2) or "*"
            path = urlsplit(path).path
        query = request.scope.get("query_string", b"").decode("latin-1")
        answer = respond(database.connection(), request.method, path, query)
        if not_modified(answer, request.headers.get("if-none-match")):
            kept = {k: v for k, v in answer.headers if k in ("etag", "cache-control")}
            return HttpResponse(status_code=304, headers=kept)
        return _http(answer)

    async def fallback(request: Request, _: Exception) -> HttpResponse:
        return await endpoint(request)

    # a method or request target the route does not take is answered by ``respond`` too
    # (Starlette's own 404 and 405 are plain text, and its Allow header lists the writes)
    return Starlette(
        routes=[Route("/{path:path}", endpoint, methods=METHODS)],
        exception_handlers={404: fallback, 405: fallback},
    )


def _http(answer: Response) -> object:
    from starlette.responses import Response as HttpResponse

    headers = {k: v for k, v in answer.headers if k != "content-type"}
    media = dict(answer.headers).get("content-type")
    return HttpResponse(answer.body, answer.status, headers=headers, media_type=media)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (0: a free port). HubtoolError when it cannot
    be bound."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        # proto IPPROTO_TCP, so asyncio sets TCP_NODELAY on each connection (without it a
        # kept-alive connection waits for the delayed ACK: 40 ms a response)
        sock = socket.socket(info[0], socket.SOCK_STREAM, info[2] or socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as exc:
        raise HubtoolError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def head_deadline_protocol() -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request head
    ``HEAD_TIMEOUT`` seconds after it opened or after its last response. uvicorn times out
    only a kept-alive connection that sends nothing: one that sends a head a byte at a time
    (slowloris), or nothing at all, would hold one of ``limit_concurrency`` for ever."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadDeadline(H11Protocol):
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            cycle = self.cycle
            super().data_received(data)
            if self.cycle is not cycle:  # a request's head is complete
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.cycle is None or self.cycle.response_complete:  # no pipelined request
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self.deadline = self.loop.call_later(HEAD_TIMEOUT, self._expire)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _expire(self) -> None:
            self.deadline = None
            if not self.transport.is_closing():
                self.transport.close()

    return HeadDeadline


def serve(db: Path, sock: socket.socket) -> None:
    """Serve the database at ``db`` on ``sock`` until interrupted."""
    try:
        import uvicorn
    except ImportError as exc:
        raise HubtoolError(
            "hub serve needs the hub extra: pip install 'hubtool[hub]' (starlette, uvicorn)"
        ) from exc
    database = Database(db)
    config = uvicorn.Config(
        application(database),
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_keep_alive=5,
        http=head_deadline_protocol(),
        limit_concurrency=256,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        database.close()
