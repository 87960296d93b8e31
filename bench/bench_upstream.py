"""Benchmark: loading and indexing Sentry's 3.9 MB OpenAPI spec, and check-upstream end to end.

Target: load + index well under a second. Also times whole-process
``hubtool check-upstream --examples`` on the Sentry manifest.

Usage: .venv/bin/python bench/bench_upstream.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from timing import measure

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO.parent / "shared/data/sentry/openapi-derefed.json"
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
HUBTOOL = Path(sys.executable).parent / "hubtool"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    if not SPEC.exists():
        print(f"{SPEC} is absent: ../shared/ sits beside the repository")
        return 0
    from hubtool.upstream.openapi import load_spec

    spec = load_spec(SPEC)
    load = measure(lambda: load_spec(SPEC), runs)
    command = [str(HUBTOOL), "check-upstream", str(SENTRY), "--openapi", str(SPEC), "--examples"]
    process = measure(lambda: subprocess.run(command, capture_output=True, check=False), runs)
    print(f"Sentry spec: {SPEC.stat().st_size / 1e6:.1f} MB, {len(spec.operations)} operations")
    print(f"{'measurement':<44} {'median':>9} {'min':>9}")
    for label, seconds in (
        ("load + index (in process)", load),
        ("hubtool check-upstream --examples (process)", process),
    ):
        print(
            f"{label:<44} {statistics.median(seconds) * 1000:>7.1f}ms {min(seconds) * 1000:>7.1f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
