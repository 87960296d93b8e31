"""Markdown: a Report as a CI step summary, a diff as a pull-request comment, and the rule and
change-kind documentation (``docs/RULES.md`` and ``docs/CHANGES.md`` are this module's output; a
test checks they are fresh).

Every value from a manifest passes ``escape.markdown`` or ``escape.markdown_code``; the
registries' text is hubtool's own.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from hubtool.core.escape import markdown, markdown_code
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.core.registry import BASE_OPENAPI, REMOVE, ChangeKind, Example, Rule, example_text
from hubtool.registry import CHANGE_KINDS_TABLE, RULES_TABLE

if TYPE_CHECKING:
    from hubtool.diff.compare import ManifestDiff

SUMMARY_ROWS = 1_000
"""Findings listed in a step summary at most (the rest are counted)."""
SUMMARY_BYTES = 900 * 1024
"""Bytes of table a step summary takes at most: GitHub refuses a step summary over 1 MiB
whole ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k")."""
_RANK = {ERROR: 0, WARNING: 1, NOTE: 2}

# --- a Report: the step summary -------------------------------------------------------------


def report_markdown(
    report: Report, out: TextIO, strict: bool = False, colour: bool = False
) -> None:
    """A heading with the verdict, the counts, then a table of findings, most severe first, cut
    at ``SUMMARY_ROWS`` rows or ``SUMMARY_BYTES`` bytes with a line counting the rest."""
    verdict = "failed" if report.failed(strict) else "passed"
    counts = (
        f"{len(report.files)} file(s) checked: {report.count(ERROR)} error(s), "
        f"{report.count(WARNING)} warning(s), {report.count(NOTE)} note(s)"
    )
    waived = f", {len(report.waived)} waived" if report.waived else ""
    out.write(f"### hubtool: {verdict}\n\n{counts}{waived}.\n")
    if not report.findings:
        return
    out.write("\n| severity | rule | where | message |\n| --- | --- | --- | --- |\n")
    ranked = sorted(report.findings, key=lambda f: _RANK[f.severity])
    size = 0
    for listed, finding in enumerate(ranked):
        row = _finding_row(finding)
        size += len(row.encode("utf-8", "backslashreplace"))
        if listed == SUMMARY_ROWS or size > SUMMARY_BYTES:
            rest = len(ranked) - listed
            out.write(
                f"\n{rest} more finding(s) not listed here (a step summary holds at most 1 MiB): "
                "every finding is in the step's log.\n"
            )
            return
        out.write(row)


def _finding_row(finding: Finding) -> str:
    where = f"{finding.file}:{finding.line}:{finding.column}" if finding.file else ""
    cell = markdown_code(where, table=True) if where else ""
    return (
        f"| {finding.severity} | {markdown_code(finding.rule, table=True)} | {cell} "
        f"| {markdown(finding.message)} |\n"
    )


# --- a diff and the version gate ------------------------------------------------------------


def diff_markdown(results: list[ManifestDiff], out: TextIO, verbose: bool = True) -> None:
    """The PR comment: every value from a manifest escaped by ``escape.markdown``."""
    from hubtool.report.changes import invalid, ordered, removed, shown, status, unchanged_line

    ok = all(r.verdict.ok for r in results)
    out.write(f"### hubtool version gate: {'passed' if ok else 'failed'}\n\n")
    listed = shown(results, verbose)
    gone = removed(results)
    if gone:
        out.write("Removed manifests: " + ", ".join(markdown_code(f) for f in gone) + "\n\n")
    for result in listed:
        out.write(f"#### {markdown_code(result.file)}\n\n{status(result, markdown)}\n\n")
        for problem in result.verdict.problems:
            out.write(f"- **error:** {markdown(problem)}\n")
        if invalid(result):
            out.write(f"- **warning:** {markdown(invalid(result))}\n")
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
    out.write(unchanged_line(results, listed))


# --- the rules: docs/RULES.md ---------------------------------------------------------------


def _example_markdown(example: Example) -> str:
    if example.text is not None:
        return f"```json\n{example.text}\n```\n"
    if not example.patch:
        where = f" at `{example.file}`" if example.file != "manifest.json" else ""
        return f"The base manifest{where}, unchanged.\n"
    lines = [
        f"The base manifest with:\n\n```json\n{json.dumps(_patch_view(example), indent=2)}\n```\n"
    ]
    return "".join(lines)


def _patch_view(example: Example) -> dict[str, object]:
    return {k: ("<removed>" if v is REMOVE else v) for k, v in example.patch.items()}


def _with_config(example: Example, text: str) -> str:
    if example.openapi:
        spec = json.dumps(example.openapi, indent=2)
        text = (
            f"{text}\nchecked against the base OpenAPI spec patched with:\n\n```json\n{spec}\n```\n"
        )
    if example.base_config is not None:
        return (
            f"{text}\nin `hubtool ci`, with this `.hubtool.yaml` at the base commit:\n\n"
            f"```yaml\n{example.base_config}```\n\nand this one in the pull request:\n\n"
            f"```yaml\n{example.config}```\n"
        )
    if example.config is None:
        return text
    return f"{text}\nwith this `.hubtool.yaml` beside it:\n\n```yaml\n{example.config}```\n"


def _rule_markdown(rule: Rule) -> str:
    failing = _with_config(rule.failing, _example_markdown(rule.failing))
    passing = _with_config(rule.passing, _example_markdown(rule.passing))
    if rule.failing.file != "manifest.json":
        failing = f"The base manifest saved as `{rule.failing.file}`.\n"
    if rule.family == "internal":
        failing = "Any manifest, when a check crashes on it (the tests inject a crash).\n"
    if rule.failing.link:
        failing = f"`{rule.failing.file}` is a symbolic link to the base manifest.\n"
    return (
        f"## `{rule.id}`\n\n**{rule.title}.** "
        f"Severity: {rule.severity}. Family: `{rule.family}`.\n\n"
        f"{rule.description}\n\n**Fix:** {rule.fix}\n\n"
        f"**Fails:** {failing}\n**Passes:** {passing}\n"
    )


def rules_markdown(out: TextIO, ids: list[str] | None = None) -> None:
    """docs/RULES.md; with ``ids``, those rules' sections only."""
    if ids is not None:
        by_id = {rule.id: rule for rule in RULES_TABLE}
        out.write("\n".join(_rule_markdown(by_id[name]) for name in ids))
        return
    out.write(
        "# hubtool rules\n\n"
        "Generated by `hubtool rules --format markdown` from `hubtool/registry.py`; do not edit.\n"
        "Each example is the base manifest below with a JSON-pointer patch (`/-` appends); the "
        "tests run every example.\n\n"
        "| id | severity | title |\n| --- | --- | --- |\n"
    )
    for rule in RULES_TABLE:
        out.write(f"| [`{rule.id}`](#{rule.id}) | {rule.severity} | {rule.title} |\n")
    out.write("\n")
    for rule in RULES_TABLE:
        out.write(_rule_markdown(rule) + "\n")
    out.write(f"## The base manifest\n\n```json\n{example_text(Example()).rstrip()}\n```\n")
    spec = json.dumps(BASE_OPENAPI, indent=2)
    out.write(f"\n## The base OpenAPI spec (upstream rules)\n\n```json\n{spec}\n```\n")


# --- the change kinds: docs/CHANGES.md ------------------------------------------------------


def _patch_json(patch: dict[str, object]) -> str:
    if not patch:
        return "the base manifest, unchanged"
    return f"`{json.dumps(_patch_view(Example(patch=patch)))}`"


def kinds_markdown(out: TextIO, ids: list[str] | None = None) -> None:
    """docs/CHANGES.md; with ``ids``, those kinds' sections only."""
    if ids is not None:
        by_id = {kind.id: kind for kind in CHANGE_KINDS_TABLE}
        out.write("\n".join(_kind_markdown(by_id[name]) for name in ids))
        return
    out.write(
        "# hubtool change kinds\n\n"
        "Generated by `hubtool kinds --format markdown` from `hubtool/registry.py`; do not edit.\n"
        "The required version bump is the largest among a diff's changes; for `0.y.z` a major "
        "change bumps `y` and a minor or patch change bumps `z` (Cargo's convention). Each "
        "example diffs two patches of the base manifest in [RULES.md](RULES.md#the-base-manifest); "
        "the tests run every example, and its reverse must give the mirror kind.\n\n"
        "| id | bump | review | title |\n| --- | --- | --- | --- |\n"
    )
    for kind in CHANGE_KINDS_TABLE:
        out.write(f"| [`{kind.id}`](#{kind.id}) | {kind.bump} | {kind.review} | {kind.title} |\n")
    out.write("\n")
    for kind in CHANGE_KINDS_TABLE:
        out.write(_kind_markdown(kind) + "\n")


def _kind_markdown(kind: ChangeKind) -> str:
    mirror = f" Reverse: [`{kind.mirror}`](#{kind.mirror})." if kind.mirror else ""
    return (
        f"## `{kind.id}`\n\n**{kind.title}.** Bump: {kind.bump}. Review: {kind.review}. "
        f"Family: `{kind.family}`.{mirror}\n\n{kind.description}\n\n"
        f"- Before: {_patch_json(kind.before)}\n- After: {_patch_json(kind.after)}\n"
    )
