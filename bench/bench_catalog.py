"""Benchmark: hubtool at catalog scale, side by side with check-jsonschema and the floor (issue 11).

For N generated manifests of M actions (bench/catalog.py; default N = 1, 10, 100, 1,000 and
M = 20), whole processes measured in one run, interleaved per repetition (medians of k runs):

- ``hubtool validate <catalog dir>`` (schema plus every policy rule);
- ``check-jsonschema --schemafile schemas/dock-integration.schema.json <files...>`` (schema only);
- the floor: one Python process doing ``json.load`` and a precompiled ``jsonschema_rs`` validator
  per file.

Plus the hook (``hubtool validate --catalog-context`` of the Sentry manifest in this repository's
catalog, as the hook runs it, with its ``.hubtool.yaml`` cached as on every commit that does not
change it (``hubtool.validate.config.cache``, in a private directory), against check-jsonschema
and the bare interpreter ``python -c 'import json'``; beside it, not targets, the same run with
the cache off (``HUBTOOL_NO_CACHE=1``: the first run after the configuration changes) and what
its libraries cost alone: ``python -c 'import click, jsonschema_rs'``) and the import figure
(bench/import_figure.py). Each cell
is wall / cpu (user + sys) / peak resident set, medians; ratios are hubtool over the other tool.
Prints a markdown table and a met / not met line per target of issue 11.

Usage: .venv/bin/python bench/bench_catalog.py [--sizes 1,10,100,1000] [--runs K] [--big-runs K]
       [--hook-runs K]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
from pathlib import Path

from catalog import generate
from import_figure import drafts_in, import_tools
from procstat import MIB, Tool, cell, interleave, ratio, seconds

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "schemas/dock-integration.schema.json"
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
BIN = Path(sys.executable).parent
BIG = 1000  # from this N on, --big-runs repetitions
FLOOR = """
import json, sys, jsonschema_rs
with open(sys.argv[1], encoding="utf-8") as f:
    validator = jsonschema_rs.Draft202012Validator(json.load(f))
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        if list(validator.iter_errors(json.load(f))):
            sys.exit(f"{path}: not valid")
"""


LIBRARIES = "import click, jsonschema_rs"
"""What the hook imports that is not hubtool's (the CLI, the schema engine; PyYAML too when the
configuration is not cached): printed beside the hook row, not a target."""


def executable(name: str) -> str:
    path = BIN / name
    if not path.exists():
        sys.exit(f"bench: {path} not found; install the dev extras in this venv")
    return str(path)


def hubtool_argv() -> list[str]:
    """The console script beside the interpreter (what the hook runs), else ``python -m``."""
    script = BIN / "hubtool"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hubtool"]


def hook_row(check: str, env: dict[str, str], runs: int, cache: Path) -> list[Tool]:
    """hubtool (configuration cached in ``cache``), check-jsonschema, the bare interpreter,
    the hook's libraries and hubtool with the cache off, on the Sentry manifest."""
    hook = [*hubtool_argv(), "validate", "--catalog-context", str(SENTRY)]
    cached = {**env, "HUBTOOL_CACHE_DIR": str(cache)}
    tools = [
        Tool("hubtool", [hook], REPO, cached),
        Tool("check-jsonschema", [[check, "--schemafile", str(SCHEMA), str(SENTRY)]], REPO, env),
        Tool("python -c 'import json'", [[sys.executable, "-c", "import json"]], REPO, env),
        Tool("its libraries", [[sys.executable, "-c", LIBRARIES]], REPO, env),
        Tool("hubtool, cache off", [hook], REPO, {**env, "HUBTOOL_NO_CACHE": "1"}),
    ]
    interleave(tools, runs)
    return tools


def size_row(
    check: str, root: Path, manifests: int, actions: int, env: dict[str, str], runs: int
) -> list[Tool]:
    """hubtool, check-jsonschema and the floor on a generated catalog of ``manifests`` files."""
    files = [str(p) for p in generate(root, manifests, actions)]
    catalog = str(root / "apps/hub/catalog")
    tools = [
        Tool("hubtool", [[*hubtool_argv(), "validate", catalog]], root, env),
        Tool("check-jsonschema", [[check, "--schemafile", str(SCHEMA), *files]], root, env),
        Tool("floor", [[sys.executable, "-c", FLOOR, str(SCHEMA), *files]], root, env),
    ]
    interleave(tools, runs)
    return tools


def check_store(root: Path, expected: int) -> None:
    """Exit unless the last hubtool import wrote one draft per action."""
    found = drafts_in(root / "bench-store.sqlite3")
    if found != expected:
        sys.exit(f"bench: hubtool import wrote {found} drafts, expected {expected}")


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def peak(tool: Tool) -> float:
    """Median peak memory of all the tool's processes together, bytes (``procstat``)."""
    return tool.median("memory")


def marginal(rows: dict[int, list[Tool]], low: int, high: int) -> float | None:
    """hubtool cpu per extra manifest between two sizes, seconds; None when one is missing."""
    if low not in rows or high not in rows:
        return None
    return (rows[high][0].median("cpu") - rows[low][0].median("cpu")) / (high - low)


def targets(
    hook: list[Tool] | None, rows: dict[int, list[Tool]], imp: list[Tool] | None, imported: int
) -> None:
    """One line per target of issue 11, judged on median wall time (peak on median peak memory)."""

    def wall(tools: list[Tool] | None, limit: float, of: int) -> bool | None:
        if tools is None:
            return None
        return tools[0].median("wall") <= limit * tools[of].median("wall")

    big = rows.get(BIG)
    low, high = marginal(rows, 10, 100), marginal(rows, 100, BIG)
    linear = None if low is None or high is None else high <= 1.25 * low
    lines = [
        ("hook <= 0.4x check-jsonschema", wall(hook, 0.4, 1)),
        ("hook <= 4x the bare interpreter", wall(hook, 4, 2)),
        ("1,000 x 20 <= 0.1x check-jsonschema", wall(big, 0.1, 1)),
        ("1,000 x 20 <= 5x the floor", wall(big, 5, 2)),
        (
            "1,000 x 20 peak <= 100 MB",
            None if big is None else big[0].median("memory") <= 100 * MIB,
        ),
        ("cost linear in N (cpu per manifest, 100->1,000 <= 1.25x 10->100)", linear),
        (f"import of {imported:,} actions <= 5x its floor", wall(imp, 5, 1)),
    ]
    print("\nTargets (issue 11; wall-time medians):\n")
    for text, ok in lines:
        print(f"- {text}: {verdict(ok)}")
    if low is not None and high is not None:
        print(
            f"\nLinearity: hubtool cpu per extra manifest {low * 1000:.1f} ms (10->100), "
            f"{high * 1000:.1f} ms (100->1,000); wall per manifest "
            f"{rows[100][0].median('wall') / 100 * 1000:.1f} ms at 100, "
            f"{rows[BIG][0].median('wall') / BIG * 1000:.1f} ms at 1,000."
        )


def hook_share(hook: list[Tool] | None) -> None:
    """Print what the hook's libraries cost alone, and hubtool's own share (wall medians)."""
    if hook is None:
        return
    ours, _, bare, libraries, cold = hook
    own = ours.median("wall") - libraries.median("wall")
    print(
        f"\nThe hook's libraries alone (`python -c '{LIBRARIES}'`): "
        f"{seconds(libraries.median('wall'))}, {ratio(libraries, bare)} the bare interpreter; "
        f"hubtool's own share of the hook: {seconds(own)} "
        f"({own / bare.median('wall'):.2f}x the bare interpreter).\n"
        f"The hook with the configuration cache off (`HUBTOOL_NO_CACHE=1`, as on the first "
        f"run after .hubtool.yaml changes; PyYAML reads it): {cell(cold)}, "
        f"{ratio(cold, bare)} the bare interpreter."
    )


def print_table(
    hook: list[Tool] | None,
    rows: dict[int, list[Tool]],
    actions: int,
    imp: tuple[Tool, Tool, str] | None,
) -> None:
    print(
        "| figure | hubtool | check-jsonschema | floor | hubtool / check-jsonschema "
        "| hubtool / floor |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    if hook is not None:
        ours, theirs, bare = hook[:3]
        print(
            f"| hook: Sentry manifest (1 x 3) | {cell(ours)} | {cell(theirs)} | {cell(bare)} "
            f"(`python -c 'import json'`) | {ratio(ours, theirs)} | {ratio(ours, bare)} |"
        )
    for n, (ours, theirs, floor) in rows.items():
        print(
            f"| validate {n:,} x {actions} | {cell(ours)} | {cell(theirs)} | {cell(floor)} "
            f"| {ratio(ours, theirs)} | {ratio(ours, floor)} |"
        )
    if imp is not None:
        ours, floor, label = imp
        print(f"| import {label} | {cell(ours)} | — | {cell(floor)} | — | {ratio(ours, floor)} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1,10,100,1000", help="manifest counts N, comma-separated"
    )
    parser.add_argument("--actions", type=int, default=20, help="actions per manifest M")
    parser.add_argument("--runs", type=int, default=5, help="repetitions below 1,000 manifests")
    parser.add_argument("--big-runs", type=int, default=3, help="repetitions from 1,000 on")
    parser.add_argument(
        "--hook-runs",
        type=int,
        default=15,
        help="repetitions of the hook row (a run takes ~0.1 s; its floor, ~30 ms, is noisy)",
    )
    parser.add_argument("--import-actions", type=int, default=1000, help="0 skips the import")
    parser.add_argument("--no-hook", action="store_true", help="skip the hook row")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    counts = (args.runs, args.big_runs, args.hook_runs, args.actions)
    if min(sizes, default=1) < 1 or min(counts) < 1:
        parser.error("sizes, --runs, --big-runs, --hook-runs and --actions must be at least 1")
    check = executable("check-jsonschema")
    if importlib.util.find_spec("jsonschema_rs") is None:
        sys.exit("bench: the floor needs jsonschema_rs in this venv")
    env = {**os.environ, "NO_COLOR": "1"}
    origin = importlib.util.find_spec("hubtool")
    print(
        f"hubtool catalog benchmark: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; hubtool from {origin and origin.origin}; "
        f"runs {args.runs} ({args.big_runs} from {BIG:,} manifests, {args.hook_runs} for the "
        "hook); cells: wall / cpu / "
        "peak memory, all processes (medians); ratios: wall (cpu)\n",
        flush=True,
    )
    rows: dict[int, list[Tool]] = {}
    imp = None
    with tempfile.TemporaryDirectory(prefix="hubtool-bench-") as tmp:
        cache = Path(tmp) / "cache"
        hook = None if args.no_hook else hook_row(check, env, args.hook_runs, cache)
        if hook is not None and not any(cache.glob("config-*.json")):
            sys.exit("bench: the hook left no cached configuration in its cache directory")
        for n in sizes:
            runs = args.big_runs if n >= BIG else args.runs
            rows[n] = size_row(check, Path(tmp) / f"n{n}", n, args.actions, env, runs)
        if args.import_actions:
            count = max(1, args.import_actions // args.actions)
            root = Path(tmp) / "import"
            paths = generate(root, count, args.actions, seed=12)
            ours, floor, form = import_tools(
                hubtool_argv(), sys.executable, SCHEMA, root, paths, env
            )
            interleave([ours, floor], args.runs)
            check_store(root, count * args.actions)
            how = {"each": "one process per manifest", "paths": "one command", "all": "--all"}
            imp = (ours, floor, f"{count} x {args.actions} ({how[form]})")
    print_table(hook, rows, args.actions, imp)
    imported = max(1, args.import_actions // args.actions) * args.actions
    targets(hook, rows, None if imp is None else [imp[0], imp[1]], imported)
    hook_share(hook)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f} (a shared machine skews wall time)")


if __name__ == "__main__":
    main()
