"""The validate pipeline: discover files, strict load, schema, policy rules. Pure: no printing."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import Finding, Report
from hubtool.core.guard import guarded
from hubtool.load.strict import MAX_BYTES, Document, load
from hubtool.load.syntax import syntax_finding
from hubtool.registry import RULES
from hubtool.validate.config import Config, apply_config
from hubtool.validate.rules import checks
from hubtool.validate.rules.catalog import check_catalog

CATALOG = Path("apps/hub/catalog")


def default_paths(cwd: Path | None = None) -> list[Path]:
    """The catalog of the repository that contains ``cwd``.

    Raises HubtoolError when no catalog is found, or when the catalog directory or one of its
    parents inside the repository (``apps``, ``apps/hub``) is a symbolic link: the catalog is
    read where it is, never through a link a pull request could point anywhere.
    """
    here = (cwd or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        if (directory / CATALOG).is_dir():
            _refuse_linked_parts(directory)
            return [directory / CATALOG]
    raise HubtoolError(
        f"no catalog found: {CATALOG} is not in {here} or a parent; pass manifest paths"
    )


def _refuse_linked_parts(directory: Path) -> None:
    part = directory
    for name in CATALOG.parts:
        part = part / name
        if part.is_symlink():
            raise HubtoolError(
                f"{shown(display(part))}: is a symbolic link; hubtool reads the catalog only "
                f"as real directories ({CATALOG}), never through a link: replace the link with "
                "the directory"
            )


@dataclass
class Tree:
    """What discovery found: the manifests to read, and catalog-tree findings for the rest."""

    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def discover(paths: Iterable[Path]) -> list[Path]:
    """The manifests under ``paths`` (see ``walk``); entries that are findings are left out."""
    return walk(paths).files


def walk(paths: Iterable[Path]) -> Tree:
    """Expand directories to the ``*.json`` files under them (the extension in any case).

    Never follows a symbolic link and never opens anything (``lstat`` and directory listings
    only), so a FIFO cannot block it. Each symbolic link (to a file or a directory), each
    special file (FIFO, socket, device), each nested repository (``.git``) and each name with
    control or invisible characters or bytes that are not UTF-8 is a ``catalog-tree`` finding
    and is not read. A path given explicitly must exist (HubtoolError otherwise); it is read
    whatever its extension, but a link or special file given explicitly is a finding too.
    """
    tree = Tree()
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError) as exc:
            raise HubtoolError(f"{shown(str(path))}: no such file or directory") from exc
        if stat.S_ISDIR(mode):
            found: list[Path] = []
            _walk_directory(path, found, tree.findings)
            tree.files.extend(sorted(found))
        else:
            _visit(path, path.name, mode, True, tree.files, tree.findings)
    tree.files = list(dict.fromkeys(tree.files))
    tree.findings = list(dict.fromkeys(tree.findings))
    return tree


def _walk_directory(top: Path, files: list[Path], findings: list[Finding]) -> None:
    """Depth first with an explicit stack: no recursion limit, each entry listed once."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            findings.append(_tree_finding(directory, f"cannot be listed ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue  # vanished while listing
            if stat.S_ISDIR(mode):
                problem = _name_problem(entry.name)
                if problem:
                    findings.append(_tree_finding(path, f"is a directory whose name {problem}"))
                elif entry.name == ".git":
                    findings.append(_tree_finding(path, _NESTED))
                else:
                    stack.append(path)
            elif stat.S_ISREG(mode) and not entry.name.lower().endswith(".json"):
                continue  # not a manifest: READMEs, images
            else:
                _visit(path, entry.name, mode, False, files, findings)


_NESTED = (
    "is a nested git repository or submodule; the catalog holds manifests only, in this "
    "repository's own history: add the files themselves"
)


def _visit(
    path: Path, name: str, mode: int, explicit: bool, files: list[Path], findings: list[Finding]
) -> None:
    """One non-directory entry: a manifest to read, or a catalog-tree finding."""
    if stat.S_ISLNK(mode):
        findings.append(_tree_finding(path, _LINK))
    elif not stat.S_ISREG(mode):
        findings.append(_tree_finding(path, _special(mode)))
    elif problem := _name_problem(name):
        findings.append(_tree_finding(path, f"is a file whose name {problem}"))
    elif explicit or name.lower().endswith(".json"):
        files.append(path)


_LINK = (
    "is a symbolic link; hubtool never follows links (Hub would serve whatever it points at, "
    "and the file it names is not what was reviewed): replace the link with the file itself"
)


def _special(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((text for test, text in kinds if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file; it is never opened: remove it"


_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _name_problem(name: str) -> str | None:
    """Why a file name cannot be shown as it is: bytes that are not UTF-8, or control,
    format (bidirectional overrides, zero-width) or unassigned characters."""
    try:  # the name's bytes, whatever the locale decoded them as
        name = os.fsencode(name).decode("utf-8")
    except UnicodeError:
        return "is not UTF-8; rename it (UTF-8, printable characters only)"
    if any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in name):
        return "holds control or invisible characters; rename it (printable characters only)"
    return None


def shown(text: str) -> str:
    """``text`` for output: undecodable bytes as ``\\xNN``, control and invisible characters
    escaped (``\\n``, ``\\x1b``, ``\\u202e``), credential-shaped parts redacted."""
    from hubtool.core.secrets import redact_text

    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in _HIDDEN_CATEGORIES:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(char)
    return redact_text("".join(out))


def _tree_finding(path: Path, message: str) -> Finding:
    rule = RULES["catalog-tree"]
    return Finding(rule.id, rule.severity, shown(display(path)), "", 1, 1, f"the entry {message}")


def require_regular(path: Path) -> None:
    """Raise HubtoolError unless ``path`` is a regular file (not a link, FIFO or device)."""
    tree = walk([path])
    if tree.findings:
        first = tree.findings[0]
        raise HubtoolError(f"{first.file}: {first.message}")
    if not tree.files:
        raise HubtoolError(f"{shown(display(path))}: is a directory; give a manifest file")


def display(path: Path) -> str:
    """The path as shown in findings: relative to the working directory where possible."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
