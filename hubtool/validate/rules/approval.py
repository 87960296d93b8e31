"""Rules ``write-requires-approval`` and ``no-bulk-or-delete``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import Finding
from hubtool.core.manifest import action_name, actions, is_write, method
from hubtool.load.strict import Document
from hubtool.registry import finding
from hubtool.validate.rules.paths import PLACEHOLDER

_BULK_METHODS = {"PUT", "PATCH", "DELETE"}


def check(doc: Document) -> Iterator[Finding]:
    for pointer, action in actions(doc.data):
        yield from _approval(doc, pointer, action)
        yield from _bulk_or_delete(doc, pointer, action)


def _approval(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    if not is_write(action) or action.get("approvalMode") == "require_approval":
        return
    where = f"{pointer}/approvalMode" if "approvalMode" in action else pointer
    yield finding(
        doc,
        "write-requires-approval",
        where,
        f"{action_name(action, pointer)}: {method(action) or 'a write'} changes state "
        "at the provider; set approvalMode to 'require_approval'",
    )


def ends_with_identifier(path: str) -> bool:
    """True when the last non-empty segment of ``path`` is a whole {placeholder}."""
    segments = [s for s in path.split("/") if s]
    return bool(segments) and PLACEHOLDER.fullmatch(segments[-1]) is not None


def _bulk_or_delete(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    name = action_name(action, pointer)
    verb = method(action)
    if verb == "DELETE":
        yield finding(
            doc,
            "no-bulk-or-delete",
            f"{pointer}/method",
            f"{name}: DELETE routes are out of scope until a policy review waives them",
        )
        return
    path = action.get("path")
    if verb in _BULK_METHODS and isinstance(path, str) and not ends_with_identifier(path):
        yield finding(
            doc,
            "no-bulk-or-delete",
            f"{pointer}/path",
            f"{name}: {verb} on a collection path (no identifying placeholder at the "
            "end) is a bulk mutation; target one resource, e.g. .../{id}/",
        )
