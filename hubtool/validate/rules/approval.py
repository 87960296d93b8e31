"""Rules ``write-requires-approval`` and ``no-bulk-or-delete``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.manifest import action_name, actions, is_write, method
from hubtool.core.registry import Example, Rule, finding
from hubtool.load.strict import Document
from hubtool.validate.rules.paths import PLACEHOLDER

WRITE_REQUIRES_APPROVAL = Rule(
    id="write-requires-approval",
    severity=ERROR,
    family="approval",
    title="Writes require approval",
    description="Any method but GET and HEAD changes state at the provider, so the action "
    "needs `approvalMode: require_approval`.",
    fix='Set "approvalMode": "require_approval".',
    failing=Example(patch={"/actionTemplates/1/approvalMode": "automatic"}),
)

NO_BULK_OR_DELETE = Rule(
    id="no-bulk-or-delete",
    severity=ERROR,
    family="approval",
    title="No delete routes or bulk mutations before review",
    description="DELETE routes, and PUT, PATCH or DELETE on a collection path (one that does "
    "not end with an identifying placeholder), are errors until a policy review waives them.",
    fix="Target one resource by its ID (e.g. /issues/{issueId}/), or get a policy review.",
    failing=Example(patch={"/actionTemplates/1/method": "DELETE"}),
)


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
        WRITE_REQUIRES_APPROVAL,
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
            NO_BULK_OR_DELETE,
            f"{pointer}/method",
            f"{name}: DELETE routes are out of scope until a policy review waives them",
        )
        return
    path = action.get("path")
    if verb in _BULK_METHODS and isinstance(path, str) and not ends_with_identifier(path):
        yield finding(
            doc,
            NO_BULK_OR_DELETE,
            f"{pointer}/path",
            f"{name}: {verb} on a collection path (no identifying placeholder at the "
            "end) is a bulk mutation; target one resource, e.g. .../{id}/",
        )
