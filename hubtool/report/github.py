"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding
of a Report, then a summary line.

Values pass ``escape.workflow_property`` and ``escape.workflow_data``
(the runner's own escaping); lines go out through ``write_command``.
"""

from __future__ import annotations

from typing import TextIO

from hubtool.core.escape import workflow_data, workflow_property
from hubtool.core.findings import ERROR, NOTE, WARNING, Finding, Report
from hubtool.report import write_command

_COMMANDS = {ERROR: "error", WARNING: "warning", NOTE: "notice"}


def github_line(finding: Finding) -> str:
    """``::error file=…,line=…,col=…,title=<rule>::message``."""
    where = (("file", finding.file), ("line", finding.line), ("col", finding.column))
    props = ",".join(
        f"{k}={workflow_property(str(v))}"
        for k, v in (*(where if finding.file else ()), ("title", finding.rule))
    )
    return f"::{_COMMANDS[finding.severity]} {props}::{workflow_data(finding.message)}"


def report_github(report: Report, out: TextIO, strict: bool = False, colour: bool = False) -> None:
    for finding in report.findings:
        write_command(out, github_line(finding) + "\n")
    errors, warnings = report.count(ERROR), report.count(WARNING)
    verdict = "failed" if report.failed(strict) else "passed"
    out.write(
        f"hubtool: {len(report.files)} file(s), {errors} error(s), {warnings} warning(s): "
        f"{verdict}\n"
    )
