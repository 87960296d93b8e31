"""diff -> classify -> gate for two files, or for the catalog against a git ref. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding
from hubtool.core.guard import INTERNAL_ERROR, crash_message, reraise_unless_internal
from hubtool.core.manifest import as_dict
from hubtool.core.registry import Rule
from hubtool.diff import gitrefs
from hubtool.diff.classify import diff
from hubtool.diff.gate import VERSION_GATE, Verdict, gate
from hubtool.diff.kinds import OLD, Change, redact
from hubtool.load.discover import (
    default_paths,
    discover,
    display,
    require_regular,
    shown,
    walk,
)
from hubtool.load.strict import MAX_BYTES, Document, decode, parse
from hubtool.validate.pipeline import load_file

CHANGED, UNCHANGED, ADDED, REMOVED = "changed", "unchanged", "added", "removed"


@dataclass
class ManifestDiff:
    """The classified changes of one manifest and the gate's verdict on its version."""

    file: str
    status: str
    old: Document | None
    new: Document | None
    changes: list[Change] = field(default_factory=list)
    verdict: Verdict = field(default_factory=lambda: Verdict(True, None, None))
    crashed: bool = False
    """The classification crashed (a hubtool bug): the verdict fails and the run exits 2."""
    validation: list[Finding] | None = None
    """The new version's validate errors (``check_new_versions``); None when not checked."""

    @property
    def old_version(self) -> Any:
        """The declared version (redacted, like every value shown), or None."""
        return redact(as_dict(self.old.data).get("version")) if self.old else None

    @property
    def new_version(self) -> Any:
        return redact(as_dict(self.new.data).get("version")) if self.new else None

    def position(self, change: Change) -> tuple[int, int]:
        """(line, column) of ``change.pointer`` in the version it refers to (``change.side``)."""
        doc = self.old if change.side == OLD else self.new
        return doc.position(change.pointer) if doc else (1, 1)

    def location(self, change: Change) -> tuple[str, int, int, str]:
        """(file, line, column, note) in the working tree's file, for annotations: a removal
        points at what it left in the new version (``change.anchor``, e.g. the
        ``actionTemplates`` line) and the note says where it was in the base version."""
        if change.side != OLD or self.new is None:
            return (self.file, *self.position(change), "")
        line, column = self.new.position(change.anchor, at_key=True)
        old_line, _ = self.position(change)
        base = self.old.path if self.old else "the base version"
        return self.file, line, column, f" (was at line {old_line} of {base})"


def _document(result: Document | list[Any], name: str, advice: str = "") -> Document:
    if isinstance(result, Document):
        return result
    first = result[0]
    advice = advice or f"run 'hubtool validate {name}'"
    raise HubtoolError(
        f"{name}:{first.line}:{first.column}: cannot diff: {first.message} ({advice})"
    )


def _at_ref(raw: bytes, ref: str, relpath: str) -> Document:
    """The manifest as committed at ``ref``; a clear error when that version does not parse."""
    name = f"{ref}:{relpath}"
    return _document(_parse_bytes(raw, name), name, f"the version at {ref}; see 'git show {name}'")


def classify(file: str, old: Document | None, new: Document | None) -> ManifestDiff:
    """Diff two parsed versions (either may be None: a first release, or a removal)."""
    if old is None and new is not None:
        return ManifestDiff(file, ADDED, None, new)
    if new is None:
        return ManifestDiff(file, REMOVED, old, None)
    try:
        changes = diff(old.data, new.data)
        verdict = gate(as_dict(old.data).get("version"), as_dict(new.data).get("version"), changes)
    except Exception as exc:  # defence in depth: this file's verdict fails, the others stand
        reraise_unless_internal(exc)
        failed = Verdict(False, None, None, [crash_message("the change classification", exc)])
        return ManifestDiff(file, CHANGED, old, new, [], failed, crashed=True)
    return ManifestDiff(file, CHANGED if changes else UNCHANGED, old, new, changes, verdict)


def compare_files(old_path: Path, new_path: Path, max_bytes: int = MAX_BYTES) -> ManifestDiff:
    require_regular(old_path)
    require_regular(new_path)
    old = _document(load_file(old_path, max_bytes), display(old_path))
    new = _document(load_file(new_path, max_bytes), display(new_path))
    return classify(new.path, old, new)


def compare_to_ref(ref: str, paths: list[Path], max_bytes: int = MAX_BYTES) -> list[ManifestDiff]:
    """Each manifest under ``paths`` against its version at ``ref``; deleted ones too."""
    paths = paths or default_paths()
    root = gitrefs.repo_root(paths[0].absolute())
    commit = gitrefs.merge_base(root, gitrefs.resolve(root, ref), ref)
    results: list[ManifestDiff] = []
    seen: set[str] = set()
    tree = walk(paths)
    if tree.findings:  # a link or special file: nothing to compare, and never followed
        first = tree.findings[0]
        raise HubtoolError(f"{first.file}: {first.message}")
    for path in tree.files:
        relpath = _relative(path, root)
        seen.add(relpath)
        new = _document(load_file(path, max_bytes), display(path))
        raw = gitrefs.read(root, commit, relpath)
        old = None if raw is None else _at_ref(raw, ref, relpath)
        results.append(classify(new.path, old, new))
    for path in paths:
        if path.is_dir():
            results.extend(_removed(root, commit, ref, _relative(path, root), seen))
    return results


def _removed(root: Path, commit: str, ref: str, prefix: str, seen: set[str]) -> list[ManifestDiff]:
    """The base's manifests under ``prefix`` that are not in ``seen`` and no longer exist.

    A base path still present as a file or link but not discovered (a name that is not UTF-8,
    a symlink) is not a removal: the walk's ``catalog-tree`` finding says why it is not read.
    Names are shown as findings show them (``shown``: ``\\xNN`` for bytes that are not UTF-8).
    """
    removed: list[ManifestDiff] = []
    for relpath in gitrefs.files(root, commit, prefix):
        path = root / relpath
        if relpath in seen or path.is_symlink() or path.is_file():
            continue
        seen.add(relpath)
        old = _parse_bytes(gitrefs.read(root, commit, relpath) or b"", f"{ref}:{relpath}")
        name = shown(display(path))
        removed.append(classify(name, old if isinstance(old, Document) else None, None))
    return removed


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise HubtoolError(f"{path} is outside the git repository at {root}") from exc


def _parse_bytes(raw: bytes, name: str) -> Document | list[Any]:
    text = decode(raw)
    return parse(text, name) if isinstance(text, str) else [text]


def removed_since(ref: str, directory: Path) -> list[ManifestDiff]:
    """The manifests under ``directory`` at ``ref`` that no longer exist in the work tree."""
    root = gitrefs.repo_root(directory.absolute())
    commit = gitrefs.resolve(root, ref)
    present = {_relative(path, root) for path in discover([directory])}
    return _removed(root, commit, ref, _relative(directory, root), present)


def check_new_versions(
    results: list[ManifestDiff], max_bytes: int = MAX_BYTES, *, rules: Mapping[str, Rule]
) -> None:
    """Validate each new version that changed, so a gate pass is never shown for a manifest
    that fails ``validate`` without saying so. Sets ``validation`` (errors only, after the
    repository's ``.hubtool.yaml`` severities and waivers; ``rules``: the known rules by id,
    for it)."""
    from hubtool.validate.config.find import find_config
    from hubtool.validate.config.parse import load_config
    from hubtool.validate.pipeline import validate

    for result in results:
        if result.new is None or result.status == UNCHANGED:
            continue
        path = Path(result.new.path)
        report = validate([path], max_bytes, load_config(find_config(path), rules=rules))
        result.validation = [f for f in report.findings if f.severity == ERROR]


def validation_note(result: ManifestDiff) -> str:
    """The note for a new version that fails validate, or ""."""
    if not result.validation:
        return ""
    rules = ", ".join(dict.fromkeys(f.rule for f in result.validation))
    return (
        f"this version fails validate ({len(result.validation)} error(s): {rules}); "
        f"run 'hubtool validate {result.file}'"
    )


def gate_findings(results: list[ManifestDiff]) -> list[Finding]:
    """The gate as findings: version-gate errors, removed manifests and changes as notes."""
    findings: list[Finding] = []
    for result in results:
        if result.status == REMOVED:  # no file to point at: a finding without a location
            message = (
                f"manifest {result.file} removed (was {result.old_version}); review the removal"
            )
            findings.append(Finding(VERSION_GATE.id, NOTE, "", "", 1, 1, message))
            continue
        findings.extend(_gate_errors(result))
        if validation_note(result):  # diff only: ci reports validate's own findings
            note = validation_note(result)
            findings.append(Finding(VERSION_GATE.id, WARNING, result.file, "", 1, 1, note))
        for change in result.changes:
            file, line, column, was = result.location(change)
            prefix = "needs review: " if change.review else ""
            message = f"{prefix}[{change.bump}] {change.message}{was}"
            findings.append(Finding(change.kind, NOTE, file, change.pointer, line, column, message))
    return findings


def _gate_errors(result: ManifestDiff) -> list[Finding]:
    if result.crashed:
        return [
            Finding(INTERNAL_ERROR.id, ERROR, result.file, "", 1, 1, result.verdict.problems[0])
        ]
    if not result.verdict.problems or result.new is None:
        return []
    line, column = result.new.position("/version")
    kinds = ", ".join(
        dict.fromkeys(c.kind for c in result.changes if c.bump == result.verdict.required_bump)
    )
    because = f" (required by: {kinds})" if kinds else ""
    return [
        Finding(VERSION_GATE.id, ERROR, result.file, "/version", line, column, problem + because)
        for problem in result.verdict.problems
    ]
