"""Rules ``write-requires-approval`` and ``no-bulk-or-delete``.

A write is any method but GET and HEAD (RFC 9110 section 9.2.1: only they are safe by
definition). A POST that only reads (a search with a JSON body, such as HubSpot's
``POST /crm/v3/objects/contacts/search``) is declared under ``reads`` in ``.hubtool.yaml``
(``hubtool.validate.config.reads``): reviewed there, never decided from the manifest.

"Bulk" is decided from the path's shape: PUT or PATCH addresses one resource when the path
ends with a whole ``{placeholder}`` (``/issues/{issue_number}``) or with a placeholder and then
one literal action verb of ``ACTION_VERBS`` (``/pulls/{pull_number}/merge``); anything else
(``/issues``, ``/repos/{owner}/{repo}/labels``) is collection-wide. DELETE is always reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core.findings import ERROR, Finding
from hubtool.core.manifest import action_name, actions, is_write, method
from hubtool.core.registry import Example, Rule, finding
from hubtool.load.strict import Document
from hubtool.validate.rules.paths import PLACEHOLDER

ACTION_VERBS = frozenset(
    {
        "activate", "approve", "archive", "assign", "cancel", "close", "deactivate",
        "disable", "dismiss", "enable", "lock", "merge", "mute", "pin", "publish", "reject",
        "reopen", "resolve", "restore", "retry", "snooze", "star", "subscribe", "suspend",
        "transition", "unarchive", "unassign", "unlock", "unmute", "unpin", "unpublish",
        "unresolve", "unsnooze", "unstar", "unsubscribe", "unsuspend",
    }
)  # fmt: skip
"""Literal last segments that act on the one resource named just before them (a closed,
reviewed list: a noun such as ``labels`` or ``issues`` there names a sub-collection)."""

WRITE_REQUIRES_APPROVAL = Rule(
    id="write-requires-approval",
    severity=ERROR,
    family="approval",
    title="Writes require approval",
    description="Any method but GET and HEAD changes state at the provider, so the action "
    "needs `approvalMode: require_approval`. A POST that only reads (a search taking a JSON "
    "body) can be declared in `.hubtool.yaml` under `reads` (file, action slug, method, path "
    "and a reason): reviewed like a waiver, shown as a suppression in SARIF, and void as soon "
    "as the action's slug, method or path changes.",
    fix='Set "approvalMode": "require_approval"; for a POST that only reads, add a `reads` '
    "entry to `.hubtool.yaml` with a reason instead.",
    failing=Example(patch={"/actionTemplates/1/approvalMode": "automatic"}),
    passing=Example(
        patch={
            "/actionTemplates/0/slug": "search-widgets",
            "/actionTemplates/0/method": "POST",
            "/actionTemplates/0/path": "/v1/widgets/search",
            "/actionTemplates/0/requestBodyMode": "json",
            "/actionTemplates/0/inputs/body": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"text": {"type": "string", "maxLength": 100}},
            },
            "/actionTemplates/0/examples/0/input/body": {"text": "sprocket"},
        },
        config="reads:\n  - file: manifest.json\n    action: search-widgets\n"
        "    method: POST\n    path: /v1/widgets/search\n"
        "    reason: Acme's widget search only reads; it takes its filters as JSON\n",
    ),
)

NO_BULK_OR_DELETE = Rule(
    id="no-bulk-or-delete",
    severity=ERROR,
    family="approval",
    title="No delete routes or bulk mutations before review",
    description="DELETE routes, and PUT or PATCH on a collection path, are errors until a "
    "policy review waives them. A path addresses one resource when it ends with an "
    "identifying placeholder (`/issues/{issue_number}`) or with one and then a single action "
    "verb (`/pulls/{pull_number}/merge`, `/issues/{issue_number}/lock`; the verbs: "
    + ", ".join(f"`{v}`" for v in sorted(ACTION_VERBS))
    + "); any other path (`/issues`, `/repos/{owner}/{repo}/labels`) is collection-wide.",
    fix="Target one resource by its ID (e.g. /issues/{issueId}), or an action verb on it "
    "(e.g. /pulls/{pull_number}/merge); otherwise get a policy review and a waiver.",
    failing=Example(patch={"/actionTemplates/1/method": "DELETE"}),
    passing=Example(patch={"/actionTemplates/1/path": "/v1/widgets/{widgetId}/archive"}),
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
    verb = method(action)
    message = (
        f"{action_name(action, pointer)}: {verb or 'a write'} changes state "
        "at the provider; set approvalMode to 'require_approval'"
    )
    if verb == "POST":
        message += (
            " (a POST that only reads, such as a search: declare it under 'reads' in "
            ".hubtool.yaml with its file, action, method, path and a reason)"
        )
    path = action.get("path")
    subject = read_subject(action.get("slug"), verb, path)
    yield finding(doc, WRITE_REQUIRES_APPROVAL, where, message, subject=subject)


def read_subject(slug: Any, verb: str, path: Any) -> str:
    """What a ``reads`` declaration must name to cover a write-requires-approval finding:
    the action's slug, method and path (one line each), or "" when one is not a string."""
    if not (isinstance(slug, str) and isinstance(path, str)):
        return ""
    return f"{slug}\n{verb}\n{path}"


def ends_with_identifier(path: str) -> bool:
    """True when the last non-empty segment of ``path`` is a whole {placeholder}."""
    segments = [s for s in path.split("/") if s]
    return bool(segments) and PLACEHOLDER.fullmatch(segments[-1]) is not None


def addresses_one_resource(path: str) -> bool:
    """True when ``path`` ends with a whole {placeholder}, or with one and then one literal
    action verb of ``ACTION_VERBS`` (``/pulls/{pull_number}/merge``); empty segments ignored."""
    segments = [s for s in path.split("/") if s]
    if ends_with_identifier(path):
        return True
    return (
        len(segments) >= 2
        and segments[-1] in ACTION_VERBS
        and PLACEHOLDER.fullmatch(segments[-2]) is not None
    )


def _bulk_or_delete(doc: Document, pointer: str, action: dict[str, Any]) -> Iterator[Finding]:
    name = action_name(action, pointer)
    verb = method(action)
    if verb == "DELETE":
        yield finding(
            doc,
            NO_BULK_OR_DELETE,
            f"{pointer}/method",
            f"{name}: DELETE routes are out of scope until a policy review waives them "
            f"(after the review: a waiver of no-bulk-or-delete at {pointer}/method in "
            ".hubtool.yaml, with its reason)",
        )
        return
    path = action.get("path")
    if verb in _BULK_METHODS and isinstance(path, str) and not addresses_one_resource(path):
        yield finding(
            doc,
            NO_BULK_OR_DELETE,
            f"{pointer}/path",
            f"{name}: {verb} on a collection path (no identifying placeholder at the "
            "end) is a bulk mutation; target one resource, e.g. .../{id}/, or an action "
            "verb on it, e.g. .../{id}/merge (the verbs: hubtool rules); otherwise a policy "
            "review and a waiver",
        )
