"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding
of a Report, then a summary line.

Values pass ``escape.workflow_property`` and ``escape.workflow_data``
(the runner's own escaping); lines go out through ``write_command``.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per job
(actions/toolkit, docs/problem-matchers.md, "Limitations"); the rest are dropped without a word.
So when a report has more, the annotations shown are chosen most severe first and written in
that order, the others are written as plain log lines (``text_line``), and one annotation (of
the most severe hidden finding's type, taking one of that type's places) says how many were not
shown. A report within the limits is written as before: every finding in the report's order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from hubtool.core.escape import workflow_data, workflow_property
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.report import write_command

_COMMANDS = {ERROR: "error", WARNING: "warning", NOTE: "notice"}
_RANK = {ERROR: 0, WARNING: 1, NOTE: 2}
ANNOTATIONS_PER_TYPE = 10
"""Annotations of one type (error, warning, notice) GitHub shows per step."""
ANNOTATIONS_PER_JOB = 50
"""Annotations GitHub shows per job, all steps together."""


@dataclass(frozen=True)
class Budget:
    """Which findings become annotations: ``shown`` (in writing order), ``hidden`` (the report's
    order, written as log lines) and ``summary``: the type of the one annotation counting the
    hidden findings, ``None`` when none is hidden."""

    shown: list[Finding]
    hidden: list[Finding]
    summary: str | None


def annotation_budget(
    findings: list[Finding],
    per_type: int = ANNOTATIONS_PER_TYPE,
    total: int = ANNOTATIONS_PER_JOB,
) -> Budget:
    """The annotations of ``findings`` within ``per_type`` of each type and ``total`` in all
    (both >= 1), the summary annotation included when one is needed."""
    counts: Counter[str] = Counter(f.severity for f in findings)
    if all(n <= per_type for n in counts.values()) and len(findings) <= total:
        return Budget(list(findings), [], None)
    ranked = sorted(range(len(findings)), key=lambda i: _RANK[findings[i].severity])
    first = _greedy(findings, ranked, dict.fromkeys(_RANK, per_type), total - 1)
    summary = next(findings[i].severity for i in ranked if i not in first)
    room = {severity: per_type - (severity == summary) for severity in _RANK}
    shown = _greedy(findings, ranked, room, total - 1)  # the count's place kept
    hidden = [f for i, f in enumerate(findings) if i not in shown]
    return Budget([findings[i] for i in shown], hidden, summary)


def _greedy(
    findings: list[Finding], ranked: list[int], room: dict[str, int], total: int
) -> dict[int, None]:
    """Indexes of ``findings`` taken in ``ranked`` order while their type and ``total`` have
    room (an insertion-ordered set)."""
    taken: Counter[str] = Counter()
    shown: dict[int, None] = {}
    for i in ranked:
        severity = findings[i].severity
        if taken[severity] < room[severity] and len(shown) < total:
            shown[i] = None
            taken[severity] += 1
    return shown


def github_line(finding: Finding) -> str:
    """``::error file=…,line=…,col=…,title=<rule>::message``."""
    where = (("file", finding.file), ("line", finding.line), ("col", finding.column))
    props = ",".join(
        f"{k}={workflow_property(str(v))}"
        for k, v in (*(where if finding.file else ()), ("title", finding.rule))
    )
    return f"::{_COMMANDS[finding.severity]} {props}::{workflow_data(finding.message)}"


def hidden_line(count: int, severity: str, per_type: int = ANNOTATIONS_PER_TYPE) -> str:
    """The one annotation counting the findings not shown as annotations."""
    message = (
        f"{count} more finding(s) not shown as annotations (GitHub shows at most {per_type} "
        "of each type per step): every finding is listed in this step's log; the job summary "
        "and code scanning list them too when the gate writes them"
    )
    return f"::{_COMMANDS[severity]} title=hubtool::{workflow_data(message)}"


def report_github(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    from hubtool.report.text import text_line

    budget = annotation_budget(report.findings)
    for finding in budget.shown:
        write_command(out, github_line(finding) + "\n")
    if budget.summary is not None:
        for finding in budget.hidden:
            out.write(text_line(finding) + "\n")
        write_command(out, hidden_line(len(budget.hidden), budget.summary) + "\n")
    errors, warnings = report.count(ERROR), report.count(WARNING)
    verdict = "failed" if report.failed(strict) else "passed"
    out.write(
        f"hubtool: {len(report.files)} file(s), {errors} error(s), {warnings} warning(s): "
        f"{verdict}\n"
    )
