"""Reporters for diff and the version gate: a changelog (text), JSON and markdown.

Values from the manifests (file names, versions, slugs, messages) go through the escaping
function of the medium (``hubtool.core.escape``): ``terminal`` for text, ``markdown`` for the
PR comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from hubtool.core.escape import json_text, markdown, markdown_code, redacted, terminal
from hubtool.core.findings import ERROR
from hubtool.core.registry import MAJOR, MINOR, PATCH
from hubtool.diff.compare import ADDED, REMOVED, UNCHANGED, ManifestDiff, validation_note
from hubtool.diff.kinds import OLD, Change, safe_pointer
from hubtool.report.findings import COLOURS, DIM, RESET, write_document


def change_dict(result: ManifestDiff, change: Change) -> dict[str, object]:
    line, column = result.position(change)
    return {
        "kind": change.kind,
        "action": change.action,
        "pointer": safe_pointer(change.pointer),
        "side": change.side,
        "line": line,
        "column": column,
        "bump": change.bump,
        "review": change.review,
        "message": change.message,
        "old": change.old,
        "new": change.new,
    }


def diff_dict(result: ManifestDiff) -> dict[str, object]:
    verdict = result.verdict
    document = {
        "ok": verdict.ok,
        "file": redacted(result.file),
        "status": result.status,
        "old_version": result.old_version,
        "new_version": result.new_version,
        "required_bump": verdict.required_bump,
        "minimum_version": verdict.minimum_version,
        "problems": verdict.problems,
        "changes": [change_dict(result, c) for c in ordered(result.changes)],
    }
    if result.validation is not None:  # only when the new version was validated (diff)
        document["validate_errors"] = [f.rule for f in result.validation]
    return document


def ordered(changes: list[Change]) -> list[Change]:
    """Review items first, then by action, then by bump (largest first)."""
    rank = {MAJOR: 0, MINOR: 1, PATCH: 2}
    return sorted(changes, key=lambda c: (not c.review, c.action or "", rank[c.bump], c.pointer))


def _status_line(result: ManifestDiff) -> str:
    return f"{terminal(result.file)}: {_status(result, terminal)}"


def _status(result: ManifestDiff, escape: Callable[[object], str]) -> str:
    """The verdict on one manifest, its versions escaped by ``escape`` for the medium."""
    verdict = result.verdict
    old, new = escape(result.old_version), escape(result.new_version)
    if result.status == ADDED:
        return f"first release {new} (passes)"
    if result.status == REMOVED:
        return f"manifest removed (was {old}); review the removal"
    if result.status == UNCHANGED:
        return f"no changes ({new})"
    outcome = "passes" if verdict.ok else "FAILS"
    return (
        f"{old} -> {new}: {outcome}; "
        f"{verdict.required_bump} changes need at least {escape(verdict.minimum_version)}"
    )


def shown(results: list[ManifestDiff], verbose: bool) -> list[ManifestDiff]:
    """The manifests a reviewer reads, like ``git diff``: the changed ones and any that fail
    the gate (all with ``verbose``, or when one manifest was compared)."""
    if verbose or len(results) == 1:
        return results
    return [r for r in results if r.status != UNCHANGED or not r.verdict.ok]


def _unchanged_line(results: list[ManifestDiff], listed: list[ManifestDiff]) -> str:
    hidden = len(results) - len(listed)
    if not hidden:
        return ""
    if not listed:
        return f"no manifest changed ({hidden} compared)\n"
    return f"{hidden} unchanged manifest(s) not listed (--verbose lists them)\n"


def _invalid(result: ManifestDiff) -> str:
    return validation_note(result)


def diff_text(
    results: list[ManifestDiff], out: TextIO, colour: bool = False, verbose: bool = True
) -> None:
    listed = shown(results, verbose)
    for result in listed:
        out.write(_status_line(result) + "\n")
        for problem in result.verdict.problems:
            out.write(f"  error: {terminal(problem)}\n")
        if _invalid(result):
            out.write(f"  warning: {terminal(_invalid(result))}\n")
        review = [c for c in ordered(result.changes) if c.review]
        if review:
            out.write("  needs review:\n")
            for change in review:
                out.write(_change_line(result, change, colour))
        groups: dict[str, list[Change]] = {}
        for change in ordered(result.changes):
            if not change.review:
                groups.setdefault(change.action or "", []).append(change)
        for action, changes in groups.items():
            out.write(f"  {f'action {terminal(repr(action))}' if action else 'manifest'}:\n")
            for change in changes:
                out.write(_change_line(result, change, colour))
    out.write(_unchanged_line(results, listed))


def _change_line(result: ManifestDiff, change: Change, colour: bool) -> str:
    line, _ = result.position(change)
    where = f"base version line {line}" if change.side == OLD else f"line {line}"
    bump = f"[{change.bump}]"
    if colour:
        bump = f"{COLOURS[ERROR] if change.bump == MAJOR else DIM}{bump}{RESET}"
    return f"    {bump} {change.kind}: {terminal(change.message)} ({where})\n"


def diff_json(results: list[ManifestDiff], out: TextIO, base: str | None = None) -> None:
    if base is None and len(results) == 1:
        document: dict[str, object] = diff_dict(results[0])
    else:
        document = {
            "ok": all(r.verdict.ok for r in results),
            "base": base,
            "manifests": [diff_dict(r) for r in results],
        }
    write_document(out, json_text(document))


def diff_markdown(results: list[ManifestDiff], out: TextIO, verbose: bool = True) -> None:
    """The PR comment: every value from a manifest escaped by ``escape.markdown``."""
    ok = all(r.verdict.ok for r in results)
    out.write(f"### hubtool version gate: {'passed' if ok else 'failed'}\n\n")
    listed = shown(results, verbose)
    removed = [r.file for r in results if r.status == REMOVED]
    if removed:
        out.write("Removed manifests: " + ", ".join(markdown_code(f) for f in removed) + "\n\n")
    for result in listed:
        out.write(f"#### {markdown_code(result.file)}\n\n{_status(result, markdown)}\n\n")
        for problem in result.verdict.problems:
            out.write(f"- **error:** {markdown(problem)}\n")
        if _invalid(result):
            out.write(f"- **warning:** {markdown(_invalid(result))}\n")
        if result.changes:
            out.write(
                "\n| review | bump | kind | action | change |\n| --- | --- | --- | --- | --- |\n"
            )
            for change in ordered(result.changes):
                flag = "yes" if change.review else ""
                out.write(
                    f"| {flag} | {change.bump} | `{change.kind}` | {markdown(change.action or '')} "
                    f"| {markdown(change.message)} |\n"
                )
        out.write("\n")
    out.write(_unchanged_line(results, listed))
