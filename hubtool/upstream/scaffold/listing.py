"""The operations of a spec as ``scaffold --list`` shows them, and the lookup of one by id.

Pure: returns data. A summary is the operation's ``summary``, else its description's first
sentence, on one line and at most ``SUMMARY_LENGTH`` characters, never credential-shaped
(``names.safe_text``). ``--grep WORD`` keeps the operations whose operationId, path or summary
contains WORD, ignoring case.
"""

from __future__ import annotations

from dataclasses import dataclass

from hubtool.core.errors import HubtoolError
from hubtool.upstream.openapi import Operation, Spec
from hubtool.upstream.scaffold.names import first_sentence, safe_text
from hubtool.upstream.scaffold.template import find_operation

SUMMARY_LENGTH = 100
"""The longest summary listed (characters); a longer one is cut at a word and ends in "..."."""


@dataclass(frozen=True)
class Listed:
    """One operation as listed."""

    method: str
    """Upper case: GET, POST ..."""
    path: str
    operation_id: str
    summary: str
    deprecated: bool

    def as_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "operationId": self.operation_id,
            "summary": self.summary,
            "deprecated": self.deprecated,
        }


def summary_of(operation: Operation) -> str:
    """The operation's one-line summary ('' when it has none or it looks like a credential)."""
    for text in (operation.summary, first_sentence(operation.description)):
        line = safe_text(text, SUMMARY_LENGTH)
        if line:
            return line
    return ""


def list_operations(spec: Spec, grep: str | None = None) -> list[Listed]:
    """The spec's operations in its own order; with ``grep``, those matching it (any case)."""
    word = grep.casefold() if grep else ""
    listed = []
    for op in spec.operations:
        summary = summary_of(op)
        if word and not any(word in t.casefold() for t in (op.operation_id, op.path, summary)):
            continue
        listed.append(Listed(op.method.upper(), op.path, op.operation_id, summary, op.deprecated))
    return listed


def lookup(spec: Spec, operation_id: str, include_deprecated: bool = False) -> Operation:
    """The operation ``operation_id`` names, for ``scaffold --operation``.

    Raises HubtoolError: an unknown id with the close ones (``template.find_operation``) and a
    pointer to ``--list``; a deprecated operation unless ``include_deprecated``.
    """
    try:
        operation = find_operation(spec, operation_id)
    except HubtoolError as exc:
        if operation_id in spec.duplicates or not spec.by_id:
            raise
        raise HubtoolError(
            f"{exc.message}; 'hubtool scaffold --openapi {spec.path} --list [--grep WORD]' "
            "lists every operation"
        ) from None
    if operation.deprecated and not include_deprecated:
        raise HubtoolError(
            f"operation {operation_id!r} ({operation.method.upper()} {operation.path}) is "
            "deprecated: the provider may remove it; pass --include-deprecated to scaffold it "
            "anyway"
        )
    return operation
