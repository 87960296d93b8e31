"""Benchmark: `hubtool import` of a generated catalog against its floor, in one run.

The catalog: N manifests of M actions each, copies of the Sentry manifest under new publisher
and manifest slugs (every one valid). Measured, interleaved run by run so a busy machine
slows each alike:

- floor: per file ``json.load`` and a compiled ``jsonschema_rs`` validator (the schema
  alone), then every port, draft and transition row inserted with plain ``sqlite3`` in one
  transaction into a fresh store of hubtool's schema;
- hubtool in process: ``load_sources`` (validate every manifest, then parse) and
  ``import_manifests`` (one transaction) into a fresh store, with each phase's share;
- hubtool in process, again: the unchanged re-import (writes nothing);
- with ``--processes``: ``hubtool import --all`` as one process, and one process per
  manifest as before several manifests could be named.

Usage: .venv/bin/python bench/bench_import.py [--manifests 50] [--actions 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
SCHEMA = REPO / "schemas/dock-integration.schema.json"
sys.path.insert(0, str(REPO))


def generate(root: Path, manifests: int, actions: int) -> list[Path]:
    """A repository at ``root`` whose catalog holds ``manifests`` valid manifests."""
    base = json.loads(SENTRY.read_text(encoding="utf-8"))
    paths = []
    for index in range(manifests):
        data = copy.deepcopy(base)
        publisher = f"pub{index:04d}"
        data["publisher"]["slug"], data["slug"] = publisher, f"{publisher}-api"
        data["actionTemplates"] = []
        for number in range(actions):
            action = copy.deepcopy(base["actionTemplates"][number % len(base["actionTemplates"])])
            action["slug"] = f"{action['slug']}-{number:03d}"
            data["actionTemplates"].append(action)
        path = root / "apps/hub/catalog/integrations" / publisher / f"{publisher}-api.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        paths.append(path)
    return paths


def floor(paths: list[Path], db: Path) -> None:
    """Load, validate against the schema, insert the rows: the least an import must do."""
    import jsonschema_rs

    from hubtool.drafts.migrations import MIGRATIONS

    validator = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))
    docs = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        validator.validate(data)
        docs.append(data)
    connection = sqlite3.connect(db, isolation_level=None)
    for script in MIGRATIONS:
        connection.executescript(script)
    connection.execute("BEGIN IMMEDIATE")
    for data in docs:
        _insert_rows(connection, data)
    connection.execute("COMMIT")
    connection.close()


def _insert_rows(connection: sqlite3.Connection, data: dict[str, Any]) -> None:
    port_id, stamp = uuid.uuid4().hex, "2026-01-01T00:00:00.000Z"
    port = data["portTemplates"][0]
    connection.execute(
        "INSERT INTO ports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        (port_id, data["publisher"]["slug"], data["slug"], port["kind"], port["label"],
         port["description"], port["baseUrl"], port["authMode"], port["authHeaderName"],
         port["authTokenPrefix"], data["version"], "0" * 64, stamp, stamp),
    )  # fmt: skip
    rows = [
        (uuid.uuid4().hex, port_id, a["slug"], "draft", json.dumps(a), "0" * 64, "{}",
         a["approvalMode"], a["requestBodyMode"], a["resultMode"], data["slug"],
         data["version"], "0" * 64, "path", None, stamp, stamp)
        for a in data["actionTemplates"]
    ]  # fmt: skip
    connection.executemany(f"INSERT INTO drafts VALUES ({', '.join('?' * 17)})", rows)
    connection.executemany(
        "INSERT INTO transitions (draft_id, from_state, to_state, actor, note, at) "
        "VALUES (?, NULL, 'draft', 'bench', 'created by import', ?)",
        [(row[0], stamp) for row in rows],
    )


def hubtool_import(catalog: Path, db: Path, phases: dict[str, list[float]]) -> None:
    from hubtool.drafts.importer import import_manifests, load_sources
    from hubtool.drafts.store import Store
    from hubtool.registry import RULES

    start = time.perf_counter()
    sources, report = load_sources([catalog], rules=RULES)
    if not sources:
        sys.exit(f"bench: the generated catalog has errors: {report.findings[:1]}")
    middle = time.perf_counter()
    store = Store(db)
    try:
        import_manifests(store, sources, "bench")
    finally:
        store.close()
    phases["validate+parse"].append(middle - start)
    phases["store"].append(time.perf_counter() - middle)


def processes(root: Path, db: Path, names: list[str]) -> tuple[float, float]:
    """Wall seconds of ``hubtool import --all`` and of one process per manifest."""
    command = [sys.executable, "-m", "hubtool", "import", "--store"]
    env_db = [str(db)]
    start = time.perf_counter()
    subprocess.run([*command, *env_db, "--all"], cwd=root, check=True, capture_output=True)
    together = time.perf_counter() - start
    db.unlink()
    start = time.perf_counter()
    for name in names:
        subprocess.run([*command, *env_db, name], cwd=root, check=True, capture_output=True)
    return together, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifests", type=int, default=50)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--processes", action="store_true", help="time whole processes too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        paths = generate(root, args.manifests, args.actions)
        catalog = root / "apps/hub/catalog"
        times: dict[str, list[float]] = {"floor": [], "hubtool": [], "hubtool again": []}
        phases: dict[str, list[float]] = {"validate+parse": [], "store": []}
        for run in range(args.runs + 1):  # the first run warms imports and caches
            db = Path(tmp) / f"store-{run}.sqlite3"
            floor_db = Path(tmp) / f"floor-{run}.sqlite3"
            measured: dict[str, Callable[[], None]] = {
                "floor": lambda floor_db=floor_db: floor(paths, floor_db),
                "hubtool": lambda db=db: hubtool_import(catalog, db, phases),
                "hubtool again": lambda db=db: hubtool_import(catalog, db, {k: [] for k in phases}),
            }
            for label, action in measured.items():
                start = time.perf_counter()
                action()
                if run:
                    times[label].append(time.perf_counter() - start)
        report(args, times, phases)
        if args.processes:
            names = [p.parent.name for p in paths]
            together, apart = processes(root, Path(tmp) / "process.sqlite3", names)
            print(f"hubtool import --all (one process)       {together:8.2f} s")
            print(f"hubtool import NAME  ({len(names)} processes)        {apart:8.2f} s")


def report(args: argparse.Namespace, times: dict[str, list[float]], phases: dict) -> None:
    total = args.manifests * args.actions
    print(f"import of {args.manifests} manifests x {args.actions} actions ({total} drafts), "
          f"median of {args.runs} runs, Python {sys.version.split()[0]}")  # fmt: skip
    base = statistics.median(times["floor"])
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:<16} {median * 1000:9.1f} ms  {median / base:6.1f}x floor")
    for label, values in phases.items():
        values = values[1:]  # the warm-up run's phases are not counted
        print(f"    {label:<14} {statistics.median(values) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
