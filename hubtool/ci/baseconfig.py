"""The trust boundary of ``hubtool ci``: policy configuration comes from the base branch.

In CI the work tree is the pull request, a stranger's. Its ``.hubtool.yaml`` must not decide
its own verdict, so ``ci`` applies the configuration as committed at the tip of the base ref
(the branch the pull request merges into: the policy its maintainers hold now, never an older
one the pull request happened to branch from), read through ``git``, never through the work
tree. The pull request's own change to the file is judged against the merge base (what the
pull request changed, not what the base branch changed since) and reported as
``config-changed`` findings for review (one per changed severity, waiver, allowlist entry or
declared read),
with its whole text, comments included, scanned for credentials. Pure: builds findings,
prints nothing.

Defines the rule ``config-changed`` (``CONFIG_CHANGED``). ``hubtool.diff.gitrefs`` (and with it
``subprocess``) is imported where git runs: the registry imports this module for its rule, and
``validate`` must not pay for git at start-up.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hubtool.core.errors import HubtoolError
from hubtool.core.findings import ERROR, Finding
from hubtool.core.registry import WRITE_WITHOUT_APPROVAL, Example, Rule
from hubtool.load.discover import CATALOG, display, shown
from hubtool.load.strict import Document
from hubtool.validate.config.find import CONFIG_NAME
from hubtool.validate.config.parse import Config, load_config, parse_config
from hubtool.validate.config.reads import Read
from hubtool.validate.config.scan import scan_document, scan_lines
from hubtool.validate.config.waivers import Waiver
from hubtool.validate.config.yamlfile import MAX_CONFIG_BYTES, config_document

CONFIG_CHANGED = Rule(
    id="config-changed",
    severity=ERROR,
    family="config",
    title="A change to .hubtool.yaml is reviewed, not applied",
    description="In `ci`, the configuration applied is the one at the tip of `--base` (the "
    "branch the pull request merges into, as its maintainers hold it now): a pull "
    "request cannot lower a severity, turn a rule off, add a waiver or allow a value for "
    "itself. Its own change to `.hubtool.yaml` since the merge base (added, modified, "
    "deleted, or replaced by a link) is this finding, one per changed entry, so a "
    "maintainer reviews it; it applies "
    "once merged. An error by default, because the configuration decides every other "
    "verdict: a green check must never mean the policy changed unseen. The base "
    "configuration may set it to `warning` where configuration changes are reviewed "
    "otherwise (CODEOWNERS).",
    fix="Have a maintainer review the change; land it on its own, before the manifests "
    "that need it.",
    failing=Example(
        patch=WRITE_WITHOUT_APPROVAL,
        base_config="severity:\n  typed-query: error\n",
        config="severity:\n  typed-query: error\n  write-requires-approval: 'off'\n",
    ),
    passing=Example(
        base_config="severity:\n  typed-query: error\n",
        config="severity:\n  typed-query: error\n",
    ),
)
MAX_CHANGES = 50
"""Changed entries reported one by one; the rest are summed up in one more finding."""
_REGULAR = ("100644", "100755")


@dataclass
class ConfigReview:
    """The configuration that applies, and findings about the pull request's change to it."""

    config: Config
    changed: bool = False
    findings: list[Finding] = field(default_factory=list)


def review(
    root: Path,
    commit: str,
    catalog: Path,
    option: Path | None = None,
    tip: str | None = None,
    *,
    rules: Mapping[str, Rule],
) -> ConfigReview:
    """The base branch's configuration, and the pull request's change to it as findings.

    ``tip`` is the commit the base ref names now: its configuration applies. ``commit`` is the
    merge base: the pull request's change to the file is what differs from it (``tip`` None:
    the merge base is both). ``option`` (``--config FILE``): inside the repository it names
    which file to read; outside it (a file the workflow itself provides) it is used as it is.
    ``rules``: the known rules by id (``hubtool.registry.RULES``), for the ids a configuration
    names and their default severities.
    """
    root = root.resolve()
    if option is not None and not _inside(option, root):
        return ConfigReview(load_config(option.absolute(), rules=rules, cached=False))
    candidates = [_relative(option, root)] if option is not None else _candidates(catalog, root)
    tip = commit if tip is None else tip
    config = _base_config(root, tip, candidates, _tree_entries(root, tip, candidates), rules)
    entries = _tree_entries(root, commit, candidates)
    forked = config if tip == commit else _forked_config(root, commit, candidates, entries, rules)
    result = ConfigReview(config)
    for relpath in candidates:
        result.findings.extend(_review_one(root, relpath, entries.get(relpath), forked, rules))
    result.changed = bool(result.findings)
    result.findings.extend(_secrets(root, candidates, result.changed))
    return result


def _inside(path: Path, root: Path) -> bool:
    try:
        path.absolute().parent.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _relative(path: Path, root: Path) -> str:
    return (path.absolute().parent.resolve() / path.name).relative_to(root).as_posix()


def _candidates(catalog: Path, root: Path) -> list[str]:
    """Where ``find_config`` looks, nearest first: the catalog up to the directory holding it."""
    base = PurePosixPath((catalog.absolute().parent.resolve() / catalog.name).relative_to(root))
    top = base
    for _ in CATALOG.parts:
        top = top.parent
    directories = [base, *[p for p in base.parents if p == top or top in p.parents]]
    return [(d / CONFIG_NAME).as_posix() for d in directories]


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    object_id: str
    size: int


def _tree_entries(root: Path, commit: str, relpaths: list[str]) -> dict[str, _Entry]:
    """``git ls-tree -l`` at ``commit`` for the candidate paths (absent ones are left out)."""
    from hubtool.diff import gitrefs

    if commit == gitrefs.EMPTY_TREE:
        return {}
    result = gitrefs.run_git(root, "ls-tree", "-l", "-z", commit, "--", *relpaths)
    entries: dict[str, _Entry] = {}
    for record in result.stdout.split(b"\0"):
        if b"\t" not in record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, object_id, size = meta.decode().split()
        entries[os.fsdecode(name)] = _Entry(
            mode, kind, object_id, int(size) if size.isdigit() else 0
        )
    return entries


def _base_config(
    root: Path,
    commit: str,
    candidates: list[str],
    entries: dict[str, _Entry],
    rules: Mapping[str, Rule],
) -> Config:
    """The nearest candidate committed at the base, parsed; none at all gives the defaults."""
    from hubtool.diff import gitrefs

    for relpath in candidates:
        entry = entries.get(relpath)
        if entry is None:
            continue
        name = f"{relpath} (at the base commit {commit[:12]})"
        if entry.mode not in _REGULAR:
            raise HubtoolError(f"{name}: not a regular file in git (mode {entry.mode})")
        if entry.size > MAX_CONFIG_BYTES:
            raise HubtoolError(f"{name}: larger than {MAX_CONFIG_BYTES} bytes")
        raw = gitrefs.run_git(root, "cat-file", "blob", entry.object_id).stdout
        return parse_config(raw, root / relpath, name, rules=rules, cached=False)
    return Config()


def _forked_config(
    root: Path,
    commit: str,
    candidates: list[str],
    entries: dict[str, _Entry],
    rules: Mapping[str, Rule],
) -> Config:
    """The merge base's configuration, to tell what the pull request changed in it.

    It is not applied, so one that no longer loads (the base branch fixed it since) counts as
    the defaults: every entry of the pull request's file is then reported as its change.
    """
    try:
        return _base_config(root, commit, candidates, entries, rules)
    except HubtoolError:
        return Config()


def _work_tree(root: Path, relpath: str) -> tuple[str, bytes | None]:
    """The pull request's file: ("missing" | "link" | "special" | "file", its bytes if a file)."""
    path = root / relpath
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "missing", None
    if stat.S_ISLNK(mode):
        return "link", None
    if not stat.S_ISREG(mode):
        return "special", None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return "special", None
    with os.fdopen(fd, "rb") as handle:
        return "file", handle.read(MAX_CONFIG_BYTES + 1)


def _review_one(
    root: Path, relpath: str, entry: _Entry | None, base: Config, rules: Mapping[str, Rule]
) -> list[Finding]:
    """The findings for one candidate location: nothing when the pull request left it as it was."""
    from hubtool.diff import gitrefs

    kind, raw = _work_tree(root, relpath)
    base_raw = None
    if entry is not None and entry.mode in _REGULAR and entry.size <= MAX_CONFIG_BYTES:
        base_raw = gitrefs.run_git(root, "cat-file", "blob", entry.object_id).stdout
    if entry is None and kind == "missing":
        return []
    if kind == "file" and base_raw is not None and raw == base_raw:
        return []
    name = shown(display(root / relpath))
    if kind == "missing":
        return [_finding(name, None, "", "deletes the configuration")]
    if kind != "file" or raw is None:
        what = "a symbolic link" if kind == "link" else "something that is not a regular file"
        return [_finding(name, None, "", f"replaces the configuration with {what} (not read)")]
    verb = "adds" if entry is None else "changes"
    try:
        new = parse_config(raw, root / relpath, name, rules=rules, cached=False)
    except HubtoolError as exc:
        problems = "; ".join((exc.message, *exc.details))  # every problem, on one line
        message = f"{verb} the configuration, which does not load: {problems}"
        return [_finding(name, None, "", message)]
    items = _differences(base if entry is not None else Config(), new, rules)
    if not items:
        items = [("", f"{verb} the configuration (layout or comments only)")]
    findings = [_finding(name, new.document, pointer, what) for pointer, what in items]
    if len(findings) > MAX_CHANGES:
        more = len(findings) - MAX_CHANGES
        findings = findings[:MAX_CHANGES]
        findings.append(_finding(name, None, "", f"makes {more} more configuration changes"))
    return findings


def _differences(base: Config, new: Config, rules: Mapping[str, Rule]) -> list[tuple[str, str]]:
    """(pointer in the new file, what changed) for severities, waivers, allowlist entries and
    declared reads."""
    items: list[tuple[str, str]] = []
    for rule in sorted(set(base.severities) | set(new.severities)):
        old_level = base.severities.get(rule, rules[rule].severity)
        new_level = new.severities.get(rule, rules[rule].severity)
        if old_level != new_level:
            pointer = f"/severity/{rule}" if rule in new.severities else ""
            verb = "lowers" if _rank(new_level) < _rank(old_level) else "raises"
            items.append(
                (pointer, f"{verb} the severity of {rule} from {old_level} to {new_level}")
            )
    old_waivers = {w.key() for w in base.waivers}
    new_waivers = {w.key() for w in new.waivers}
    for index, waiver in enumerate(new.waivers):
        if waiver.key() not in old_waivers:
            items.append((f"/waivers/{index}", f"adds a waiver of {_waived(waiver)}"))
    for waiver in base.waivers:
        if waiver.key() not in new_waivers:
            items.append(("", f"removes the waiver of {_waived(waiver)}"))
    old_allowed = {a.key() for a in base.allowlist}
    new_allowed = {a.key() for a in new.allowlist}
    for index, allowed in enumerate(new.allowlist):
        if allowed.key() not in old_allowed:
            items.append((f"/allowlist/{index}", f"allows the value {allowed.fingerprint}"))
    for allowed in base.allowlist:
        if allowed.key() not in new_allowed:
            items.append(("", f"removes the allowlist entry {allowed.fingerprint}"))
    old_reads = {r.key() for r in base.reads}
    new_reads = {r.key() for r in new.reads}
    for index, read in enumerate(new.reads):
        if read.key() not in old_reads:
            items.append((f"/reads/{index}", f"declares a read: {_read(read)}"))
    for read in base.reads:
        if read.key() not in new_reads:
            items.append(("", f"removes the declared read {_read(read)}"))
    return items


def _waived(waiver: Waiver) -> str:
    return f"{waiver.rule} at {shown(waiver.pointer)} in {shown(display(waiver.file))}"


def _read(read: Read) -> str:
    return f"{read.described()} in {shown(display(read.file))}"


def _rank(level: str) -> int:
    return {"off": 0, "note": 1, "warning": 2, "error": 3}.get(level, 3)


def _finding(name: str, doc: Document | None, pointer: str, what: str) -> Finding:
    line, column = doc.position(pointer) if doc is not None else (1, 1)
    message = (
        f"this pull request {what}; ci judged it with the base branch's configuration, and "
        "the change applies only once merged: a maintainer must review it"
    )
    rule = CONFIG_CHANGED
    return Finding(rule.id, rule.severity, name, pointer, line, column, message)


def _secrets(root: Path, candidates: list[str], changed: bool) -> list[Finding]:
    """no-secret-values over the pull request's configuration files that it changed."""
    if not changed:
        return []
    findings: list[Finding] = []
    for relpath in candidates:
        kind, raw = _work_tree(root, relpath)
        if kind != "file" or raw is None:
            continue
        findings.extend(config_secrets(raw, shown(display(root / relpath))))
    return findings


def config_secrets(raw: bytes, name: str) -> list[Finding]:
    """Credential-shaped strings of a configuration, even one that does not load as one."""
    try:
        doc, outside = config_document(raw, name)
    except HubtoolError:
        return scan_lines(raw[:MAX_CONFIG_BYTES].decode("utf-8", "replace"), name)
    return scan_document(doc, outside)
