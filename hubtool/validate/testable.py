"""Rule ``action-examples-missing``: every action has an example, since ``drafts test`` runs
them (issue 16: a scaffolded action without one passed ``validate`` and always failed the test).

Of the ``examples`` family, but run by the pipeline after the family checks
(``hubtool.validate.pipeline.check_document``) rather than inside ``examples.check``, whose
findings are held equal to a reference implementation of ``examples-valid``.
"""

from __future__ import annotations

from collections.abc import Iterator

from hubtool.core.findings import ERROR, WARNING, Finding
from hubtool.core.manifest import action_name, actions
from hubtool.core.registry import REMOVE, Example, Rule, finding
from hubtool.load.strict import Document

ACTION_EXAMPLES_MISSING = Rule(
    id="action-examples-missing",
    severity=WARNING,
    ci_severity=ERROR,
    family="examples",
    title="Every action has an example",
    description="An action template has at least one example (`examples`): `hubtool drafts "
    "test` renders and runs an action's examples, so an action without one cannot be tested "
    "before it is published. A warning in `validate` (a draft in progress), an error in `ci` "
    "(what merges is tested).",
    fix="Add an example whose input validates against the action's inputs; `hubtool scaffold` "
    "writes one from the parameter schemas when the provider's spec has none.",
    failing=Example(patch={"/actionTemplates/0/examples": REMOVE}),
)


def check(doc: Document) -> Iterator[Finding]:
    """An action whose ``examples`` is absent or an empty list (another type is the schema
    rule's): at the action, or at its empty list."""
    for pointer, action in actions(doc.data):
        if action.get("examples", []) != []:
            continue
        present = "examples" in action
        yield finding(
            doc,
            ACTION_EXAMPLES_MISSING,
            f"{pointer}/examples" if present else pointer,
            f"{action_name(action, pointer)} has no example; `hubtool drafts test` runs an "
            "action's examples, so it cannot be tested: add one",
            at_key=present,
        )
