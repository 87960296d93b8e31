"""The validate pipeline: load -> schema -> rules -> report. Pure: no printing.

Files come from discovery (``hubtool.load.discover``); each is loaded strictly, then every
per-document check (schema and policy rules) and the catalog-wide checks run, and the
configuration's severities and waivers are applied (``hubtool.validate.config.apply``).
"""

from __future__ import annotations

import binascii
import os
import stat
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Finding, Report
from hubtool.core.guard import guarded
from hubtool.load.discover import display, shown, walk
from hubtool.load.strict import MAX_BYTES, Document, load_bytes, read_regular
from hubtool.load.syntax import syntax_finding
from hubtool.validate import testable
from hubtool.validate.rules import checks
from hubtool.validate.rules.catalog import catalog_view, check_catalog

if TYPE_CHECKING:
    from hubtool.validate.config.parse import Config


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> Document | list[Finding]:
    """Load one file; parse problems become json-syntax findings, and the text of a file that
    does not parse is scanned for credentials (``unparsed_secrets``).

    A FIFO, socket or device (named on the command line of render, import, check-upstream or
    scaffold) is refused before it is opened: opening a FIFO would block.
    """
    name = display(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise HubtoolError(f"{shown(name)}: not a regular file; give a manifest file")
        raw = read_regular(path, max_bytes)
    except OSError as exc:
        raise HubtoolError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    result = load_bytes(raw, name, max_bytes)
    if isinstance(result, Document):
        return result
    return [syntax_finding(name, error) for error in result] + unparsed_secrets(
        raw, name, max_bytes
    )


def unparsed_secrets(raw: bytes, name: str, max_bytes: int = MAX_BYTES) -> list[Finding]:
    """``no-secret-values`` over the lines of a manifest's bytes that did not parse
    (``rules.secrets.unparsed_findings``); nothing over the byte cap (refused unread); a crash
    is an internal-error finding, as for any check."""
    from hubtool.validate.rules.secrets import unparsed_findings

    if len(raw) > max_bytes:
        return []
    return guarded(partial(unparsed_findings, raw, name), name, "check unparsed secrets")


def check_document(doc: Document) -> list[Finding]:
    """Every per-document rule on one parsed manifest; a family that crashes becomes an
    internal-error finding and the others still run (``hubtool.core.guard``)."""
    findings: list[Finding] = []
    for check in (*checks(), testable.check):
        name = f"check {check.__module__}.{check.__name__}"
        findings.extend(guarded(partial(check, doc), doc.path, name))
    return findings


class Kept(NamedTuple):
    """What a run keeps of one parsed manifest until the catalog-wide checks, instead of the
    document (bounded memory): ``catalog_view`` of its data, and what it takes to read the file
    again when a catalog finding needs a line:col (``position``; rare: a shared slug).

    A named tuple, as ``Checked`` is: set once, and a tenth of a dataclass's cost to define at
    start-up."""

    path: str
    data: dict[str, str]
    source: Path
    max_bytes: int
    digest: tuple[int, int]
    """Length and CRC-32 of the text: the file read again must be the file checked."""

    @classmethod
    def of(cls, doc: Document, source: Path, max_bytes: int) -> Kept:
        return cls(doc.path, catalog_view(doc.data), source, max_bytes, _digest(doc))

    def position(self, pointer: str, at_key: bool = False) -> tuple[int, int]:
        """Document.position of the file read again. HubtoolError if it changed meanwhile."""
        doc = load_file(self.source, self.max_bytes)
        if not isinstance(doc, Document) or _digest(doc) != self.digest:
            raise HubtoolError(f"{shown(self.path)}: changed during the run; run hubtool again")
        return doc.position(pointer, at_key)


def kept_file(path: Path, max_bytes: int = MAX_BYTES) -> Kept | None:
    """What the catalog-wide checks keep of the file at ``path``, if it parses (no check runs).
    Raises HubtoolError as ``load_file`` does."""
    doc = load_file(path, max_bytes)
    return Kept.of(doc, path, max_bytes) if isinstance(doc, Document) else None


def _digest(doc: Document) -> tuple[int, int]:
    """Tells a file changed during the run (a race, not an attack: the worst is a stale
    line:col) at a fraction of a hash's cost and without loading hashlib (start-up)."""
    data = doc.text.encode("utf-8", "surrogatepass")
    return len(data), binascii.crc32(data)  # zlib's CRC-32; binascii is loaded already


class Checked(NamedTuple):
    """One file's outcome: its name in the report, its findings (unsorted) and, when it parsed,
    what the catalog-wide checks keep of it."""

    name: str
    findings: list[Finding]
    kept: Kept | None = None
    doc: Document | None = None
    """The document itself, only when the caller keeps them (``validate``'s ``documents``)."""


def check_file(path: Path, max_bytes: int = MAX_BYTES, keep: bool = False) -> Checked:
    """Load one file and run every per-document check; the document is dropped on return
    unless ``keep``. Raises HubtoolError as ``load_file`` does."""
    result = load_file(path, max_bytes)
    if isinstance(result, Document):
        kept = Kept.of(result, path, max_bytes)
        findings = check_document(result)
        result.texts = None  # what the loader gathered for the checks: not kept, not sent back
        return Checked(result.path, findings, kept, result if keep else None)
    return Checked(display(path), result)


def check_files(paths: list[Path], max_bytes: int = MAX_BYTES) -> list[Checked]:
    """``check_file`` of each path, in order (one worker's task)."""
    return [check_file(path, max_bytes) for path in paths]


def check_files_keeping(paths: list[Path], max_bytes: int = MAX_BYTES) -> list[Checked]:
    """``check_files``, each document kept (a worker's task for ``validate``'s ``documents``)."""
    return [check_file(path, max_bytes, keep=True) for path in paths]


def validate(
    paths: Iterable[Path],
    max_bytes: int = MAX_BYTES,
    config: Config | None = None,
    jobs: int | None = None,
    documents: list[Document] | None = None,
    context: list[Path] | None = None,
) -> Report:
    """Validate every manifest under ``paths``, then apply severities and waivers.

    ``jobs``: worker processes (``hubtool.validate.workers``); None: automatic (one per core
    for a large catalog, or ``HUBTOOL_JOBS``); 1: this process only. The report is the same.
    ``documents``: when given, each document that parsed is appended to it, in report order
    (``import`` takes what was validated instead of reading and parsing the files again).
    ``context``: catalog directories whose other manifests the catalog-wide checks see too,
    reported on the checked files only (``hubtool.validate.context``).
    """
    report = Report()
    kept: list[Kept] = []
    tree = walk(paths)
    report.findings.extend(tree.findings)
    for checked in _checked(tree.files, max_bytes, jobs, documents is not None):
        report.files.append(checked.name)
        report.findings.extend(checked.findings)
        if checked.kept is not None:
            kept.append(checked.kept)
        if documents is not None and checked.doc is not None:
            documents.append(checked.doc)
    if kept and context is not None:
        from hubtool.validate.context import catalog_findings  # the hook's mode only

        report.findings.extend(catalog_findings(kept, context, max_bytes))
    elif kept:
        catalog = partial(check_catalog, kept)
        report.findings.extend(guarded(catalog, kept[0].path, "the catalog-wide checks"))
    report.findings = report.sorted_findings()
    if not config:
        return report
    from hubtool.validate.config.apply import apply_config  # a run without one never loads it

    return apply_config(report, config)


def _checked(
    files: list[Path], max_bytes: int, jobs: int | None, keep: bool = False
) -> Iterator[Checked]:
    """Each file's outcome in order, from this process or from worker processes; ``keep``:
    with its document."""
    from hubtool.validate.workers import in_workers, worker_count

    workers = worker_count(len(files), jobs)
    if workers > 1:
        task = check_files_keeping if keep else check_files
        yield from in_workers(task, files, max_bytes, workers)
    else:
        for path in files:
            yield check_file(path, max_bytes, keep)
