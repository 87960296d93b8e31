"""Applying a configuration to a Report: severities, then waivers, the allowlist and reads.

A finding whose rule is ``off`` is dropped; one a live waiver, allowlist entry or declared
read (``hubtool.validate.config.reads``) covers moves to ``Report.waived`` with the entry's
reason; the others take the configured severity. Stale, expired and invalid entries become
findings themselves (``hubtool.validate.config.waivers``, ``reads``).
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from hubtool.core.findings import Finding, Report
from hubtool.load.discover import display
from hubtool.validate.config.find import CONFIG_NAME
from hubtool.validate.config.parse import Config
from hubtool.validate.config.reads import Read, declared_read, read_findings
from hubtool.validate.config.waivers import Allowed, Waiver, entry_findings, matching

UPSTREAM = "upstream"
"""The family of the rules only ``check-upstream`` runs."""


def apply_config(
    report: Report,
    config: Config,
    today: datetime.date | None = None,
    *,
    upstream: bool = False,
) -> Report:
    """Apply severities, waivers and the allowlist; stale entries become findings.

    ``upstream``: the report is ``check-upstream``'s, so only the waivers of upstream rules
    apply (and may be stale) and the allowlist and declared reads are not judged; otherwise
    (``validate``, ``ci``) every waiver but those."""
    today = today or datetime.date.today()
    waivers = tuple(w for w in config.waivers if (w.family == UPSTREAM) == upstream)
    allowlist = () if upstream else config.allowlist
    reads = () if upstream else config.reads
    kept: list[Finding] = []
    used: set[Waiver | Allowed] = set()
    declared: set[Read] = set()
    for finding in report.findings:
        severity = config.severities.get(finding.rule, finding.severity)
        if severity == "off":
            continue
        entry = matching(waivers, allowlist, finding, today)
        if entry is not None:
            used.add(entry)
            report.waived.append((finding, entry.reason))
            continue
        read = declared_read(reads, finding, today)
        if read is not None:
            declared.add(read)
            report.waived.append((finding, read.reason))
            continue
        kept.append(_with_severity(finding, severity))
    checked = {Path(name).resolve() for name in report.files}
    name = display(config.path) if config.path else CONFIG_NAME
    stale = entry_findings(name, waivers, allowlist, used, today, checked)
    stale += read_findings(name, reads, declared, today, checked)
    for finding in stale:
        severity = config.severities.get(finding.rule, finding.severity)
        if severity != "off":
            kept.append(_with_severity(finding, severity))
    report.findings = sorted(kept, key=Finding.sort_key)
    return report


def _with_severity(finding: Finding, severity: str) -> Finding:
    if severity == finding.severity:
        return finding
    return replace(finding, severity=severity)
