"""The import figure: ``hubtool import`` of a generated catalog against its floor.

The floor is one Python process that loads each manifest (``json.load``), validates it with a
precompiled ``jsonschema_rs`` validator and inserts a port row per manifest and a draft row plus a
transition row per action with plain ``sqlite3``, all in one transaction. hubtool imports into a
temporary store (``--store``; ``HUBTOOL_STORE`` points there too), never the user's, recreated
before every run so each run is a first import.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

from procstat import Tool

FLOOR = """
import json, sqlite3, sys, jsonschema_rs
schema, store, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(schema, encoding="utf-8") as f:
    validator = jsonschema_rs.Draft202012Validator(json.load(f))
db = sqlite3.connect(store)
db.executescript(
    "CREATE TABLE ports (id TEXT PRIMARY KEY, publisher TEXT, slug TEXT, version TEXT, port TEXT);"
    "CREATE TABLE drafts (id TEXT PRIMARY KEY, port_id TEXT, slug TEXT, state TEXT, template TEXT);"
    "CREATE TABLE transitions (id INTEGER PRIMARY KEY, draft_id TEXT, to_state TEXT, note TEXT);"
)
with db:
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if list(validator.iter_errors(data)):
            sys.exit(f"{path}: not valid")
        port = data["publisher"]["slug"] + "/" + data["slug"]
        db.execute("INSERT INTO ports VALUES (?, ?, ?, ?, ?)", (port, data["publisher"]["slug"],
                   data["slug"], data["version"], json.dumps(data["portTemplates"][0])))
        for action in data["actionTemplates"]:
            draft = port + "/" + action["slug"]
            db.execute("INSERT INTO drafts VALUES (?, ?, ?, 'draft', ?)",
                       (draft, port, action["slug"], json.dumps(action)))
            db.execute("INSERT INTO transitions (draft_id, to_state, note) VALUES (?, 'draft', ?)",
                       (draft, "created by import"))
db.close()
"""


def import_form(hubtool: list[str], env: dict[str, str]) -> str:
    """How ``hubtool import`` takes a catalog: 'paths' (NAME...), 'all' (--all) or 'each'."""
    result = subprocess.run(
        [*hubtool, "import", "--help"], capture_output=True, text=True, env=env, check=False
    )
    usage = re.search(r"Usage: .*import \[OPTIONS\] (\S+)", result.stdout)
    if usage and usage.group(1).endswith("..."):
        return "paths"
    if re.search(r"^\s+--all\b", result.stdout, re.MULTILINE):
        return "all"
    return "each"


def import_tools(
    hubtool: list[str],
    python: str,
    schema: Path,
    root: Path,
    paths: list[Path],
    env: dict[str, str],
) -> tuple[Tool, Tool, str]:
    """The hubtool import tool and its floor on the catalog under ``root``; the form used."""
    store, floor_store = root / "bench-store.sqlite3", root / "floor-store.sqlite3"
    env = {**env, "HUBTOOL_STORE": str(store), "HUBTOOL_ACTOR": "bench"}
    form = import_form(hubtool, env)
    base = [*hubtool, "import", "--store", str(store)]
    files = [str(p) for p in paths]
    argvs = {
        "paths": [[*base, *files]],
        "all": [[*base, "--all"]],
        "each": [[*base, f] for f in files],
    }[form]

    def fresh(*stores: Path) -> None:
        for path in stores:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    ours = Tool(f"hubtool import ({form})", argvs, root, env, lambda: fresh(store))
    floor_argv = [python, "-c", FLOOR, str(schema), str(floor_store), *files]
    floor = Tool("floor", [floor_argv], root, env, lambda: fresh(floor_store))
    return ours, floor, form


def drafts_in(store: Path) -> int:
    """How many drafts a hubtool store holds (0 when there is none)."""
    if not store.exists():
        return 0
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM drafts").fetchone()[0])
    finally:
        db.close()
