"""The validate pipeline: discover files, strict load, schema, policy rules. Pure: no printing."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from hubtool.config import Config, apply_config
from hubtool.errors import HubtoolError
from hubtool.findings import Finding, Report
from hubtool.guard import guarded
from hubtool.loader import MAX_BYTES, Document, LoadError, load
from hubtool.registry import RULES
from hubtool.rules import checks
from hubtool.rules.catalog import check_catalog

CATALOG = Path("apps/hub/catalog")


def default_paths(cwd: Path | None = None) -> list[Path]:
    """The catalog of the repository that contains ``cwd``."""
    here = (cwd or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        if (directory / CATALOG).is_dir():
            return [directory / CATALOG]
    raise HubtoolError(
        f"no catalog found: {CATALOG} is not in {here} or a parent; pass manifest paths"
    )


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the *.json files under them; every path must exist."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise HubtoolError(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))


def display(path: Path) -> str:
    """The path as shown in findings: relative to the working directory where possible."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> Document | list[Finding]:
    """Load one file; parse problems become json-syntax findings."""
    name = display(path)
    try:
        result = load(path, name, max_bytes=max_bytes)
    except OSError as exc:
        raise HubtoolError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if isinstance(result, Document):
        return result
    return [_syntax_finding(name, error) for error in result]


def _syntax_finding(name: str, error: LoadError) -> Finding:
    rule = RULES["json-syntax"]
    return Finding(
        rule.id, rule.severity, name, error.pointer, error.line, error.column, error.message
    )


def check_document(doc: Document) -> list[Finding]:
    """Every per-document rule on one parsed manifest; a family that crashes becomes an
    internal-error finding and the others still run (``hubtool.guard``)."""
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
    for path in discover(paths):
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
