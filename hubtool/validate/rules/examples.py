"""Rule ``examples-valid``: examples validate against the inputs and render under the origin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubtool.core import urls
from hubtool.core.findings import ERROR, Finding
from hubtool.core.inputs import input_schema, value_problems
from hubtool.core.manifest import action_name, actions, as_dict, as_list, ports
from hubtool.core.registry import Example, Rule, finding
from hubtool.core.schema.fast import Memo
from hubtool.core.secrets import safe_repr
from hubtool.drafts.render import render_url
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
    for pointer, action in actions(doc.data):
        schema = input_schema(action)
        memo: Memo = {}  # one action's examples, one schema
        for index, example in enumerate(as_list(action.get("examples"))):
            if isinstance(example, dict):
                at = f"{pointer}/examples/{index}"
                yield from _check_example(doc, at, action, (schema, memo), example, base)


def _check_example(
    doc: Document,
    at: str,
    action: dict[str, Any],
    checked: tuple[dict[str, Any], Memo],
    example: dict[str, Any],
    base: Any,
) -> Iterator[Finding]:
    data = as_dict(example.get("input"))
    schema, memo = checked  # the action's input schema, and what its examples found of it
    problems = value_problems(schema, data, memo)
    label = _label(action, at, example) if problems else ""
    for problem in problems:
        yield finding(
            doc,
            EXAMPLES_VALID,
            f"{at}/input{pointer_of(*problem.path)}",
            f"{label}: {problem.message}",
            at_key=problem.at_key,
        )
    if problems or not isinstance(base, str) or not isinstance(action.get("path"), str):
        return
    url = render_url(base, action, data)
    if PLACEHOLDER.search(url.split("?")[0]):
        label = _label(action, at, example)
        yield finding(
            doc,
            EXAMPLES_VALID,
            f"{at}/input",
            f"{label}: a path placeholder has no value; {_PLACEHOLDER_FIX}",
        )
    elif not under_base(url, base):
        label = _label(action, at, example)
        yield finding(
            doc,
            EXAMPLES_VALID,
            f"{at}/input",
            f"{label}: renders to a URL outside {safe_repr(base)}; check the path and its values",
        )


_PLACEHOLDER_FIX = "give each placeholder of the path a value in input.path"


def _label(action: dict[str, Any], at: str, example: dict[str, Any]) -> str:
    """How a message names an example (made only for one)."""
    return f"{action_name(action, at)}, example {example.get('name')!r}"


def under_base(url: str, base: str) -> bool:
    """``urls.under(url, base)``, asked of ``url`` up to its first ``?``: a query moves no URL
    off an origin or a path (``urlsplit`` ends the netloc and the path at the first ``?``), and
    without it an action's examples render the same URL, whose parts are cached."""
    return urls.under(url.partition("?")[0], base)
