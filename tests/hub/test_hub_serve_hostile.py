"""A real `hubtool hub serve` spoken to over raw sockets, as a stranger on the internet may:
methods and request targets no route takes, and a request head that never ends."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest
from hubkit import build, serving

from hubtool.hub.server import HEAD_TIMEOUT

pytest.importorskip("uvicorn", reason="the hub extra (starlette, uvicorn) is not installed")


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory):
    """(host, port) of a running Hub."""
    db = tmp_path_factory.mktemp("hub") / "hub.db"
    assert build(db).returncode == 0
    with serving(db) as url:
        parts = urlsplit(url)
        yield parts.hostname, parts.port


def exchange(address: tuple[str, int], head: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``head`` on a new connection; (status, headers, body) of the reply."""
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(head)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    top, _, body = reply.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    pairs = (line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in pairs}, body


def request(method: str, target: str) -> bytes:
    return f"{method} {target} HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n".encode()


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT", "BREW"])
def test_any_other_method_is_the_apis_json_405(address: tuple[str, int], method: str) -> None:
    target = "hub:80" if method == "CONNECT" else "/api/shelves"
    status, headers, body = exchange(address, request(method, target))
    assert status == 405, body
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert headers["allow"] == "GET, HEAD"


def test_an_absolute_form_target_is_the_same_resource(address: tuple[str, int]) -> None:
    origin = exchange(address, request("GET", "/api/shelves"))
    absolute = exchange(address, request("GET", "http://hub/api/shelves"))
    assert origin[0] == absolute[0] == 200 and absolute[2] == origin[2]


@pytest.mark.parametrize(("method", "status"), [("GET", 404), ("OPTIONS", 405)])
def test_the_asterisk_target_is_a_json_error(
    address: tuple[str, int], method: str, status: int
) -> None:
    got, _, body = exchange(address, request(method, "*"))
    assert got == status and json.loads(body)["error"]["status"] == status


@pytest.mark.parametrize("first", [b"", b"GET /api/shelves HTTP/1.1\r\nHost: hub\r\n\r\n"])
def test_a_head_sent_a_byte_at_a_time_is_cut_off(address: tuple[str, int], first: bytes) -> None:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(first + b"GET / HTTP/1.1\r\n")
        if first:
            sock.recv(65536)  # the first response; the deadline starts again after it
        start = time.monotonic()
        closed = False
        while not closed and time.monotonic() - start < HEAD_TIMEOUT + 60:  # hang guard
            try:
                sock.sendall(b"X: y\r\n")
                closed = sock.recv(65536) == b""
            except TimeoutError:
                continue
            except OSError:
                closed = True
        assert closed, "the server kept a connection whose head never ended"
