"""The validate pipeline: load -> schema -> rules -> report. Pure: no printing.

Files come from discovery (``hubtool.load.discover``); each is loaded strictly, then every
per-document check (schema and policy rules) and the catalog-wide checks run, and the
configuration's severities and waivers are applied (``hubtool.validate.config.apply``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Finding, Report
from hubtool.core.guard import guarded
from hubtool.load.discover import display, shown, walk
from hubtool.load.strict import MAX_BYTES, Document, load
from hubtool.load.syntax import syntax_finding
from hubtool.validate.config.apply import apply_config
from hubtool.validate.config.parse import Config
from hubtool.validate.rules import checks
from hubtool.validate.rules.catalog import check_catalog


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> Document | list[Finding]:
    """Load one file; parse problems become json-syntax findings.

    A FIFO, socket or device (named on the command line of render, import, check-upstream or
    scaffold) is refused before it is opened: opening a FIFO would block.
    """
    name = display(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise HubtoolError(f"{shown(name)}: not a regular file; give a manifest file")
        result = load(path, name, max_bytes=max_bytes)
    except OSError as exc:
        raise HubtoolError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if isinstance(result, Document):
        return result
    return [syntax_finding(name, error) for error in result]


def check_document(doc: Document) -> list[Finding]:
    """Every per-document rule on one parsed manifest; a family that crashes becomes an
    internal-error finding and the others still run (``hubtool.core.guard``)."""
    findings: list[Finding] = []
    for check in checks():
        name = f"check {check.__module__}.{check.__name__}"
        findings.extend(guarded(partial(check, doc), doc.path, name))
    return findings


def validate(
    paths: Iterable[Path], max_bytes: int = MAX_BYTES, config: Config | None = None
) -> Report:
    """Validate every manifest under ``paths``, then apply severities and waivers."""
    report = Report()
    docs: list[Document] = []
    tree = walk(paths)
    report.findings.extend(tree.findings)
    for path in tree.files:
        result = load_file(path, max_bytes)
        if isinstance(result, Document):
            report.files.append(result.path)
            docs.append(result)
            report.findings.extend(check_document(result))
        else:
            report.files.append(display(path))
            report.findings.extend(result)
    if docs:
        catalog = partial(check_catalog, docs)
        report.findings.extend(guarded(catalog, docs[0].path, "the catalog-wide checks"))
    report.findings = report.sorted_findings()
    return apply_config(report, config) if config else report
