"""validate, rules, kinds: check manifests and print the registries."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from hubtool.commands import exit_code, use_colour
from hubtool.core.errors import EXIT_CLEAN
from hubtool.core.limits import MAX_BYTES


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    format: str = "text"
    strict: bool = False
    color: str = "auto"
    max_bytes: int = MAX_BYTES
    config: Path | None = None


def run_validate(options: ValidateOptions) -> int:
    from hubtool.load.discover import default_paths, display
    from hubtool.registry import RULES
    from hubtool.report.findings import REPORTERS
    from hubtool.validate.config.apply import apply_config
    from hubtool.validate.config.parse import find_config, load_config
    from hubtool.validate.config.scan import scan_config
    from hubtool.validate.pipeline import validate

    paths = list(options.paths) or default_paths()
    config = load_config(options.config or find_config(paths[0]), rules=RULES)
    report = validate(paths, max_bytes=options.max_bytes)
    shown = display(config.path) if config.path else ""
    # the configuration is scanned like a manifest; its findings name it as manifests are named
    report.findings.extend(replace(f, file=shown) for f in scan_config(config))
    report = apply_config(report, config)
    colour = use_colour(options.color, sys.stdout)
    REPORTERS[options.format](report, sys.stdout, strict=options.strict, colour=colour)
    return exit_code(report, options.strict)


def run_rules(fmt: str) -> int:
    from hubtool.report.findings import RULE_REPORTERS

    RULE_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN


def run_kinds(fmt: str) -> int:
    from hubtool.report.findings import KIND_REPORTERS

    KIND_REPORTERS[fmt](sys.stdout)
    return EXIT_CLEAN
