"""`hubtool import NAME --hub URL`: the same drafts as a local import; a manifest whose sha256
is not the Hub index's, an oversized reply, a redirect or a dead Hub is refused (exit 2)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import REPO, run_cli, store_env
from hubkit import SENTRY_REL, build, serving

from hubtool.core.errors import HubtoolError
from hubtool.hub import fetch

pytest.importorskip("uvicorn", reason="the hub extra (starlette, uvicorn) is not installed")

VARYING = {"id", "port_id", "created_at", "updated_at", "source_path", "supersedes"}
"""Columns drawn per import (ids, times) and the source (a path or the Hub's URL)."""


def _rows(store: Path, table: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    try:
        found = [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
    finally:
        conn.close()
    return [{k: v for k, v in row.items() if k not in VARYING} for row in found]


def _import(store: Path, *args: str):
    return run_cli("import", *args, "--store", str(store), env=store_env(store, "hub-tester"))


@pytest.fixture(scope="module")
def hub_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("hub") / "hub.db"
    assert build(db).returncode == 0
    with serving(db) as url:
        yield url


@pytest.mark.parametrize("name", ["sentry", "sentry-api", "sentry/sentry-api"])
def test_import_from_the_hub_makes_the_local_drafts(
    hub_url: str, tmp_path: Path, name: str
) -> None:
    remote, local = tmp_path / "remote.sqlite3", tmp_path / "local.sqlite3"
    result = _import(remote, name, "--hub", hub_url)
    assert result.returncode == 0, result.stderr
    assert _import(local, "sentry").returncode == 0
    assert _rows(remote, "drafts") == _rows(local, "drafts")
    assert len(_rows(remote, "drafts")) == 3
    assert _rows(remote, "ports") == _rows(local, "ports")
    conn = sqlite3.connect(remote)
    sources = {s for (s,) in conn.execute("SELECT source_path FROM drafts")}
    conn.close()
    assert sources == {f"{hub_url}/api/manifests/sentry/sentry-api"}
    again = _import(remote, name, "--hub", hub_url)  # idempotent, as a local import
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_unknown_name_and_dead_hub(hub_url: str, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    result = _import(store, "nope", "--hub", hub_url)
    assert result.returncode == 2 and "no manifest named 'nope'" in result.stderr
    result = _import(store, "sentry", "--hub", "http://127.0.0.1:9")
    assert result.returncode == 2 and "is the Hub running" in result.stderr
    result = _import(store, "sentry", "--hub", "ftp://example.com")
    assert result.returncode == 2 and "http(s)://HOST" in result.stderr
    result = _import(store, "--all", "--hub", hub_url)
    assert result.returncode == 2
    assert not store.exists()


class _FakeHub(BaseHTTPRequestHandler):
    """A Hub whose answers the test sets: path -> (status, headers, body)."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b"{}"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_hub() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes]]]]:
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("Handler", (_FakeHub,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()


def _index(body: bytes, digest: str | None = None) -> bytes:
    entry = {
        "publisher": {"slug": "sentry", "name": "Sentry"},
        "slug": "sentry-api",
        "sha256": digest or hashlib.sha256(body).hexdigest(),
    }
    return json.dumps({"integrations": [entry]}).encode()


def test_a_manifest_not_matching_the_index_is_refused(fake_hub, tmp_path: Path) -> None:
    url, routes = fake_hub
    body = (REPO / SENTRY_REL).read_bytes()
    tampered = body.replace(b"require_approval", b"automatic")
    routes["/api/integrations"] = (200, {}, _index(body))
    routes["/api/manifests/sentry/sentry-api"] = (200, {}, tampered)
    store = tmp_path / "s.sqlite3"
    result = _import(store, "sentry", "--hub", url)
    assert result.returncode == 2 and "is not the Hub index's" in result.stderr
    assert not store.exists()


def test_a_matching_manifest_with_errors_is_not_imported(fake_hub, tmp_path: Path) -> None:
    url, routes = fake_hub
    data = json.loads((REPO / SENTRY_REL).read_text(encoding="utf-8"))
    data["actionTemplates"][2]["approvalMode"] = "automatic"
    body = json.dumps(data).encode()
    routes["/api/integrations"] = (200, {}, _index(body))
    routes["/api/manifests/sentry/sentry-api"] = (200, {}, body)
    store = tmp_path / "s.sqlite3"
    result = _import(store, "sentry", "--hub", url)
    assert result.returncode == 1 and "write-requires-approval" in result.stdout
    assert not store.exists() or _rows(store, "drafts") == []


def test_oversized_redirected_and_malformed_replies(fake_hub, monkeypatch) -> None:
    url, routes = fake_hub
    routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(HubtoolError, match="larger than 4096 bytes"):
        fetch.get(url + "/big", 4096)
    assert fetch.get(url + "/big", 5000) == b"x" * 5000
    routes["/api/integrations"] = (302, {"Location": "http://example.com/"}, b"")
    with pytest.raises(HubtoolError, match="redirected"):
        fetch.fetch(url, "sentry")
    for body in (b"[]", b"not json", b'{"integrations": 1}', b"[" * 100_000):
        routes["/api/integrations"] = (200, {}, body)
        with pytest.raises(HubtoolError, match="not a Hub index"):
            fetch.fetch(url, "sentry")
    routes["/api/integrations"] = (500, {}, b"{}")
    with pytest.raises(HubtoolError, match="answered 500"):
        fetch.fetch(url, "sentry")
    monkeypatch.setattr(fetch, "MAX_INDEX", 10)
    routes["/api/integrations"] = (200, {}, _index(b"{}"))
    with pytest.raises(HubtoolError, match="larger than 10 bytes"):
        fetch.fetch(url, "sentry")


def test_an_index_entry_that_is_not_well_formed_is_ignored(fake_hub) -> None:
    url, routes = fake_hub
    entries = [
        {"publisher": {"slug": "sentry"}, "slug": "sentry-api", "sha256": "no"},
        {"publisher": "sentry", "slug": "sentry-api", "sha256": "0" * 64},
        {"publisher": {"slug": "../.."}, "slug": "x", "sha256": "0" * 64},
    ]
    routes["/api/integrations"] = (200, {}, json.dumps({"integrations": entries}).encode())
    with pytest.raises(HubtoolError, match="no manifest named 'sentry'"):
        fetch.fetch(url, "sentry")
    with pytest.raises(HubtoolError):
        fetch.fetch(url, "../..")  # found, its manifest 404s: never a path outside


def test_an_index_entry_naming_no_slug_is_ignored_never_printed(fake_hub) -> None:
    url, routes = fake_hub
    names = ["Sentry", "x" * 65, "a" * 1_000_000, "sen try", "sentry\u202e", "-x"]
    entries = [{"publisher": {"slug": n}, "slug": "s", "sha256": "0" * 64} for n in names]
    routes["/api/integrations"] = (200, {}, json.dumps({"integrations": entries}).encode())
    with pytest.raises(HubtoolError, match=r"available: none$") as caught:
        fetch.fetch(url, "nothing")
    assert len(str(caught.value)) < 200
