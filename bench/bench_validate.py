"""Benchmark: hubtool validate against check-jsonschema on the Sentry manifest.

Whole-process wall time of ``hubtool validate`` (schema plus every policy rule) and of
``check-jsonschema --schemafile`` (the schema alone), hubtool's start-up (``--help``), and
hubtool's in-process ``validate()`` on the Sentry manifest and on a synthetic 500-action
manifest. Executables come from the directory of the running interpreter (the venv).

Usage: .venv/bin/python bench/bench_validate.py [--runs N]
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import Timing, measure, milliseconds

REPO = Path(__file__).resolve().parents[1]
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
SCHEMA = REPO / "schemas/dock-integration.schema.json"
BIN = Path(sys.executable).parent
SYNTHETIC_ACTIONS = 500


def executable(name: str) -> Path:
    """A console script installed beside the running interpreter."""
    path = BIN / name
    if not path.exists():
        sys.exit(f"bench: {path} not found; install the dev extras in this venv")
    return path


def process(argv: list[str], expect: int = 0) -> Callable[[], None]:
    """A callable that runs ``argv`` to completion and checks its exit code."""

    def run() -> None:
        result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
        if result.returncode != expect:
            sys.exit(
                f"bench: {argv[0]} exited {result.returncode}:\n{result.stdout}{result.stderr}"
            )

    return run


def time_process(label: str, argv: list[str], runs: int) -> Timing:
    run = process(argv)
    run()  # warm the file-system cache and check the command works; not counted
    return Timing(label, measure(run, runs))


def synthetic_manifest(actions: int) -> dict[str, Any]:
    """The Sentry manifest with ``actions`` copies of its actions, each under a new slug."""
    data = json.loads(SENTRY.read_text(encoding="utf-8"))
    originals = data["actionTemplates"]
    copies = []
    for index in range(actions):
        action = copy.deepcopy(originals[index % len(originals)])
        action["slug"] = f"{action['slug']}-{index:04d}"
        copies.append(action)
    data["actionTemplates"] = copies
    return data


def time_in_process(label: str, path: Path, runs: int) -> Timing:
    """Warm in-process validate(); the size cap is lifted (the 500-action file is > 1 MiB)."""
    sys.path.insert(0, str(REPO))
    from hubtool.validate.pipeline import validate

    cap = max(path.stat().st_size, 1024 * 1024)
    report = validate([path], max_bytes=cap)  # warm: imports, compiled schema, regex caches
    if report.findings:
        sys.exit(f"bench: {path} is not clean: {report.findings[0]}")
    return Timing(label, measure(lambda: validate([path], max_bytes=cap), runs))


def print_table(timings: list[Timing], runs: int) -> None:
    width = max(len(t.label) for t in timings)
    print(f"hubtool benchmark: {runs} runs each, Python {platform.python_version()}, {BIN}")
    print(f"{'':{width}}  {'median':>12}  {'min':>12}")
    for timing in timings:
        print(f"{timing.label:{width}}  {milliseconds(timing.median)}  {milliseconds(timing.best)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per measurement")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    hubtool, check_jsonschema = executable("hubtool"), executable("check-jsonschema")
    ours = time_process(
        "hubtool validate (process)", [str(hubtool), "validate", str(SENTRY)], args.runs
    )
    theirs = time_process(
        "check-jsonschema (process)",
        [str(check_jsonschema), "--schemafile", str(SCHEMA), str(SENTRY)],
        args.runs,
    )
    startup = time_process("hubtool --help (process)", [str(hubtool), "--help"], args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "synthetic-500.json"
        big.write_text(
            json.dumps(synthetic_manifest(SYNTHETIC_ACTIONS), indent=2), encoding="utf-8"
        )
        warm = time_in_process("validate() in-process, Sentry (3 actions)", SENTRY, args.runs)
        size = big.stat().st_size / 1e6
        label = f"validate() in-process, {SYNTHETIC_ACTIONS} actions ({size:.1f} MB)"
        large = time_in_process(label, big, args.runs)

    print_table([ours, theirs, startup, warm, large], args.runs)
    print(
        f"ratio check-jsonschema / hubtool (process): median {theirs.median / ours.median:.2f}x, "
        f"min {theirs.best / ours.best:.2f}x"
    )
    print(
        f"in-process cost per action ({SYNTHETIC_ACTIONS} actions): "
        f"{large.median / SYNTHETIC_ACTIONS * 1e6:.0f} us median"
    )


if __name__ == "__main__":
    main()
