"""The semver gate: the bump a set of changes requires, and whether a declared version meets it.

Rule ``version-gate`` (``VERSION_GATE``), reported by diff, bump and ci.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hubtool.core.findings import ERROR
from hubtool.core.registry import BUMPS, MAJOR, MINOR, NONE, PATCH, Example, Rule

if TYPE_CHECKING:  # hubtool.diff.kinds imports the registry, which imports this module
    from hubtool.diff.kinds import Change

VERSION_GATE = Rule(
    id="version-gate",
    severity=ERROR,
    family="gate",
    title="The declared version meets the changes",
    description="`hubtool diff`, `bump` and `ci` compare a manifest with its released version: the "
    "version must not decrease, must change when the content does, and must be at least the "
    "minimum the classified changes require (see docs/CHANGES.md).",
    fix="Run `hubtool bump` to write the minimum acceptable version.",
    failing=Example(),
)
"""The semver gate, reported like a rule; it compares two versions, so it is not in RULES."""


def required_bump(changes: Iterable[Change]) -> str:
    """The largest bump among the changes, or ``"none"`` when nothing changed."""
    levels = [BUMPS.index(change.bump) for change in changes]
    return BUMPS[max(levels)] if levels else NONE


def minimum_version(old: str, bump: str | None) -> str:
    """The smallest release after ``old`` that a change of level ``bump`` allows.

    Cargo's convention for 0.y.z: a major change bumps y, a minor or patch change bumps z.
    From a pre-release, a bump releases it when that is enough (SemVer 2.0.0 section 11:
    ``2.0.0-rc.1`` plus a major change needs ``2.0.0``), as ``semver.Version.next_version`` does.
    """
    import semver

    version = semver.Version.parse(old)
    if bump in (None, NONE):
        return str(version)
    level = bump
    if version.major == 0:
        level = MINOR if bump == MAJOR else PATCH
    return str(version.next_version(part=level))


@dataclass
class Verdict:
    """The gate's verdict. Its texts quote declared versions, so they are redacted here, at
    construction (a token in a prerelease or build part), and no reporter can print one."""

    ok: bool
    required_bump: str | None
    """The largest bump the changes need: ``major``, ``minor``, ``patch`` or ``none``."""
    minimum_version: str | None
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        from hubtool.core.secrets import redact_text

        self.problems = [redact_text(problem) for problem in self.problems]
        if self.minimum_version is not None:
            self.minimum_version = redact_text(self.minimum_version)


def gate(old_version: object, new_version: object, changes: list[Change]) -> Verdict:
    """Check the declared ``new_version`` against ``old_version`` and the changes."""
    import semver

    bump = required_bump(changes)
    try:
        old = semver.Version.parse(str(old_version))
        new = semver.Version.parse(str(new_version))
    except ValueError:
        from hubtool.core.secrets import safe_repr

        bad = new_version if not _is_semver(new_version) else old_version
        return Verdict(False, bump, None, [f"version {safe_repr(bad)} is not a semantic version"])
    minimum = minimum_version(str(old), bump)
    problems: list[str] = []
    if new < old:
        problems.append(f"the version decreased from {old} to {new}")
    elif changes and new == old:
        problems.append(
            f"the content changed but the version is still {old}; use {minimum} "
            "(`hubtool bump` writes it)"
        )
    elif not satisfies(old, new, minimum):
        problems.append(
            f"{bump} changes need at least {minimum}, but the version is {new} "
            f"(a pre-release of {minimum} passes too); `hubtool bump` writes it"
        )
    return Verdict(not problems, bump, minimum, problems)


def satisfies(old: Any, new: Any, minimum: str) -> bool:
    """Whether ``new`` (a ``semver.Version``) meets ``minimum`` after ``old``, by SemVer 2.0.0
    precedence (section 11): ``minimum`` or later, or a pre-release of ``minimum`` or of a later
    release, as long as it is above ``old`` (``1.9.9 -> 2.0.0-rc.1`` meets ``2.0.0``)."""
    import semver

    floor = semver.Version.parse(minimum)
    return new >= floor or (new > old and new.finalize_version() >= floor)


def _is_semver(value: object) -> bool:
    import semver

    return isinstance(value, str) and semver.Version.is_valid(value)
