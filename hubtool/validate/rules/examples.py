"""Rule ``examples-valid``: examples validate against the inputs and render under the origin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core import urls
from hubtool.core.findings import ERROR, Finding
from hubtool.core.inputs import InputPlan, value_problems
from hubtool.core.manifest import action_name, actions, as_dict, as_list, ports
from hubtool.core.registry import Example, Rule, finding
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


def check(doc: Document) -> Iterator[Finding]:
    base = next((p.get("baseUrl") for _, p in ports(doc.data)), None)
    heads: dict[str, str] = {}  # rendered URL path -> its problem ("" for none), base fixed
    for pointer, action in actions(doc.data):
        found = [
            (i, e) for i, e in enumerate(as_list(action.get("examples"))) if isinstance(e, dict)
        ]
        if not found:
            continue  # no input schema to build
        checked = InputPlan(action)  # one action's examples, one schema taken apart
        for index, example in found:
            if _clean(action, checked, example, (base, heads)):
                continue  # most examples: judged without a pointer or a generator
            at = f"{pointer}/examples/{index}"
            yield from _check_example(doc, at, action, checked, example, (base, heads))


def _clean(
    action: dict[str, Any],
    checked: InputPlan,
    example: dict[str, Any],
    where: tuple[Any, dict[str, str]],
) -> bool:
    """True when ``_check_example`` would find nothing: the plan clears the input and its
    rendered path has no problem (or is not rendered). False: maybe; ask it."""
    data = as_dict(example.get("input"))
    if not checked.valid(data):
        return False
    base, heads = where
    template = action.get("path")
    if not isinstance(base, str) or not isinstance(template, str):
        return True
    head = rendered_head(base, template, as_dict(data.get("path")))
    if head not in heads:
        heads[head] = _head_problem(head, base)
    return not heads[head]


def _check_example(
    doc: Document,
    at: str,
    action: dict[str, Any],
    checked: InputPlan,
    example: dict[str, Any],
    where: tuple[Any, dict[str, str]],
) -> Iterator[Finding]:
    data = as_dict(example.get("input"))
    problems = [] if checked.valid(data) else _problems(checked, data)
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


def _problems(checked: InputPlan, data: dict[str, Any]) -> list[Any]:
    """``value_problems`` of an input the plan could not clear (data from a strict document)."""
    schema, memo = checked.schema()
    return value_problems(schema, data, memo, plain=True)


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
