"""Reporters: turn a Report (or the rule registry) into text. Chosen by name from one table.

Every value from the input goes through the escaping function of its medium
(``hubtool.core.escape``); documents are written whole with ``write_document``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from hubtool.core.escape import json_text, redacted, terminal
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.core.registry import BASE_OPENAPI, NEVER, Example, Rule, example_text
from hubtool.registry import RULES_TABLE

COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m", NOTE: "\033[36m"}
DIM, BOLD, RESET = "\033[2m", "\033[1m", "\033[0m"


def write_document(out: TextIO, text: str) -> None:
    """A whole JSON or SARIF document: UTF-8 bytes in one write on a guarded standard stream
    (``hubtool.commands.output``), text on any other stream."""
    document = getattr(out, "write_document", None)
    (document or out.write)(text)


def write_command(out: TextIO, line: str) -> None:
    """A reporter's own GitHub workflow command line: the only line that may start with ``::``."""
    command = getattr(out, "write_command", None)
    (command or out.write)(line)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> dict[str, int]:
    return {
        "files": len(report.files),
        "errors": report.count(ERROR),
        "warnings": report.count(WARNING),
    }


def text_line(finding: Finding, colour: bool = False) -> str:
    """``file:line:col: severity rule-id message``."""
    where = (
        f"{terminal(finding.file)}:{finding.line}:{finding.column}:"
        if finding.file
        else "(no file):"
    )
    message = terminal(finding.message)
    if not colour:
        return f"{where} {finding.severity} {finding.rule} {message}"
    sev = f"{COLOURS[finding.severity]}{finding.severity}{RESET}"
    return f"{BOLD}{where}{RESET} {sev} {DIM}{finding.rule}{RESET} {message}"


def report_text(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    for finding in report.findings:
        out.write(text_line(finding, colour) + "\n")
    counts = summary(report)
    files = _plural(counts["files"], "file")
    if not report.findings:
        out.write(f"{files} checked: no findings\n")
        return
    errors, warnings = _plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")
    verdict = "failed" if report.failed(strict) else "passed"
    out.write(f"{files} checked: {errors}, {warnings} ({verdict})\n")


def report_dict(report: Report, strict: bool = False) -> dict[str, object]:
    return {
        "ok": not report.failed(strict),
        "files": [redacted(f) for f in report.files],
        "findings": [f.to_dict() for f in report.findings],
        "summary": summary(report) | {"waived": len(report.waived)},
    }


def report_json(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    write_document(out, json_text(report_dict(report, strict)))


def _sarif(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    from hubtool.report.ci import report_sarif

    report_sarif(report, out, strict, colour)


def _github(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    from hubtool.report.ci import report_github

    report_github(report, out, strict, colour)


REPORTERS: dict[str, Callable[..., None]] = {
    "text": report_text,
    "json": report_json,
    "sarif": _sarif,
    "github": _github,
}


# --- the rule registry ----------------------------------------------------------------------


def rules_text(out: TextIO) -> None:
    width = max(len(rule.id) for rule in RULES_TABLE)
    for rule in RULES_TABLE:
        out.write(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}\n")


def rules_json(out: TextIO) -> None:
    rules = [
        {
            "id": r.id,
            "severity": r.severity,
            "family": r.family,
            "title": r.title,
            "description": r.description,
            "fix": r.fix,
        }
        for r in RULES_TABLE
    ]
    json.dump({"rules": rules}, out, indent=2)
    out.write("\n")


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
    from hubtool.core.registry import REMOVE

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


def rules_markdown(out: TextIO) -> None:
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


RULE_REPORTERS: dict[str, Callable[[TextIO], None]] = {
    "text": rules_text,
    "json": rules_json,
    "markdown": rules_markdown,
}


# --- the change kinds -----------------------------------------------------------------------


def kinds_text(out: TextIO) -> None:
    from hubtool.registry import CHANGE_KINDS_TABLE  # loads hubtool.diff: only when listing kinds

    width = max(len(kind.id) for kind in CHANGE_KINDS_TABLE)
    for kind in CHANGE_KINDS_TABLE:
        review = "  review" if kind.review != NEVER else ""
        out.write(f"{kind.id:<{width}}  {kind.bump:<5}  {kind.title}{review}\n")


def kinds_json(out: TextIO) -> None:
    from hubtool.registry import CHANGE_KINDS_TABLE

    kinds = [
        {
            "id": k.id,
            "bump": k.bump,
            "family": k.family,
            "review": k.review,
            "title": k.title,
            "description": k.description,
            "mirror": k.mirror,
        }
        for k in CHANGE_KINDS_TABLE
    ]
    json.dump({"kinds": kinds}, out, indent=2)
    out.write("\n")


def _patch_json(patch: dict[str, object]) -> str:
    if not patch:
        return "the base manifest, unchanged"
    return f"`{json.dumps(_patch_view(Example(patch=patch)))}`"


def kinds_markdown(out: TextIO) -> None:
    from hubtool.registry import CHANGE_KINDS_TABLE

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
        mirror = f" Reverse: [`{kind.mirror}`](#{kind.mirror})." if kind.mirror else ""
        out.write(
            f"## `{kind.id}`\n\n**{kind.title}.** Bump: {kind.bump}. Review: {kind.review}. "
            f"Family: `{kind.family}`.{mirror}\n\n{kind.description}\n\n"
            f"- Before: {_patch_json(kind.before)}\n- After: {_patch_json(kind.after)}\n\n"
        )


KIND_REPORTERS: dict[str, Callable[[TextIO], None]] = {
    "text": kinds_text,
    "json": kinds_json,
    "markdown": kinds_markdown,
}
