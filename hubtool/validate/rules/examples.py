"""Rule ``examples-valid``: examples validate against the inputs and render under the origin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core import urls
from hubtool.core.findings import ERROR, WARNING, Finding
from hubtool.core.inputs import input_schema_memo, value_problems
from hubtool.core.manifest import action_name, actions, as_dict, as_list, ports
from hubtool.core.registry import REMOVE, Example, Rule, finding
from hubtool.core.schema.fast import Memo
from hubtool.core.secrets import safe_repr
from hubtool.drafts.render import render_path
from hubtool.load.strict import Document, pointer_of
from hubtool.validate.rules.paths import PLACEHOLDER

EXAMPLES_VALID = Rule(
    id="examples-valid",
    severity=ERROR,
    family="examples",
    title="Examples validate and render under the origin",
    description="Each example's input validates against the action's inputs (path, query "
    "and body), and renders to a URL under the port's origin and base path.",
    fix="Correct the example input, or the inputs it should match.",
    failing=Example(patch={"/actionTemplates/0/examples/0/input/query/limit": 500}),
)

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
    yield from _missing(doc)
    base = next((p.get("baseUrl") for _, p in ports(doc.data)), None)
    heads: dict[str, str] = {}  # rendered URL path -> its problem ("" for none), base fixed
    for pointer, action in actions(doc.data):
        found = [
            (i, e) for i, e in enumerate(as_list(action.get("examples"))) if isinstance(e, dict)
        ]
        if not found:
            continue  # no input schema to build
        checked = input_schema_memo(action)  # one action's examples, one schema
        for index, example in found:
            at = f"{pointer}/examples/{index}"
            yield from _check_example(doc, at, action, checked, example, (base, heads))


def _missing(doc: Document) -> Iterator[Finding]:
    """An action whose ``examples`` is absent or an empty list (another type: the schema
    rule's)."""
    for pointer, action in actions(doc.data):
        examples = action.get("examples", [])
        if examples == []:
            at = f"{pointer}/examples" if "examples" in action else pointer
            yield finding(
                doc,
                ACTION_EXAMPLES_MISSING,
                at,
                f"{action_name(action, pointer)} has no example; `hubtool drafts test` runs an "
                "action's examples, so it cannot be tested: add one",
                at_key="examples" in action,
            )


def _check_example(
    doc: Document,
    at: str,
    action: dict[str, Any],
    checked: tuple[dict[str, Any], Memo],
    example: dict[str, Any],
    where: tuple[Any, dict[str, str]],
) -> Iterator[Finding]:
    data = as_dict(example.get("input"))
    schema, memo = checked  # the action's input schema, and what its examples found of it
    problems = value_problems(schema, data, memo, plain=True)  # data from a strict document
    label = _label(action, at, example) if problems else ""
    for problem in problems:
        yield finding(
            doc,
            EXAMPLES_VALID,
            f"{at}/input{pointer_of(*problem.path)}",
            f"{label}: {problem.message}",
            at_key=problem.at_key,
        )
    base, heads = where  # the port's base URL, and what the document's examples rendered
    template = action.get("path")
    if problems or not isinstance(base, str) or not isinstance(template, str):
        return
    head = rendered_head(base, template, as_dict(data.get("path")))
    if head not in heads:  # examples often render the same path: judged once
        heads[head] = _head_problem(head, base)
    if heads[head]:
        yield finding(
            doc, EXAMPLES_VALID, f"{at}/input", f"{_label(action, at, example)}: {heads[head]}"
        )


def _head_problem(head: str, base: str) -> str:
    """What is wrong with an example's rendered URL path ``head`` under ``base``; "" if nothing."""
    if PLACEHOLDER.search(head):
        return (
            "a path placeholder has no value; give each placeholder of the path a value in "
            "input.path"
        )
    if not under_base(head, base):
        return f"renders to a URL outside {safe_repr(base)}; check the path and its values"
    return ""


def rendered_head(base: str, template: str, values: dict[str, Any]) -> str:
    """``render_url(base, action, input)`` up to its first ``?``, the query never built: the
    rendered path is a prefix of the URL, and path values are percent-encoded (a ``?`` in one
    is ``%3F``), so the first ``?`` is the base's, the path template's or the query's own."""
    return urls.join(base, render_path(template, values)).partition("?")[0]


def _label(action: dict[str, Any], at: str, example: dict[str, Any]) -> str:
    """How a message names an example (made only for one)."""
    return f"{action_name(action, at)}, example {example.get('name')!r}"


def under_base(url: str, base: str) -> bool:
    """``urls.under(url, base)``, asked of ``url`` up to its first ``?``: a query moves no URL
    off an origin or a path (``urlsplit`` ends the netloc and the path at the first ``?``), and
    without it an action's examples render the same URL, whose parts are cached."""
    return urls.under(url.partition("?")[0], base)
