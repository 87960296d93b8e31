"""Change families: each module compares one part of two manifests and yields Changes.

Kinds, bumps and docs live in ``hubtool.registry.CHANGE_KINDS``; the modules here decide which
kind a difference is. Every difference yields a change: anything without a specific kind is
``metadata-changed`` (patch), so nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hubtool.core.registry import ALWAYS, ON_WRITE
from hubtool.core.secrets import find_secret, redact_text, safe_name, safe_pointer
from hubtool.registry import CHANGE_KINDS

__all__ = ["safe_name", "safe_pointer"]

OLD, NEW = "old", "new"


@dataclass(frozen=True, slots=True)
class Change:
    """One classified difference between two versions of a manifest."""

    kind: str
    action: str | None
    pointer: str
    message: str
    review: bool
    old: Any = None
    new: Any = None
    side: str = NEW
    """Which version ``pointer`` refers to: ``old`` for removals, else ``new``."""
    anchor: str = ""
    """For a removal: where it was in the new version's terms (the array or object it left,
    e.g. ``/actionTemplates``), so annotations point at a file that exists."""

    def __post_init__(self) -> None:
        """Redact at construction, whoever builds the change: no reporter can print a secret."""
        object.__setattr__(self, "message", redact_text(self.message))
        object.__setattr__(self, "action", redact(self.action))
        object.__setattr__(self, "old", redact(self.old))
        object.__setattr__(self, "new", redact(self.new))

    @property
    def bump(self) -> str:
        return CHANGE_KINDS[self.kind].bump


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a comparison happens: the action (if any), whether it writes, and a label."""

    action: str | None = None
    write: bool = False
    label: str = "manifest"

    def change(
        self,
        kind: str,
        pointer: str,
        message: str,
        old: Any = None,
        new: Any = None,
        side: str = NEW,
        anchor: str = "",
    ) -> Change:
        review = CHANGE_KINDS[kind].review
        flagged = review == ALWAYS or (review == ON_WRITE and self.write)
        text = redact_text(f"{self.label}: {message}")
        action = redact(self.action)
        return Change(kind, action, pointer, text, flagged, redact(old), redact(new), side, anchor)


def redact(value: Any) -> Any:
    """A copy of ``value`` with every credential-shaped string, key or value, replaced."""
    if isinstance(value, str):
        return "<redacted>" if find_secret(value) else value
    if isinstance(value, dict):
        return {_redact_key(i, k): redact(v) for i, (k, v) in enumerate(value.items())}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _redact_key(index: int, key: str) -> str:
    """A member name, or a placeholder unique within its object when it looks like a credential."""
    return f"<redacted key {index}>" if find_secret(key) else key


def other_changes(
    scope: Scope, old: dict[str, Any], new: dict[str, Any], pointer: str, skip: set[str]
) -> Iterator[Change]:
    """A metadata-changed (patch) change for every other key that differs: nothing is dropped."""
    from hubtool.load.strict import escape

    for key in differing(old, new, skip):
        yield scope.change(
            "metadata-changed",
            f"{pointer}/{escape(key)}",
            f"{safe_name(key)} changed",
            old.get(key),
            new.get(key),
        )


def differing(old: dict[str, Any], new: dict[str, Any], skip: set[str]) -> Iterator[str]:
    """Keys (in a stable order) whose values differ between two objects, except ``skip``."""
    for key in dict.fromkeys([*old, *new]):
        if key not in skip and old.get(key, _MISSING) != new.get(key, _MISSING):
            yield key


_MISSING = object()


def short(value: Any) -> str:
    """A short, secret-safe rendering of a value for a message."""
    from hubtool.core.secrets import safe_repr

    if value is None:
        return "none"
    return safe_repr(value, limit=100)
