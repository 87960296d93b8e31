"""Benchmark: `hubtool hub` over a generated catalog (1,000 integrations x 20 actions by
default, bench/catalog.py) against the floor of bare sqlite3 FTS5, in one run.

- build: the Hub database written from the validated manifests (``hubtool.hub.rows`` +
  ``hubtool.hub.build``: every table, both FTS5 indexes, VACUUM INTO a temporary file, fsync,
  rename), interleaved run by run with the floor: the same integrations (with their manifest
  bytes) and actions inserted with plain ``sqlite3`` into a file database with the two FTS5
  tables, in one transaction. Validation (the validate pipeline, shared with ``validate`` and
  ``import``) is timed apart, once, as is the whole ``hubtool hub build`` process.
- search: ``GET /api/actions/search?q=WORD`` answered by ``hubtool.hub.api.respond``
  (quoting, the ranked FTS5 query, the joins, the JSON body), against the floor's bare
  ``MATCH ... ORDER BY rank LIMIT 20``, 5 rounds over about 100 distinct queries (label
  words, 4-letter prefixes, two words, a miss); p50 and p99 of every sample, and of each
  query's best round (what the query costs, without the moments another process held the
  core).
- serve: a real ``hubtool hub serve`` answering 1,000 ``GET /api/manifests/P/S`` (every
  integration once); the server's resident memory (VmRSS, VmHWM) before and after.

Usage: .venv/bin/python bench/bench_hub.py [--manifests 1000] [--actions 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from catalog import generate  # noqa: E402

FLOOR_TABLES = """
CREATE TABLE integrations(id INTEGER PRIMARY KEY, publisher TEXT, slug TEXT, title TEXT,
  summary TEXT, description TEXT, version TEXT, category TEXT, manifest BLOB, sha256 TEXT);
CREATE TABLE actions(id INTEGER PRIMARY KEY, integration_id INTEGER, slug TEXT, label TEXT,
  description TEXT, method TEXT, path TEXT, approval_mode TEXT, inputs TEXT);
CREATE VIRTUAL TABLE integration_search USING fts5(publisher, slug, title, summary, tags,
  category, description, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE action_search USING fts5(slug, label, integration, description,
  tokenize = 'porter unicode61');
"""


def floor_build(entries: list, target: Path) -> None:
    """The same rows, bare: one transaction into a file database."""
    from hubtool.hub import rows

    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.executescript(FLOOR_TABLES)
    with conn:
        next_id = 1
        for key, item in enumerate(entries, 1):
            row = rows.integration_row(key, item)
            conn.execute(
                "INSERT INTO integrations VALUES (?,?,?,?,?,?,?,?,?,?)",
                (*row[:8], row[11], row[12]),
            )
            conn.execute(
                "INSERT INTO integration_search(rowid, publisher, slug, title, summary, tags,"
                " category, description) VALUES (?,?,?,?,?,?,?,?)",
                (key, *rows.search_texts(item)),
            )
            acts = rows.action_rows(next_id, key, item)
            next_id += len(acts)
            conn.executemany(
                "INSERT INTO actions VALUES (?,?,?,?,?,?,?,?,?)",
                [(a[0], key, a[3], a[4], a[5], a[6], a[7], a[8], a[11]) for a in acts],
            )
            conn.executemany(
                "INSERT INTO action_search(rowid, slug, label, integration, description)"
                " VALUES (?,?,?,?,?)",
                [(a[0], a[3], a[4], item.slug, a[5]) for a in acts],
            )
    conn.close()


def hub_build(entries: list, target: Path) -> None:
    from hubtool.hub.build import build

    target.unlink(missing_ok=True)
    build(entries, target, {})


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action, *args) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def bench_build(root: Path, runs: int) -> tuple[list, Path, Path]:
    from hubtool.drafts.importer import load_sources
    from hubtool.hub.rows import entry
    from hubtool.registry import RULES

    os.chdir(root)
    start = time.perf_counter()
    sources, report = load_sources([root / "apps/hub/catalog"], rules=RULES)
    validate = time.perf_counter() - start
    assert sources and not report.failed(), "the generated catalog must be valid"
    start = time.perf_counter()
    entries = [entry(s.data) for s in sources]
    encode = time.perf_counter() - start
    floor_db, hub_db = root / "floor.db", root / "hub.db"
    floors, hubs = [], []
    for _ in range(runs):
        floors.append(timed(floor_build, entries, floor_db))
        hubs.append(timed(hub_build, entries, hub_db))
    floor, hub = statistics.median(floors), statistics.median(hubs)
    print(f"validate (load_sources, once):          {validate * 1000:9.1f} ms")
    print(f"canonical bytes + sha256 (once):        {encode * 1000:9.1f} ms")
    for label, value, db in (
        ("floor: bare sqlite3 + FTS5 (median):", floor, floor_db),
        ("hub build write (median):", hub, hub_db),
    ):
        print(f"{label:40s}{value * 1000:9.1f} ms  {db.stat().st_size / 1e6:.1f} MB")
    print(f"  ratio hub/floor: {hub / floor:.2f}x (target <= 3x)")
    start = time.perf_counter()
    cli = subprocess.run(
        [sys.executable, "-m", "hubtool", "hub", "build", "--db", str(root / "cli.db")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    whole = (time.perf_counter() - start) * 1000
    print(f"whole `hubtool hub build` process:      {whole:9.1f} ms (exit {cli.returncode})")
    return entries, floor_db, hub_db


def queries(hub_db: Path) -> list[str]:
    conn = sqlite3.connect(hub_db)
    labels = [label for (label,) in conn.execute("SELECT label FROM action_templates")]
    conn.close()
    words = sorted({w.lower() for label in labels for w in label.split() if len(w) > 3})
    chosen = words[:: max(1, len(words) // 150)][:150]
    return chosen + [w[:4] for w in chosen[:30]] + ["resolve issue", "list", "create", "zzzz"]


def bench_search(floor_db: Path, hub_db: Path, rounds: int = 5) -> None:
    from urllib.parse import quote

    from hubtool.hub.api import respond
    from hubtool.hub.build import open_readonly

    words = queries(hub_db)
    hub = open_readonly(hub_db)
    floor = sqlite3.connect(f"file:{floor_db}?mode=ro", uri=True)
    hub_times: dict[str, list[float]] = {w: [] for w in words}
    floor_times: dict[str, list[float]] = {w: [] for w in words}
    for _ in range(rounds):
        for word in words:
            match = " ".join(f'"{w}"' for w in word.split()) + "*"
            floor_times[word].append(
                timed(
                    lambda m=match: floor.execute(
                        "SELECT rowid FROM action_search WHERE action_search MATCH ?"
                        " ORDER BY rank LIMIT 20",
                        (m,),
                    ).fetchall()
                )
            )
            hub_times[word].append(
                timed(respond, hub, "GET", "/api/actions/search", "q=" + quote(word))
            )
    for label, times in (
        ("floor: bare MATCH", floor_times),
        ("hub /api/actions/search", hub_times),
    ):
        every = [t for values in times.values() for t in values]
        best = [min(values) for values in times.values()]
        print(
            f"search {label:26s} all {len(every)}: p50 {percentile(every, 0.5) * 1000:6.2f} ms"
            f" p99 {percentile(every, 0.99) * 1000:6.2f} ms; per query best of {rounds}:"
            f" p50 {percentile(best, 0.5) * 1000:6.2f} ms"
            f" p99 {percentile(best, 0.99) * 1000:6.2f} ms"
        )
    print("  target: hub p99 < 10 ms")


def memory(pid: int) -> dict[str, int]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) // 1024
    return found


def bench_serve(hub_db: Path, requests: int = 1000) -> None:
    import httpx

    process = subprocess.Popen(
        [sys.executable, "-m", "hubtool", "hub", "serve", "--db", str(hub_db), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = line.split(" at ", 1)[1].split("/ ", 1)[0]
        conn = sqlite3.connect(hub_db)
        names = conn.execute("SELECT publisher, slug FROM integrations ORDER BY id").fetchall()
        conn.close()
        with httpx.Client(base_url=url, timeout=30) as client:
            client.get("/api/shelves")
            before = memory(process.pid)
            times, sizes = [], 0
            for i in range(requests):
                publisher, slug = names[i % len(names)]
                start = time.perf_counter()
                answer = client.get(f"/api/manifests/{publisher}/{slug}")
                times.append(time.perf_counter() - start)
                assert answer.status_code == 200
                sizes += len(answer.content)
            after = memory(process.pid)
        print(
            f"serve: {requests} manifest requests ({sizes / 1e6:.1f} MB), p50 "
            f"{percentile(times, 0.5) * 1000:.2f} ms, p99 {percentile(times, 0.99) * 1000:.2f} ms"
        )
        print(
            f"  server RSS before {before['VmRSS']} MiB, after {after['VmRSS']} MiB, "
            f"peak {after['VmHWM']} MiB"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=1000)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as temp:
        root = Path(temp)
        generate(root, args.manifests, args.actions)
        print(f"catalog: {args.manifests} integrations x {args.actions} actions")
        _, floor_db, hub_db = bench_build(root, args.runs)
        bench_search(floor_db, hub_db)
        bench_serve(hub_db)


if __name__ == "__main__":
    main()
