"""Benchmark: reading YAML OpenAPI specs, PyYAML's pure-Python safe loader against hubtool's
loader (libyaml's ``CSafeLoader`` where PyYAML has it), in one run, interleaved.

The specs are the providers' own, kept in ``../shared/data/providers`` (absent ones are
skipped): Asana's 3.1 MB spec, Netlify's, DigitalOcean's top file and all 2,900 files of its
multi-file spec. Both readers include the conversion to JSON values (``_json_value``).

Usage: .venv/bin/python bench/bench_yaml.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROVIDERS = REPO.parent / "shared" / "data" / "providers"
sys.path.insert(0, str(REPO))

SPECS = {
    "Asana (one file)": ("asana", ["asana_oas.yaml"]),
    "Netlify (one file)": ("netlify", ["swagger.yml"]),
    "DigitalOcean top file": ("digitalocean/specification", ["DigitalOcean-public.v2.yaml"]),
    "DigitalOcean, every file": ("digitalocean/specification", ["**/*.yml", "**/*.yaml"]),
}
"""Per label: a folder under PROVIDERS and the glob patterns of its files."""


def texts(folder: str, patterns: list[str]) -> list[str]:
    paths = sorted({path for pattern in patterns for path in (PROVIDERS / folder).glob(pattern)})
    return [path.read_text(encoding="utf-8") for path in paths]


def readers() -> dict[str, Callable[[str], Any]]:
    import yaml

    from hubtool.upstream.openapi import _json_value
    from hubtool.upstream.yamlspec import load_yaml

    return {
        "pure-Python SafeLoader": lambda text: _json_value(yaml.safe_load(text)),
        "hubtool (CSafeLoader)": lambda text: _json_value(load_yaml(text)),
    }


def main(argv: list[str] | None = None) -> None:
    import yaml

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}; median of {args.runs}")
    for label, (folder, patterns) in SPECS.items():
        documents = texts(folder, patterns)
        if not documents:
            print(f"  {label}: not in {PROVIDERS}, skipped")
            continue
        size = sum(map(len, documents)) / 1e6
        times: dict[str, list[float]] = {name: [] for name in readers()}
        results = {}
        for _ in range(args.runs):
            for name, read in readers().items():
                start = time.perf_counter()
                results[name] = [read(text) for text in documents]
                times[name].append(time.perf_counter() - start)
        same = len({repr(value) for value in results.values()}) == 1
        pure, fast = (statistics.median(v) for v in times.values())
        print(
            f"  {label:<26} {len(documents):5} files {size:5.1f} MB  pure {pure:6.2f} s  "
            f"hubtool {fast:6.2f} s  {pure / fast:4.1f}x  same values: {same}"
        )


if __name__ == "__main__":
    main()
