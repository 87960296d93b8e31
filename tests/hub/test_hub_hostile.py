"""A stranger's input to the Hub: a foreign database file where the Hub's goes, a catalog PR
that renames another manifest's publisher, a manifest's text that reorders the page, a Hub
that answers a byte at a time, a Hub address holding a password."""

from __future__ import annotations

import contextlib
import json
import os
import socketserver
import sqlite3
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from hubkit import SENTRY_REL, build, copy_catalog

from hubtool.core.errors import HubtoolError
from hubtool.hub import fetch
from hubtool.hub.api import respond
from hubtool.hub.build import open_readonly

FORMAT_ROW = "CREATE TABLE meta(key, value); INSERT INTO meta VALUES ('format', 'hubtool-hub/1');"
RELEASES = "CREATE TABLE releases(publisher, slug, version, sha256);"
FOREIGN = {
    "a view that never ends": "CREATE VIEW meta(key, value) AS WITH RECURSIVE c(x) AS"
    " (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'format', 'hubtool-hub/1' FROM c"
    " WHERE x < 0;" + RELEASES,
    "releases as a view": FORMAT_ROW + "CREATE VIEW releases AS SELECT 1 AS publisher;",
    "a trigger": FORMAT_ROW
    + RELEASES
    + "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM releases; END;",
    "no releases table": FORMAT_ROW,
    "null releases": FORMAT_ROW + RELEASES + "INSERT INTO releases VALUES (NULL, 1, 2, 3);",
    "mixed types": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES (1, 'a', 'b', 'c'), ('x', 'a', 'b', 'c');",
    "a blob": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES ('sentry', 'sentry-api', '0.1.0', zeroblob(1000000));",
    "not a sha256": FORMAT_ROW
    + RELEASES
    + "INSERT INTO releases VALUES ('sentry', 'sentry-api', '9.9.9', 'nothex');",
}


@pytest.mark.parametrize("script", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_database_is_refused_never_read_for_ever(tmp_path: Path, script: str) -> None:
    db = tmp_path / "hub.db"
    conn = sqlite3.connect(db)
    conn.executescript(script)
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = build(db)  # run_cli's own timeout is the hang guard
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not a Hub database" in result.stderr and "internal error" not in result.stderr
    assert db.read_bytes() == before


def test_a_manifest_cannot_rename_another_manifests_publisher(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    github = root / "apps/hub/catalog/integrations/github/github-rest-api.json"
    data = json.loads(github.read_text(encoding="utf-8"))
    data["slug"] = "sentry-other"
    data["publisher"] = {"slug": "sentry", "name": "A Sentry", "websiteUrl": "https://evil.test/"}
    (root / SENTRY_REL).with_name("sentry-other.json").write_text(json.dumps(data, indent=2))
    github.unlink()
    github.with_name("github-rest-api.upstream.yaml").unlink()
    result = build(tmp_path / "hub.db", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sentry" in result.stderr and "publisher" in result.stderr
    assert not (tmp_path / "hub.db").exists()


def test_invisible_and_bidi_characters_are_shown_escaped_in_the_page(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    path = root / SENTRY_REL
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = "Sentry\u202e IPA\u200b"
    data["publisher"]["name"] = "Sentry\u2066"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    db = tmp_path / "hub.db"
    assert build(db, cwd=root).returncode == 0
    conn = open_readonly(db)
    try:
        pages = [
            respond(conn, "GET", "/").body.decode("utf-8"),
            respond(conn, "GET", "/integrations/sentry/sentry-api").body.decode("utf-8"),
        ]
    finally:
        conn.close()
    for page in pages:
        assert not {"\u202e", "\u200b", "\u2066"} & set(page)
        assert "Sentry\\u202e IPA\\u200b" in page


class _Drip(socketserver.BaseRequestHandler):
    """A Hub that answers one byte every 0.2 s, the head first or the body."""

    head_first: ClassVar[bool] = False

    def handle(self) -> None:
        self.request.recv(65536)
        body = b'{"integrations": [' + b" " * 1000 + b"]}"
        head = f"HTTP/1.0 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        if not self.head_first:
            self.request.sendall(head)
        with contextlib.suppress(OSError):
            for i in range(len(head) * self.head_first + len(body)):
                self.request.sendall((head + body if self.head_first else body)[i : i + 1])
                time.sleep(0.2)


@pytest.mark.parametrize("head_first", [False, True], ids=["body", "head"])
def test_a_hub_answering_a_byte_at_a_time_is_cut_off(monkeypatch, head_first: bool) -> None:
    monkeypatch.setattr(fetch, "TIMEOUT", 1.0)  # each byte comes well within the socket's own
    handler = type("Handler", (_Drip,), {"head_first": head_first})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start = time.monotonic()
        with pytest.raises(HubtoolError, match="did not answer within 1 s"):
            fetch.index(f"http://127.0.0.1:{server.server_address[1]}")
        assert time.monotonic() - start < 60  # hang guard: the drip alone takes 200 s
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("url", ["http://admin:s3cret-pass@127.0.0.1:1/", "https://tok@hub.test"])
def test_a_hub_address_with_userinfo_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(HubtoolError) as caught:
        fetch.base_url(url)
    assert "user or password" in str(caught.value)
    assert "s3cret" not in str(caught.value) and "tok@" not in str(caught.value)


def test_a_build_waits_for_another_and_reads_its_releases(tmp_path: Path) -> None:
    import fcntl
    import subprocess
    import sys

    from hubkit import env

    from hubtool.hub import build as hub_build
    from hubtool.hub.rows import entry

    root = copy_catalog(tmp_path / "repo")
    db = tmp_path / "data" / "hub.db"
    db.parent.mkdir()
    fd = os.open(db.parent, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another build, mid-way
    try:
        second = subprocess.Popen(
            [sys.executable, "-m", "hubtool", "hub", "build", "--db", str(db)],
            cwd=root,
            env=env(PYTHONPATH=os.pathsep.join(sys.path)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            second.wait(timeout=8)  # unlocked, it would have read no releases and built
        data = json.loads((root / SENTRY_REL).read_text(encoding="utf-8"))
        data["summary"] = "Another content of the same version."
        hub_build.build([entry(data)], db, {})  # the other build releases sentry-api 0.1.0
    finally:
        os.close(fd)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 1, err
    assert "sentry/sentry-api 0.1.0" in err
