"""SARIF 2.1.0 for code scanning: a Report (validate, ci, check-upstream, diff's version gate).

Every rule, the version gate and every change kind are the run's reportingDescriptors; each
result carries a fingerprint that survives reformatting (rule, file, pointer).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar
from urllib.parse import quote

from hubtool import __version__
from hubtool.core.escape import json_text, redacted
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.registry import GATE_RULE, RULES_TABLE
from hubtool.report import write_document

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "hubtool/v1"
VALUE_FINGERPRINT = "hubtool/value/v1"
_LEVELS = {ERROR: "error", WARNING: "warning", NOTE: "note"}
MAX_RESULTS = 5_000
"""Results kept in a run. Code scanning rejects a run of more than 25,000 results whole and
stores only 5,000 of a run ("SARIF results exceed limit", docs.github.com; its choice of which
5,000 is reported not to follow severity: github/docs#38085), so hubtool keeps the 5,000 it
would show first itself: errors, warnings, notes, then waived results, each in report order.
The run records what was left out (``_truncation``)."""
_RANK = {ERROR: 0, WARNING: 1, NOTE: 2}
_T = TypeVar("_T")


def _descriptors() -> list[dict[str, Any]]:
    """Every rule, the version gate and every change kind, as SARIF reportingDescriptors."""
    from hubtool.registry import CHANGE_KINDS_TABLE  # loads hubtool.diff: not at start-up
    from hubtool.report.links import gate_uri, kind_uri, rule_uri

    rules = [
        {
            "id": r.id,
            "name": _pascal(r.id),
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.description},
            "help": {"text": r.fix, "markdown": f"**Fix:** {r.fix}\n\nSee docs/RULES.md#{r.id}"},
            "helpUri": gate_uri() if r is GATE_RULE else rule_uri(r.id),
            "defaultConfiguration": {"level": _LEVELS[r.severity]},
            "properties": {"tags": [r.family]},
        }
        for r in (*RULES_TABLE, GATE_RULE)
    ]
    kinds = [
        {
            "id": k.id,
            "name": _pascal(k.id),
            "shortDescription": {"text": k.title},
            "fullDescription": {"text": f"{k.description} Requires a {k.bump} version bump."},
            "help": {"text": f"Requires a {k.bump} bump; review: {k.review}. See docs/CHANGES.md"},
            "helpUri": kind_uri(k.id),
            "defaultConfiguration": {"level": "note"},
            "properties": {"tags": ["change", k.family, k.bump]},
        }
        for k in CHANGE_KINDS_TABLE
    ]
    return rules + kinds


def _pascal(identifier: str) -> str:
    return "".join(part.capitalize() for part in identifier.split("-"))


def fingerprints(findings: list[Finding]) -> list[str]:
    """Per finding: a hash of rule, file and JSON pointer (plus a counter for repeats).

    Positions and messages are left out, so reformatting a file keeps every fingerprint.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    prints = []
    for f in findings:
        key = (f.rule, f.file, f.pointer)
        text = "\0".join((*key, str(seen[key])))
        seen[key] += 1
        prints.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32])
    return prints


def _result(
    finding: Finding,
    index: dict[str, int],
    fingerprint: str,
    locate: Callable[[str], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """One SARIF result; ``locate``: ``artifact``, or a cache of it."""
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": dict((locate or artifact)(finding.file)),
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }
    }
    if not finding.file:  # e.g. a deleted manifest: nothing in the tree to point at
        location = {}
    if finding.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location] if location else [],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if finding.fingerprint:  # the flagged value itself: what a .hubtool.yaml allowlist names
        result["partialFingerprints"][VALUE_FINGERPRINT] = finding.fingerprint
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def artifact(file: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative to the repository root (``%SRCROOT%``) from any
    working directory; an absolute ``file:`` URI outside a repository (SARIF 2.1.0 3.4.3)."""
    file = redacted(file)
    path = Path(os.path.normpath(Path(file).absolute()))
    root = _repository_root(path.parent)
    if root is not None and path.is_relative_to(root):
        relative = path.relative_to(root).as_posix()
        return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}
    if not Path(file).is_absolute() and not file.startswith(".."):
        uri = quote(file.replace("\\", "/"), errors="surrogateescape")
        return {"uri": uri, "uriBaseId": "%SRCROOT%"}
    return {"uri": path.as_uri()}


def _repository_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (no git process)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def sarif_document(report: Report) -> dict[str, Any]:
    descriptors = _descriptors()
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    findings = report.findings
    waived = [f for f, _ in report.waived]
    prints = fingerprints([*findings, *waived])  # of every finding: a cut changes none
    entries = [(f, p, None) for f, p in zip(findings, prints, strict=False)]
    rest = prints[len(findings) :]
    entries += [(f, p, why) for (f, why), p in zip(report.waived, rest, strict=True)]
    entries, omitted = capped(entries, lambda e: (e[2] is not None, _RANK[e[0].severity]))
    locate = functools.cache(artifact)  # one location per file, not per result
    results = []
    for finding, fingerprint, reason in entries:
        result = _result(finding, index, fingerprint, locate)
        if reason is not None:
            result["suppressions"] = [{"kind": "external", "justification": reason}]
        results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    extra: dict[str, Any] = {}
    if omitted:
        total = len(results) + omitted
        invocation["toolExecutionNotifications"] = [_truncation(omitted, total)]
        extra["properties"] = {"hubtool/resultsTotal": total, "hubtool/resultsOmitted": omitted}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hubtool",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
                **extra,
            }
        ],
    }


def capped(
    items: list[_T], rank: Callable[[_T], Any], limit: int = MAX_RESULTS
) -> tuple[list[_T], int]:
    """At most ``limit`` of ``items``: those of the lowest ``rank`` (waived results last, then
    by severity), kept in their order; and how many were left out."""
    if len(items) <= limit:
        return items, 0
    order = sorted(range(len(items)), key=lambda i: rank(items[i]))  # stable: report order
    return [items[i] for i in sorted(order[:limit])], len(items) - limit


def _truncation(omitted: int, total: int) -> dict[str, Any]:
    """The record of a cut: a warning notification for the invocation's
    ``toolExecutionNotifications`` (SARIF 2.1.0 3.20.21); the run's property bag has the counts."""
    text = (
        f"{omitted} of {total} results were left out: code scanning stores at most "
        f"{MAX_RESULTS} results of a run (and rejects more than 25,000); the most severe were "
        "kept. Every finding is in hubtool's other outputs (the log, --format json)."
    )
    return {
        "level": "warning",
        "message": {"text": text},
        "descriptor": {"id": "hubtool/results-truncated"},
    }


def report_sarif(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    write_document(out, json_text(sarif_document(report)))
