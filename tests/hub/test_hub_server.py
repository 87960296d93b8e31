"""A real `hubtool hub serve` (uvicorn on 127.0.0.1, a free port): every endpoint, ETag and
304, errors, hostile requests; `hub export` gives the server's bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
from hubkit import build, serving

from hubtool.hub.api import respond
from hubtool.hub.build import open_readonly
from hubtool.hub.export import endpoints, export

pytest.importorskip("uvicorn", reason="the hub extra (starlette, uvicorn) is not installed")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory):
    """(base URL, database path) of a running Hub."""
    db = tmp_path_factory.mktemp("hub") / "hub.db"
    assert build(db).returncode == 0
    with serving(db) as url:
        yield url, db


@pytest.fixture
def client(hub: tuple[str, Path]):
    with httpx.Client(base_url=hub[0], timeout=30) as c:
        yield c


def test_done_when(client: httpx.Client) -> None:
    """The issue's check: the manifest byte-identical, "resolve" finds resolve-issue."""
    from conftest import REPO
    from hubkit import SENTRY_REL

    from hubtool.hub.encode import compact

    got = client.get("/api/manifests/sentry/sentry-api")
    data = json.loads((REPO / SENTRY_REL).read_text(encoding="utf-8"))
    assert got.status_code == 200 and got.content == compact(data)
    assert got.headers["content-type"] == "application/json"
    found = client.get("/api/actions/search", params={"q": "resolve"}).json()
    assert found["results"][0]["action"] == "resolve-issue"
    assert found["results"][0]["approvalGated"] is True


def test_every_endpoint_answers_the_layers_bytes(hub: tuple[str, Path], client: httpx.Client):
    conn = open_readonly(hub[1])
    try:
        paths = [path for path, _ in endpoints(conn)] + ["/api/actions/search?q=list&limit=3"]
        for request in paths:
            path, _, query = request.partition("?")
            expected = respond(conn, "GET", path, query)
            got = client.get(request)
            assert got.status_code == 200, request
            assert got.content == expected.body, request
            assert got.headers["etag"] == dict(expected.headers)["etag"]
            assert got.headers["cache-control"] == "public, max-age=60"
    finally:
        conn.close()


def test_etag_and_304(client: httpx.Client) -> None:
    for path in ("/api/manifests/sentry/sentry-api", "/api/shelves", "/"):
        first = client.get(path)
        etag = first.headers["etag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert client.get(path, headers={"If-None-Match": f'W/{etag}, "x"'}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    head = client.head("/api/manifests/sentry/sentry-api")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) > 1000


@pytest.mark.parametrize(
    ("request_path", "status"),
    [
        ("/api/integrations/sentry/nope", 404),
        ("/api/manifests/nope/nope", 404),
        ("/api/resolve/nope", 404),
        ("/api/missing", 404),
        ("/api/manifests/sentry/sentry-api%2F..%2F..", 404),
        ("/api/manifests/%2e%2e/%2e%2e", 404),
        ("/api/actions/search", 400),
        ("/api/actions/search?q=%00", 400),
        ("/api/actions/search?q=" + "x" * 10_000, 400),
        ("/api/actions/search?q=%22%2A%20OR%20NEAR%28resolve", 200),
        ("/api/actions/search?q=%27%3B%20DROP%20TABLE%20integrations%3B--", 200),
        ("/api/actions/search?q=%F0%9F%99%82%E2%80%AE", 200),
        ("/api/actions/search?q=%C0%AF", 400),
        ("/api/integrations?q=%5E%7B%7D%3A", 200),
    ],
)
def test_hostile_requests_never_500(client: httpx.Client, request_path: str, status: int) -> None:
    got = client.get(request_path)
    assert got.status_code == status, got.text[:300]
    if status != 200:
        assert got.json()["error"]["status"] == status


def test_writes_are_refused_with_json(client: httpx.Client) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        got = client.request(method, "/api/integrations", content=b"{}")
        assert got.status_code == 405 and got.json()["error"]["code"] == "method_not_allowed"
        assert got.headers["allow"] == "GET, HEAD"


def test_the_database_is_opened_read_only(hub: tuple[str, Path], client: httpx.Client) -> None:
    before = hub[1].read_bytes()
    for _ in range(3):
        client.get("/api/actions/search", params={"q": "list"})
    assert hub[1].read_bytes() == before
    assert not Path(f"{hub[1]}-journal").exists() and not Path(f"{hub[1]}-wal").exists()


def test_export_gives_the_servers_bytes(
    hub: tuple[str, Path], client: httpx.Client, tmp_path: Path
) -> None:
    conn = open_readonly(hub[1])
    try:
        count = export(conn, tmp_path / "site")
        listed = list(endpoints(conn))
    finally:
        conn.close()
    files = sorted(p for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert count == len(listed) == len(files)
    for path, name in listed:
        assert (tmp_path / "site" / name).read_bytes() == client.get(path).content, path
    names = {str(p.relative_to(tmp_path / "site")) for p in files}
    assert {
        "index.html",
        "api/integrations.json",
        "api/manifests/sentry/sentry-api.json",
        "api/resolve/sentry.json",
        "api/shelves.json",
        "api/openapi.json",
    } <= names


def test_export_refuses_a_link_out_of_the_directory(hub: tuple[str, Path], tmp_path: Path):
    from hubtool.core.errors import HubtoolError

    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "api").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside, site / "api" / "manifests")
    conn = open_readonly(hub[1])
    try:
        with pytest.raises(HubtoolError, match="leads out"):
            export(conn, site)
    finally:
        conn.close()
    assert list(outside.iterdir()) == []


def test_export_cli(hub: tuple[str, Path], tmp_path: Path) -> None:
    from conftest import run_cli
    from hubkit import env

    result = run_cli("hub", "export", str(tmp_path / "out"), "--db", str(hub[1]), env=env())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/index.html").is_file()
    result = run_cli(
        "hub", "export", str(tmp_path / "x"), "--db", str(tmp_path / "no.db"), env=env()
    )
    assert result.returncode == 2 and "hub build" in result.stderr
    result = run_cli("hub", "serve", "--db", str(tmp_path / "no.db"), "--port", "0", env=env())
    assert result.returncode == 2 and "hub build" in result.stderr
    (tmp_path / "foreign.db").write_bytes(b"SQLite format 3\0" + b"\0" * 100)
    result = run_cli("hub", "serve", "--db", str(tmp_path / "foreign.db"), env=env())
    assert result.returncode == 2 and "not a Hub database" in result.stderr


def test_the_listening_socket_is_tcp_so_connections_get_nodelay() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; without it a
    kept-alive connection waits for the peer's delayed ACK on every response."""
    import socket

    from hubtool.hub.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP and sock.getsockname()[1] > 0
    finally:
        sock.close()


def test_a_rebuild_is_served_without_a_restart(tmp_path: Path) -> None:
    """`hub build` renames a new file over the database; the running server reads it."""
    from hubkit import SENTRY_REL, copy_catalog

    root = copy_catalog(tmp_path / "repo")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    with serving(db) as url, httpx.Client(base_url=url, timeout=30) as client:
        first = client.get("/api/integrations/sentry/sentry-api").json()["integration"]
        path = root / SENTRY_REL
        data = json.loads(path.read_text(encoding="utf-8"))
        data["version"], data["title"] = "0.2.0", "Sentry API (new)"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert build(db, cwd=root).returncode == 0
        second = client.get("/api/integrations/sentry/sentry-api").json()["integration"]
    assert (first["version"], second["version"]) == ("0.1.0", "0.2.0")
    assert second["title"] == "Sentry API (new)"
