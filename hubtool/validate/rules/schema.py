"""Rule ``schema``: JSON Schema violations, with messages that never echo a secret."""

from __future__ import annotations

from collections.abc import Iterator

from hubtool.core.findings import Finding
from hubtool.core.jsonerrors import problems
from hubtool.core.schema import manifest_validator
from hubtool.load.strict import Document, pointer_of
from hubtool.registry import finding


def check(doc: Document) -> Iterator[Finding]:
    for problem in problems(manifest_validator().iter_errors(doc.data)):
        pointer = pointer_of(*problem.path)
        yield finding(doc, "schema", pointer, problem.message, at_key=problem.at_key)


def check_action_template(doc: Document, pointer: str) -> Iterator[Finding]:
    """The schema of one action template (drafts are validated without their manifest)."""
    from hubtool.core.schema import action_validator

    value = doc.data
    for token in pointer.split("/")[1:]:
        value = value[int(token)] if isinstance(value, list) else value[token]
    for problem in problems(action_validator().iter_errors(value)):
        yield finding(
            doc,
            "schema",
            pointer + pointer_of(*problem.path),
            problem.message,
            at_key=problem.at_key,
        )
