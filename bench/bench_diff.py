"""Benchmark: hubtool's diff engine on two 500-action manifests.

OLD is the Sentry manifest's actions copied under new slugs; NEW is OLD with a realistic spread
of changes (descriptions edited, enum values dropped, approvals loosened, actions removed and
added, optional parameters added, the version bumped). Measured: ``hubtool.diff.classify.diff`` in
process (median of several warm runs), its peak Python memory (tracemalloc), and the whole
``hubtool diff OLD NEW`` process (start-up, strict parsing of both files, diff, gate, report).

A 500-action manifest is larger than the 1 MiB default cap, so the process runs with
``--max-bytes``.

Usage: .venv/bin/python bench/bench_diff.py [--runs N] [--actions N]
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import random
import subprocess
import sys
import tempfile
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from timing import Timing, measure, milliseconds

REPO = Path(__file__).resolve().parents[1]
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
ACTIONS = 500
SEED = 20260101

# The share of actions each kind of edit touches in NEW.
DESCRIPTIONS, ENUMS, APPROVALS, REMOVED, ADDED, PARAMETERS = 0.10, 0.04, 0.02, 0.02, 0.03, 0.03

Data = dict[str, Any]


# --- the two manifests ----------------------------------------------------------------------


def sentry() -> Data:
    return json.loads(SENTRY.read_text(encoding="utf-8"))


def copied_action(originals: list[Data], index: int) -> Data:
    action = copy.deepcopy(originals[index % len(originals)])
    action["slug"] = f"{action['slug']}-{index:04d}"
    return action


def new_endpoint(originals: list[Data], index: int) -> Data:
    """A copied action on a route of its own (same method and path would read as a rename)."""
    action = copied_action(originals, index)
    action["path"] = f"{action['path']}extra-{index}/"
    return action


def old_manifest(actions: int) -> Data:
    """The Sentry manifest with ``actions`` copies of its actions, each under a new slug."""
    data = sentry()
    originals = data["actionTemplates"]
    data["actionTemplates"] = [copied_action(originals, i) for i in range(actions)]
    return data


def enums(action: Data) -> Iterator[list[Any]]:
    """Every enum list of an action's parameters and body properties (with 2+ values)."""
    schemas = [p.get("schema", {}) for p in action.get("inputs", {}).get("parameters", [])]
    body = action.get("inputs", {}).get("body") or {}
    schemas.extend(body.get("properties", {}).values())
    for schema in schemas:
        values = schema.get("enum")
        if isinstance(values, list) and len(values) > 1:
            yield values


def optional_parameter(index: int) -> Data:
    return {
        "name": f"tag{index}",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 64},
        "description": "Filter by tag.",
    }


def new_manifest(old: Data, seed: int = SEED) -> tuple[Data, Counter[str]]:
    """``old`` with a realistic spread of edits, and how many of each were made."""
    rng = random.Random(seed)
    data = copy.deepcopy(old)
    actions: list[Data] = data["actionTemplates"]
    made: Counter[str] = Counter()
    count = len(actions)
    for action in rng.sample(actions, round(count * DESCRIPTIONS)):
        action["description"] += " Updated wording."
        made["description edited"] += 1
    with_enums = [a for a in actions if any(enums(a))]
    for action in rng.sample(with_enums, min(len(with_enums), round(count * ENUMS))):
        next(enums(action)).pop()
        made["enum value dropped"] += 1
    writes = [a for a in actions if a.get("approvalMode") == "require_approval"]
    for action in rng.sample(writes, min(len(writes), round(count * APPROVALS))):
        action["approvalMode"] = "automatic"
        made["approval loosened"] += 1
    for index, action in enumerate(rng.sample(actions, round(count * PARAMETERS))):
        action["inputs"]["parameters"].append(optional_parameter(index))
        made["optional parameter added"] += 1
    removed = set(map(id, rng.sample(actions, round(count * REMOVED))))
    data["actionTemplates"] = [a for a in actions if id(a) not in removed]
    made["action removed"] = len(removed)
    originals = sentry()["actionTemplates"]
    for index in range(round(count * ADDED)):
        data["actionTemplates"].append(new_endpoint(originals, count + index))
        made["action added"] += 1
    data["version"] = "0.2.0"
    return data, made


# --- measurements ---------------------------------------------------------------------------


def classified(old: Data, new: Data) -> Counter[str]:
    """The change kinds ``hubtool.diff.classify.diff`` finds, counted (also warms caches)."""
    from hubtool.diff.classify import diff

    return Counter(change.kind for change in diff(old, new))


def time_differ(old: Data, new: Data, runs: int) -> Timing:
    from hubtool.diff.classify import diff

    return Timing("differ.diff() in process", measure(lambda: diff(old, new), runs))


def time_compare(old: Path, new: Path, runs: int) -> Timing:
    from hubtool.diff.compare import compare_files

    cap = max(old.stat().st_size, new.stat().st_size)
    label = "compare_files() in process (parse both, diff, gate)"
    return Timing(label, measure(lambda: compare_files(old, new, max_bytes=cap), runs))


def peak_memory(action: Callable[[], object]) -> int:
    """Peak bytes Python allocates during one call of ``action``."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def time_process(label: str, argv: list[str], runs: int, expect: int = 0) -> Timing:
    def run() -> None:
        result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
        if result.returncode != expect:
            sys.exit(f"bench: {argv} exited {result.returncode}:\n{result.stderr[-2000:]}")

    run()  # warm the file-system cache and check the command works; not counted
    return Timing(label, measure(run, runs))


def hubtool_command() -> list[str]:
    script = Path(sys.executable).parent / "hubtool"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hubtool"]


def print_report(timings: list[Timing], runs: int, notes: list[str]) -> None:
    width = max(len(t.label) for t in timings)
    print(f"hubtool diff benchmark: {runs} runs each, Python {platform.python_version()}")
    print(f"{'':{width}}  {'median':>12}  {'min':>12}")
    for timing in timings:
        print(f"{timing.label:{width}}  {milliseconds(timing.median)}  {milliseconds(timing.best)}")
    for note in notes:
        print(note)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement")
    parser.add_argument("--actions", type=int, default=ACTIONS, help="actions per manifest")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.actions < 10:
        parser.error("--runs must be at least 1 and --actions at least 10")

    sys.path.insert(0, str(REPO))
    from hubtool.diff.classify import diff
    from hubtool.diff.compare import compare_files

    old = old_manifest(args.actions)
    new, made = new_manifest(old)
    kinds = classified(old, new)
    timings = [time_differ(old, new, args.runs)]
    diff_peak = peak_memory(lambda: diff(old, new))
    hubtool = hubtool_command()
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp) / "old.json", Path(tmp) / "new.json"
        old_path.write_text(json.dumps(old, indent=2), encoding="utf-8")
        new_path.write_text(json.dumps(new, indent=2), encoding="utf-8")
        timings.append(time_compare(old_path, new_path, args.runs))
        cap = max(old_path.stat().st_size, new_path.stat().st_size)
        compare_peak = peak_memory(lambda: compare_files(old_path, new_path, max_bytes=cap))
        label = f"hubtool diff OLD NEW (process, {cap / 1e6:.1f} MB files)"
        pair = [*hubtool, "diff", str(old_path), str(new_path), "--max-bytes", str(cap)]
        timings.append(time_process(label, pair, args.runs))
        json_pair = [*pair, "--format", "json"]
        timings.append(time_process(f"{label}, --format json", json_pair, args.runs))
    small = [*hubtool, "diff", str(SENTRY), str(SENTRY)]
    timings.append(
        time_process("hubtool diff SENTRY SENTRY (process, 3 actions)", small, args.runs)
    )

    found = ", ".join(f"{kind} {n}" for kind, n in kinds.most_common())
    per_action = timings[0].median / args.actions * 1e6
    print_report(
        timings,
        args.runs,
        [
            f"manifests: {args.actions} -> {len(new['actionTemplates'])} actions; edits: "
            + ", ".join(f"{n} {what}" for what, n in made.items()),
            f"classified: {kinds.total()} changes ({found})",
            f"peak memory (tracemalloc): differ.diff() {diff_peak / 1e6:.2f} MB, "
            f"compare_files() {compare_peak / 1e6:.1f} MB",
            f"differ.diff(): {per_action:.0f} us per action (median)",
        ],
    )


if __name__ == "__main__":
    main()
