"""The ``examples-valid`` check (its fast path: the input schema and its closed parts built once
per action, values of a strict document not dumped again, the URL's path rendered without its
query) against the reference: python-jsonschema on a schema built per example, and the whole
``render_url`` asked ``urls.under`` (differential, issue 11). Same findings, same order, same
messages, pointers and line:col, for mutated manifests and hostile bases, paths and values."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from fuzzkit import budget, json_values, mutated
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import ORIGINAL

from hubtool.core import urls
from hubtool.core.findings import Finding
from hubtool.core.inputs import _value_report, input_schema
from hubtool.core.manifest import action_name, actions, as_dict, as_list, ports
from hubtool.core.registry import finding
from hubtool.core.secrets import safe_repr
from hubtool.drafts.render import render_url
from hubtool.load.strict import Document, parse, pointer_of
from hubtool.validate.rules import examples
from hubtool.validate.rules.paths import PLACEHOLDER


def reference(doc: Document) -> Iterator[Finding]:
    """The examples check with no fast path at all."""
    base = next((p.get("baseUrl") for _, p in ports(doc.data)), None)
    for pointer, action in actions(doc.data):
        for index, example in enumerate(as_list(action.get("examples"))):
            if not isinstance(example, dict):
                continue
            at = f"{pointer}/examples/{index}"
            label = f"{action_name(action, at)}, example {example.get('name')!r}"
            data = as_dict(example.get("input"))
            problems = _value_report(input_schema(action), copy.deepcopy(data))[0]
            for problem in problems:
                yield finding(
                    doc,
                    examples.EXAMPLES_VALID,
                    f"{at}/input{pointer_of(*problem.path)}",
                    f"{label}: {problem.message}",
                    at_key=problem.at_key,
                )
            if problems or not isinstance(base, str) or not isinstance(action.get("path"), str):
                continue
            url = render_url(base, action, data)
            if PLACEHOLDER.search(url.split("?")[0]):
                yield finding(
                    doc,
                    examples.EXAMPLES_VALID,
                    f"{at}/input",
                    f"{label}: a path placeholder has no value; give each placeholder of the "
                    "path a value in input.path",
                )
            elif not urls.under(url, base):
                outside = f"renders to a URL outside {safe_repr(base)}"
                message = f"{label}: {outside}; check the path and its values"
                yield finding(doc, examples.EXAMPLES_VALID, f"{at}/input", message)


def assert_same(data: Any) -> None:
    doc = parse(json.dumps(data, indent=2))
    if not isinstance(doc, Document):
        return
    assert list(examples.check(doc)) == list(reference(doc))


@budget("validate-structure", ci=80)
@given(data=mutated())
def test_mutated_manifests(data: Any) -> None:
    assert_same(data.data)


PARTS = st.sampled_from(
    [
        "https://", "api.example", "API.Example", ":443", ":99999", "u:p@", "/", "/v1", "/v1/",
        "..", ".", "?", "?q=1", "#", "%2F", "{id}", "{org}", "{missing}", "{", "}", "a", ":",
    ]
)  # fmt: skip
texts = st.lists(PARTS, max_size=6).map("".join)
VALUES = st.one_of(
    st.sampled_from(["", ".", "..", "...", "a/b", "?x", "#", "%", "x y", "\u00e9", "ok"]),
    st.booleans(),
    st.none(),
    st.integers(),
    json_values,
)


@budget("validate-structure", ci=150)
@given(
    base=texts,
    path=texts,
    values=st.dictionaries(st.sampled_from(["id", "org", "other"]), VALUES, max_size=3),
    query=st.dictionaries(st.sampled_from(["limit", "q"]), VALUES, max_size=2),
)
def test_hostile_bases_paths_and_values(
    base: str, path: str, values: dict[str, Any], query: dict[str, Any]
) -> None:
    data = copy.deepcopy(ORIGINAL)
    data["portTemplates"][0]["baseUrl"] = base
    action = data["actionTemplates"][0]
    action["path"] = path
    names = ["id", "org", "other"]
    action["inputs"]["parameters"] = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
    ] + [{"name": n, "in": "query", "schema": {}} for n in ("limit", "q")]
    action["examples"] = [{"name": "e", "input": {"path": values, "query": query}}, {"input": {}}]
    assert_same(data)


def test_the_shipped_manifest_and_a_few_findings() -> None:
    data = copy.deepcopy(ORIGINAL)
    assert_same(data)
    action = data["actionTemplates"][0]
    action["examples"] = [
        {"name": "bad", "input": {"path": {}, "query": {"limit": "x"}}},
        {"name": "out", "input": {"path": {"organizationIdOrSlug": "acme"}}},
        "not an example",
        {"name": "out again", "input": {"path": {"organizationIdOrSlug": "acme"}}},
        {"name": "no value", "input": {}},
        {"name": "no value again", "input": {"query": {}}},
    ]
    action["path"] = "/../{organizationIdOrSlug}?x"
    data["portTemplates"][0]["baseUrl"] = "https://sentry.io/api/0/"
    doc = parse(json.dumps(data, indent=2))
    assert isinstance(doc, Document)
    found = list(examples.check(doc))
    assert found == list(reference(doc))
    assert [f.pointer.split("/")[-2] for f in found if f.pointer.endswith("/input")] == [
        "1", "3", "4", "5"
    ]  # fmt: skip
