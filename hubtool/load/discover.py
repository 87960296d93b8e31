"""File discovery: the catalog's manifests, found without following a link or opening anything.

Defines the rule ``catalog-tree`` (``CATALOG_TREE``): a link, special file, nested repository
or unprintable name in the catalog is a finding and is never read. Also how a path is named in
output (``display``, ``shown``). Pure: no printing.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from hubtool.core.errors import HubtoolError
from hubtool.core.escape import redacted
from hubtool.core.findings import ERROR, Finding
from hubtool.core.registry import Example, Rule

CATALOG_TREE = Rule(
    id="catalog-tree",
    severity=ERROR,
    family="catalog",
    title="The catalog holds regular files with printable names, never links",
    description="Discovery never follows a link and never opens a special file. A symbolic "
    "link (to a file or a directory), a FIFO, socket or device, a nested repository or "
    "submodule, and a name with control or invisible characters or bytes that are not UTF-8 "
    "are findings and are not read; a path given on the command line that is a link or a "
    "special file too. In `ci`, git's own view counts as well: a catalog entry of mode "
    "120000 (link) or 160000 (submodule). The catalog directory itself, or a parent of it "
    "in the repository, being a link stops the run (exit 2). Names are shown escaped.",
    fix="Replace the link with the file itself; remove special files; rename the file "
    "with printable UTF-8 characters.",
    failing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json", link=True),
    passing=Example(file="apps/hub/catalog/integrations/acme/acme-api.json"),
)

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


class Tree:
    """What discovery found: the manifests to read, catalog-tree findings for the rest, and
    what a walk outside the catalog left out (``hubtool.load.ignored``), as shown. A plain
    class: nothing compares or prints one."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.findings: list[Finding] = []
        self.skipped: list[str] = []


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

    Outside the catalog (``apps/hub/catalog``) a walk skips hidden directories, ``node_modules``,
    ``__pycache__`` and ``site-packages``, and what git ignores (``hubtool.load.ignored``),
    each listed in ``Tree.skipped``; a directory given explicitly is walked even so. Inside the
    catalog nothing is skipped: a manifest in a hidden or ignored directory there is read and
    checked (the ``catalog-layout`` rule names where it belongs), never passed over.
    """
    tree = Tree()
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError) as exc:
            raise HubtoolError(f"{shown(str(path))}: no such file or directory") from exc
        if stat.S_ISDIR(mode):
            found: list[Path] = []
            _walk_directory(path, found, tree)
            tree.files.extend(sorted(found))
        else:
            _visit(path, path.name, mode, True, tree.files, tree.findings)
    tree.files = list(dict.fromkeys(tree.files))
    tree.findings = list(dict.fromkeys(tree.findings))
    return tree


def _walk_directory(top: Path, files: list[Path], tree: Tree) -> None:
    """Depth first with an explicit stack: no recursion limit, each entry listed once. Each
    directory carries whether it is inside the catalog (nothing skipped there)."""
    outside = _Outside(top)
    stack = [(top, in_catalog(top))]
    while stack:
        directory, catalog = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            tree.findings.append(_tree_finding(directory, f"cannot be listed ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue  # vanished while listing
            if not catalog and outside.skips(path, entry.name, stat.S_ISDIR(mode)):
                tree.skipped.append(shown(display(path)))
            elif stat.S_ISDIR(mode):
                problem = _name_problem(entry.name)
                if problem:
                    tree.findings.append(
                        _tree_finding(path, f"is a directory whose name {problem}")
                    )
                elif entry.name == ".git":
                    tree.findings.append(_tree_finding(path, _NESTED))
                else:
                    stack.append((path, catalog or _is_catalog(path)))
            elif stat.S_ISREG(mode) and not entry.name.lower().endswith(".json"):
                continue  # not a manifest: READMEs, images
            else:
                _visit(path, entry.name, mode, False, files, tree.findings)


def in_catalog(path: Path) -> bool:
    """True when ``path`` is the catalog directory (``apps/hub/catalog``) or inside one."""
    parts = path.absolute().parts
    return any(parts[i : i + 3] == _CATALOG_PARTS for i in range(len(parts) - 2))


def _is_catalog(path: Path) -> bool:
    return path.parts[-3:] == _CATALOG_PARTS


_CATALOG_PARTS = CATALOG.parts


class _Outside:
    """What a walk from ``top`` skips outside the catalog: hidden and tool directories by name,
    and what git ignores (asked once, on the first entry; never for a walk of the catalog)."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.asked = False
        self.ignored: frozenset[str] | None = None

    def skips(self, path: Path, name: str, directory: bool) -> bool:
        from hubtool.load import ignored

        if directory and ignored.leads_to_catalog(path.absolute(), _CATALOG_PARTS):
            return False
        if directory and ignored.skipped_name(name):
            return True
        if not directory and not name.lower().endswith(".json"):
            return False  # never read anyway
        if not self.asked:
            self.asked, self.ignored = True, ignored.git_ignored(self.top)
        if not self.ignored:
            return False
        relative = path.relative_to(self.top).as_posix()
        return (relative + "/" if directory else relative) in self.ignored


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
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in _HIDDEN_CATEGORIES:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(char)
    return redacted("".join(out))


def _tree_finding(path: Path, message: str) -> Finding:
    rule = CATALOG_TREE
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
