"""Benchmark: the secret scan in process, caches cleared before each run (CPU time, median).

Figures: both secret rules on the Sentry manifest and on a 500-action manifest built from its
actions; ``redacted()`` (what every message goes through) and ``find_secret`` over every
distinct string of Sentry's OpenAPI spec (``../shared/data/sentry/``, skipped if absent). It
measures the hubtool on ``PYTHONPATH``: to compare two trees, run it once per tree, in turns.

Usage: PYTHONPATH=<tree> .venv/bin/python bench/bench_secrets.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench_validate import synthetic_manifest

REPO = Path(__file__).resolve().parents[1]
SENTRY = REPO / "apps/hub/catalog/integrations/sentry/sentry-api.json"
SPEC = REPO.parent / "shared/data/sentry/openapi-derefed.json"


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from strings(child)


def clear_caches() -> None:
    import hubtool.core.escape as escape
    import hubtool.core.secrets as secrets
    import hubtool.core.secrets.names as names

    secrets.find_secret.cache_clear()
    escape._redacted_short.cache_clear()
    if hasattr(names, "_cached_verdict"):  # older trees have no name cache
        names._cached_verdict.cache_clear()


def cpu_ms(action: Callable[[], object], runs: int) -> float:
    """Median CPU milliseconds of ``runs`` calls of ``action``, caches cleared before each."""
    times = []
    for _ in range(runs):
        clear_caches()
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    from hubtool.core.escape import redacted
    from hubtool.core.secrets import find_secret
    from hubtool.load.strict import Document
    from hubtool.validate.rules import secrets

    def document(data: Any) -> Document:
        return Document("bench.json", data)

    sentry = document(json.loads(SENTRY.read_text(encoding="utf-8")))
    big = document(synthetic_manifest(500))
    rows = [
        ("secret rules, Sentry manifest", cpu_ms(lambda: list(secrets.check(sentry)), runs)),
        ("secret rules, 500 actions", cpu_ms(lambda: list(secrets.check(big)), max(3, runs // 3))),
    ]
    if SPEC.exists():
        spec = list(dict.fromkeys(strings(json.loads(SPEC.read_text(encoding="utf-8")))))
        label = f"{len(spec)} spec strings"
        rows += [
            (f"redacted(), {label}", cpu_ms(lambda: list(map(redacted, spec)), runs)),
            (f"find_secret, {label}", cpu_ms(lambda: list(map(find_secret, spec)), runs)),
        ]
    for label, ms in rows:
        print(f"{label:40} {ms:9.2f} ms cpu")


if __name__ == "__main__":
    main()
