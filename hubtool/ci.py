"""``hubtool ci``: the hub repository's one gate. Pure: builds a Report, prints nothing.

Validates the manifests changed since REF (``--all``: the whole catalog), runs the
catalog-wide checks over every catalog file, and the version gate against REF.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hubtool import gitrefs
from hubtool.checker import default_paths, discover, display, load_file, validate
from hubtool.compare import ManifestDiff, compare_to_ref, gate_findings, removed_since
from hubtool.config import Config, apply_config
from hubtool.errors import HubtoolError
from hubtool.findings import WARNING, Finding, Report
from hubtool.loader import MAX_BYTES, Document
from hubtool.registry import GATE_RULE
from hubtool.rules.catalog import check_catalog


@dataclass
class CiResult:
    report: Report
    diffs: list[ManifestDiff] = field(default_factory=list)


def changed_since(root: Path, commit: str, directory: Path) -> set[Path]:
    """Files at or under ``directory`` that differ from ``commit`` in the work tree, or are new."""
    relative = directory.resolve().relative_to(root.resolve()).as_posix()
    outputs = [
        ["diff", "--name-only", "-z", "--no-renames", commit, "--", relative],
        ["ls-files", "--others", "--exclude-standard", "-z", "--", relative],
    ]
    names: set[Path] = set()
    for args in outputs:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
        names |= {(root / n.decode()).resolve() for n in result.stdout.split(b"\0") if n}
    return names


def run_ci(
    base: str, all_files: bool = False, config: Config | None = None, max_bytes: int = MAX_BYTES
) -> CiResult:
    catalog = default_paths()[0]
    root = gitrefs.repo_root(catalog)
    commit = gitrefs.merge_base(root, gitrefs.resolve(root, base), base)
    everything = discover([catalog])
    changed = changed_since(root, commit, catalog)
    all_files = all_files or _config_changed(root, commit, config)
    targets = everything if all_files else [p for p in everything if p.resolve() in changed]
    report = validate(targets, max_bytes=max_bytes)
    report.findings = [f for f in report.findings if not _catalog_wide(f)]
    report.findings += _catalog_wide_findings(everything, {str(f) for f in report.files}, max_bytes)
    broken = {f.file for f in report.findings if f.rule == "json-syntax"}
    diffs: list[ManifestDiff] = []
    for path in targets:
        if display(path) not in broken:
            diffs.extend(_gate_one(commit, path, max_bytes, report))
    diffs += removed_since(commit, catalog)
    report.findings += gate_findings(diffs)
    report.findings.sort(key=Finding.sort_key)
    return CiResult(apply_config(report, config) if config else report, diffs)


def _config_changed(root: Path, commit: str, config: Config | None) -> bool:
    """A changed .hubtool.yaml can change any file's verdict: then the whole catalog is checked."""
    if config is None or config.path is None or not config.path.resolve().is_relative_to(root):
        return False
    return config.path.resolve() in changed_since(root, commit, config.path)


def _gate_one(base: str, path: Path, max_bytes: int, report: Report) -> list[ManifestDiff]:
    """The gate for one manifest; a base version that does not parse is a warning, not a stop."""
    try:
        return compare_to_ref(base, [path], max_bytes)
    except HubtoolError as exc:
        message = f"cannot compare with {base}: {exc}; the version gate was skipped"
        report.findings.append(Finding(GATE_RULE.id, WARNING, display(path), "", 1, 1, message))
        return []


def _catalog_wide(finding: Finding) -> bool:
    return finding.rule == "unique-slugs" and finding.pointer == "/slug"


def _catalog_wide_findings(paths: list[Path], checked: set[str], max_bytes: int) -> list[Finding]:
    """Slug uniqueness over the whole catalog, reported on the files this run checks."""
    docs = [doc for doc in (load_file(p, max_bytes) for p in paths) if isinstance(doc, Document)]
    return [f for f in check_catalog(docs) if f.file in checked]
