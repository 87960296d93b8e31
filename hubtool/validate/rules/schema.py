"""Rule ``schema``: JSON Schema violations, with messages that never echo a secret."""

from __future__ import annotations

from collections.abc import Iterator

from hubtool.core.findings import ERROR, Finding
from hubtool.core.jsonerrors import problems
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.schema import manifest_validator
from hubtool.core.schema.fast import action_verdict, manifest_verdict
from hubtool.load.strict import Document, pointer_of

SCHEMA = Rule(
    id="schema",
    severity=ERROR,
    family="schema",
    title="The manifest matches the Dock integration schema",
    description="The manifest must match `schemas/dock-integration.schema.json` (JSON Schema "
    "2020-12). The schema is closed-world: an unknown key is an error, so typos fail.",
    fix="Rename or remove the key, or give the value the type and form the message names.",
    failing=Example(patch={"/actionTemplates/0/approvalMod": "automatic"}),
)


def check(doc: Document) -> Iterator[Finding]:
    if manifest_verdict(doc.data):
        return  # jsonschema-rs agrees with the python path here (hubtool.core.schema.fast)
    for problem in problems(manifest_validator().iter_errors(doc.data)):
        pointer = pointer_of(*problem.path)
        yield finding(doc, SCHEMA, pointer, problem.message, at_key=problem.at_key)


def check_action_template(doc: Document, pointer: str) -> Iterator[Finding]:
    """The schema of one action template (drafts are validated without their manifest)."""
    from hubtool.core.schema import action_validator

    value = doc.data
    for token in pointer.split("/")[1:]:
        value = value[int(token)] if isinstance(value, list) else value[token]
    if action_verdict(value):
        return
    for problem in problems(action_validator().iter_errors(value)):
        yield finding(
            doc,
            SCHEMA,
            pointer + pointer_of(*problem.path),
            problem.message,
            at_key=problem.at_key,
        )
