"""``import NAME --hub URL``: a manifest from a running Hub, as Harbor Node's import from a URL
does it: read the Hub's index (``/api/integrations``), fetch the manifest
(``/api/manifests/:publisher/:slug``), and refuse it unless its sha256 is the index's. The
caller then validates and imports it as a local file.

Bounded: every response is read up to a size limit (the index ``MAX_INDEX``, a manifest the
loader's ``MAX_BYTES``), every request has a timeout, and a redirect is refused (the bytes
checked are the bytes of the Hub named). Every failure is a HubtoolError (exit 2).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

from hubtool.core.errors import HubtoolError
from hubtool.core.limits import MAX_BYTES

MAX_INDEX = 32 * 1024 * 1024
"""Bytes of the Hub's index read at most (1,000 integrations take about 600 KB)."""
TIMEOUT = 10.0
"""Seconds per request (connect and each read)."""
_HEX = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A publisher or manifest slug as the manifest schema has it (at most 64 characters): an
index entry naming another is ignored, so no name the Hub sends is a path or a flood of text
in an error."""


class Fetched(NamedTuple):
    """A manifest fetched and checked: its URL, publisher and slug, and its bytes."""

    url: str
    publisher: str
    slug: str
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise HubtoolError(f"the Hub redirected {req.full_url} to {newurl}; give that Hub URL")


class _Deadline:
    """Shuts down the sockets of one request once ``TIMEOUT`` seconds have passed since it
    started. A socket's own timeout bounds each read, not the reply: a Hub sending a byte
    every few seconds would hold an import for hours."""

    def __init__(self) -> None:
        self.end = time.monotonic() + TIMEOUT
        self.timers: list[threading.Timer] = []
        self.expired = False

    def watch(self, sock: socket.socket) -> None:
        timer = threading.Timer(max(0.0, self.end - time.monotonic()), self._shut, (sock,))
        timer.daemon = True
        timer.start()
        self.timers.append(timer)

    def _shut(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()


class _Watched(http.client.HTTPConnection):
    """A connection whose socket a ``_Deadline`` watches from its TCP connect on (so a TLS
    handshake is inside the deadline too)."""

    deadline: _Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedTLS(http.client.HTTPSConnection, _Watched):
    pass


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener refusing redirects, whose connections ``deadline`` watches."""

    def connection(cls: type[_Watched]) -> Callable[..., _Watched]:
        def make(*args: Any, **kwargs: Any) -> _Watched:
            made = cls(*args, **kwargs)
            made.deadline = deadline
            return made

        return make

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(connection(_Watched), req)

    class TLS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(connection(_WatchedTLS), req, context=self._context)

    return urllib.request.build_opener(_NoRedirect, Plain, TLS)


def base_url(url: str) -> str:
    """The Hub's address without a trailing slash; HubtoolError unless http(s)://HOST...
    with no user or password (a draft's source is the manifest's URL: it holds none)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise HubtoolError(f"--hub {url!r}: give the Hub's address as http(s)://HOST[:PORT]")
    if "@" in parts.netloc:
        raise HubtoolError("--hub: a Hub address with a user or password is not supported")
    return url.rstrip("/")


def get(url: str, limit: int) -> bytes:
    """The body of ``GET url``, at most ``limit`` bytes, within ``TIMEOUT`` seconds in all
    (HubtoolError beyond, or on any HTTP or network failure)."""
    deadline = _Deadline()
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with _opener(deadline).open(request, timeout=TIMEOUT) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise HubtoolError(f"the Hub answered {exc.code} for {url}") from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise _late(url) from exc
        reason = getattr(exc, "reason", None) or exc
        raise HubtoolError(f"cannot read {url}: {reason}; is the Hub running?") from exc
    finally:
        deadline.cancel()
    if deadline.expired:  # a reply without a length ends where the socket was shut
        raise _late(url)
    if len(body) > limit:
        raise HubtoolError(f"{url}: the response is larger than {limit} bytes; refused")
    return body


def _late(url: str) -> HubtoolError:
    return HubtoolError(f"{url}: the Hub did not answer within {TIMEOUT:g} s; refused")


def index(base: str) -> list[dict[str, Any]]:
    """The Hub's index: its integrations, each with a publisher slug, slug and sha256."""
    url = base + "/api/integrations"
    try:
        found = json.loads(get(url, MAX_INDEX))
    except (ValueError, RecursionError) as exc:
        raise HubtoolError(f"{url}: not a Hub index (not JSON)") from exc
    items = found.get("integrations") if isinstance(found, dict) else None
    if not isinstance(items, list):
        raise HubtoolError(f"{url}: not a Hub index (no integrations list)")
    return [item for item in items if _well_formed(item)]


def _well_formed(item: Any) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("publisher"), dict):
        return False
    fields = (item["publisher"].get("slug"), item.get("slug"), item.get("sha256"))
    if not all(isinstance(f, str) for f in fields) or not _HEX.fullmatch(fields[2]):
        return False
    return all(len(f) <= 64 and _SLUG.fullmatch(f) for f in fields[:2])


def pick(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The one entry ``name`` names (``publisher/slug``, a manifest slug or a publisher
    slug), as a local import resolves a name; HubtoolError when none or several do."""
    matches = [
        item for item in items if name in (item["slug"], item["publisher"]["slug"], _key(item))
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(sorted(_key(i) for i in items)[:50]) or "none"
        raise HubtoolError(f"the Hub has no manifest named {name!r}; available: {known}")
    listed = ", ".join(sorted(_key(i) for i in matches))
    raise HubtoolError(f"{name!r} matches several manifests on the Hub: {listed}")


def _key(item: dict[str, Any]) -> str:
    return f"{item['publisher']['slug']}/{item['slug']}"


def fetch(hub: str, name: str) -> Fetched:
    """The manifest ``name`` names on the Hub at ``hub``, its sha256 checked against the
    index's. HubtoolError on a mismatch (the manifest is not imported)."""
    base = base_url(hub)
    item = pick(index(base), name)
    publisher, slug = item["publisher"]["slug"], item["slug"]
    url = f"{base}/api/manifests/{quote(publisher, safe='')}/{quote(slug, safe='')}"
    body = get(url, MAX_BYTES)
    digest = hashlib.sha256(body).hexdigest()
    if digest != item["sha256"]:
        raise HubtoolError(
            f"{url}: sha256 {digest} is not the Hub index's {item['sha256']}; not imported"
        )
    return Fetched(url, publisher, slug, body)
