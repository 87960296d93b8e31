"""``hubtool ci``: the hub repository's one gate. Pure: builds a Report, prints nothing.

Validates the manifests changed since REF (``--all``: the whole catalog), runs the
catalog-wide checks over every catalog file, and the version gate against REF. The policy
configuration is the base branch's (REF's tip), never the pull request's
(``hubtool.ci.baseconfig``); the tree is walked without following a link, and git's own view of
it is checked too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from hubtool.ci import baseconfig
from hubtool.core.errors import HubtoolError
from hubtool.core.findings import WARNING, Finding, Report
from hubtool.core.guard import guarded
from hubtool.core.registry import Rule
from hubtool.diff import gitrefs
from hubtool.diff.compare import ManifestDiff, compare_to_ref, gate_findings, removed_since
from hubtool.diff.gate import VERSION_GATE
from hubtool.load.discover import CATALOG_TREE, default_paths, display, shown, walk
from hubtool.load.strict import MAX_BYTES
from hubtool.validate.config.apply import apply_config
from hubtool.validate.pipeline import kept_file, validate
from hubtool.validate.rules.catalog import check_catalog


@dataclass
class CiResult:
    report: Report
    diffs: list[ManifestDiff] = field(default_factory=list)


def changed_since(root: Path, commit: str, directory: Path) -> set[Path]:
    """Files at or under ``directory`` that differ from ``commit`` in the work tree, or are new.

    Paths are ``root`` (resolved) joined with git's own names, never resolved themselves: a
    link stays the link. Names that are not UTF-8 keep their bytes (``os.fsdecode``).
    """
    top = root.resolve()
    relative = _relative_dir(directory, top)
    outputs = [
        ["diff", "--name-only", "-z", "--no-renames", commit, "--", relative],
        ["ls-files", "--others", "--exclude-standard", "-z", "--", relative],
    ]
    names: set[Path] = set()
    for args in outputs:
        result = gitrefs.run_git(top, *args)
        names |= {top / os.fsdecode(n) for n in result.stdout.split(b"\0") if n}
    return names


def _relative_dir(directory: Path, top: Path) -> str:
    return (directory.absolute().parent.resolve() / directory.name).relative_to(top).as_posix()


def git_tree_findings(root: Path, catalog: Path) -> list[Finding]:
    """git's own view of the catalog: an index entry that is a link (mode 120000) or a
    submodule (160000) is a catalog-tree finding, whatever the work tree holds."""
    top = root.resolve()
    relative = _relative_dir(catalog, top)
    result = gitrefs.run_git(top, "ls-files", "-s", "-z", "--", relative)
    findings: list[Finding] = []
    for record in result.stdout.split(b"\0"):
        if b"\t" not in record:
            continue
        meta, name = record.split(b"\t", 1)
        mode = meta.split(b" ", 1)[0]
        what = {b"120000": "a symbolic link", b"160000": "a submodule"}.get(mode)
        if what is not None:
            path = shown(display(top / os.fsdecode(name)))
            message = (
                f"the entry is {what} in git (mode {mode.decode()}); the catalog holds regular "
                "files only: replace it with the files themselves"
            )
            findings.append(
                Finding(CATALOG_TREE.id, CATALOG_TREE.severity, path, "", 1, 1, message)
            )
    return findings


def run_ci(
    base: str,
    all_files: bool = False,
    config_path: Path | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    rules: Mapping[str, Rule],
) -> CiResult:
    """The gate: changes since the merge base with REF, under REF's tip's configuration
    (see ``hubtool.ci.baseconfig``; ``rules``: the known rules by id, for it)."""
    catalog = default_paths()[0]
    root = gitrefs.repo_root(catalog).resolve()
    tip = gitrefs.resolve(root, base)
    commit = gitrefs.merge_base(root, tip, base)
    trust = baseconfig.review(root, commit, catalog, config_path, tip, rules=rules)
    catalog = root / _relative_dir(catalog, root)
    tree = walk([catalog])
    everything = tree.files
    changed = changed_since(root, commit, catalog)
    all_files = all_files or trust.changed
    targets = everything if all_files else [p for p in everything if p in changed]
    report = validate(targets, max_bytes=max_bytes)
    report.findings = [f for f in report.findings if not _catalog_wide(f)]
    report.findings += _catalog_wide_findings(everything, {str(f) for f in report.files}, max_bytes)
    report.findings += _unique(tree.findings, git_tree_findings(root, catalog))
    report.findings += trust.findings
    broken = {f.file for f in report.findings if f.rule == "json-syntax"}
    diffs: list[ManifestDiff] = []
    for path in targets:
        if display(path) not in broken:
            diffs.extend(_gate_one(commit, path, max_bytes, report))
    diffs += removed_since(commit, catalog)
    report.findings += gate_findings(diffs)
    report.findings = [_ci_severity(f, rules) for f in report.findings]
    report.findings.sort(key=Finding.sort_key)
    return CiResult(apply_config(report, trust.config), diffs)


def _ci_severity(finding: Finding, rules: Mapping[str, Rule]) -> Finding:
    """``finding`` at its rule's ``ci_severity`` where the rule has one (before the
    configuration, whose severities still decide)."""
    rule = rules.get(finding.rule) if finding.rule in rules else None
    if rule is None or rule.ci_severity is None or rule.ci_severity == finding.severity:
        return finding
    return replace(finding, severity=rule.ci_severity)


def _unique(*groups: list[Finding]) -> list[Finding]:
    """Findings of several views of the tree, each file once: the work tree's view first."""
    seen: set[str] = set()
    kept = []
    for group in groups:
        for finding in group:
            if finding.file not in seen:
                seen.add(finding.file)
                kept.append(finding)
    return kept


def _gate_one(base: str, path: Path, max_bytes: int, report: Report) -> list[ManifestDiff]:
    """The gate for one manifest; a base version that does not parse is a warning, not a stop."""
    try:
        return compare_to_ref(base, [path], max_bytes)
    except HubtoolError as exc:
        message = f"cannot compare with {base}: {exc}; the version gate was skipped"
        report.findings.append(Finding(VERSION_GATE.id, WARNING, display(path), "", 1, 1, message))
        return []


def _catalog_wide(finding: Finding) -> bool:
    return finding.rule == "unique-slugs" and finding.pointer == "/slug"


def _catalog_wide_findings(paths: list[Path], checked: set[str], max_bytes: int) -> list[Finding]:
    """Slug uniqueness over the whole catalog, reported on the files this run checks."""
    kept = [k for k in (kept_file(p, max_bytes) for p in paths) if k is not None]
    first = next((k.path for k in kept if k.path in checked), None)
    if first is None:
        return []
    found = guarded(partial(check_catalog, kept), first, "the catalog-wide checks")
    return [f for f in found if f.file in checked]
