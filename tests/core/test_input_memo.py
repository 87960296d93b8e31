"""The examples' fast path against its reference, differentially (issue 11).

- ``input_schema`` (one pass over the parameters) builds what the two-pass reference built:
  equal and in the same key order, for hostile parameter lists;
- ``input_schema_memo`` fills its ``Memo`` with what ``ValueEngine._node`` finds of those parts
  (``ValueEngine.known_closed`` skips the search);
- ``plain=True`` (a value of a strictly loaded document is not dumped to find out whether it is
  plain JSON) gives the verdict ``plain=False`` gives, for every value the strict loader returns.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from fuzzkit import budget, json_values, keys, mutated
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import ORIGINAL

from hubtool.core.inputs import _FAST, input_schema, input_schema_memo
from hubtool.core.manifest import actions, as_dict, as_list, body_schema
from hubtool.core.schema.fast import _closed
from hubtool.load.strict import Document, parse


def reference_input_schema(action: dict[str, Any]) -> dict[str, Any]:
    """``input_schema`` as it was before the one-pass version (the reference)."""
    groups: dict[str, dict[str, Any]] = {}
    for location in ("path", "query"):
        params = [
            p
            for p in as_list(as_dict(action.get("inputs")).get("parameters"))
            if isinstance(p, dict) and p.get("in") == location and isinstance(p.get("name"), str)
        ]
        groups[location] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {p["name"]: as_dict(p.get("schema")) for p in params},
            "required": [p["name"] for p in params if p.get("required") is True],
        }
    properties: dict[str, Any] = dict(groups)
    required = [location for location, group in groups.items() if group["required"]]
    body = body_schema(action)
    if action.get("requestBodyMode") == "json" and isinstance(body, dict):
        properties["body"] = body
        required.append("body")
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": required,
    }


def ordered(value: Any) -> Any:
    """``value`` with each object as a list of its items: equality that sees key order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


NAMES = st.one_of(st.sampled_from(["id", "org", "q", "limit", "", "a/b"]), keys, st.integers())
parameters = st.fixed_dictionaries(
    {},
    optional={
        "name": NAMES,
        "in": st.sampled_from(["path", "query", "header", "body", "", 1, None]),
        "required": st.sampled_from([True, False, 1, "true", None]),
        "schema": st.one_of(st.just({"type": "string", "maxLength": 10}), st.just({}), json_values),
    },
)
hostile_actions = st.fixed_dictionaries(
    {},
    optional={
        "inputs": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "parameters": st.one_of(
                        st.lists(st.one_of(parameters, json_values), max_size=8), json_values
                    ),
                    "body": st.one_of(st.just({"type": "object"}), json_values),
                },
            ),
            json_values,
        ),
        "requestBodyMode": st.sampled_from(["json", "none", None, 1]),
    },
)


@budget("validate-structure", ci=200)
@given(action=hostile_actions)
def test_input_schema_is_the_reference(action: dict[str, Any]) -> None:
    expected = reference_input_schema(copy.deepcopy(action))
    assert ordered(input_schema(action)) == ordered(expected)


def _memo_is_what_node_finds(action: dict[str, Any]) -> None:
    schema, memo = input_schema_memo(action)
    assert ordered(schema) == ordered(reference_input_schema(action))
    assert len(memo) == 3
    for key, (part, closed, compiled) in memo.items():
        assert id(part) == key and compiled is None
        assert closed == _closed(part) and closed is not None
    assert {id(schema), id(schema["properties"]["path"]), id(schema["properties"]["query"])} == set(
        memo
    )


@budget("validate-structure", ci=200)
@given(action=hostile_actions)
def test_input_schema_memo_holds_what_node_finds(action: dict[str, Any]) -> None:
    _memo_is_what_node_finds(action)


@budget("validate-structure", ci=60)
@given(data=mutated())
def test_input_schema_memo_of_mutated_manifests(data: Any) -> None:
    for _, action in actions(data.data):
        _memo_is_what_node_finds(action)


def _strict(value: Any) -> Document | None:
    """``value`` written as JSON and read back by the strict loader (None: refused)."""
    try:
        text = json.dumps(value)
    except (ValueError, TypeError, RecursionError):
        return None
    doc = parse(text)
    return doc if isinstance(doc, Document) else None


SCHEMAS = st.sampled_from(
    [
        {"type": "object", "properties": {"a": {"type": "integer", "maximum": 5}}},
        {"type": "number", "maximum": 5},
        {"type": "array", "items": {"type": "string", "maxLength": 3}},
        {"enum": [1, "a", None, [1], {"a": 1}]},
        {"type": "object", "additionalProperties": False, "properties": {"a": {}}},
        {"type": "string", "format": "date-time"},
        {},
    ]
)


@budget("validate-structure", ci=200)
@given(schema=SCHEMAS, value=json_values)
def test_plain_verdict_equals_the_checked_one(schema: dict[str, Any], value: Any) -> None:
    doc = _strict(value)
    if doc is None:
        return
    json.dumps(doc.data, allow_nan=False)  # what plain=True takes on trust
    assert _FAST.verdict(schema, doc.data, plain=True) == _FAST.verdict(schema, doc.data)
    memo: dict = {}
    assert _FAST.verdict(schema, doc.data, memo, plain=True) == _FAST.verdict(schema, doc.data)


def test_plain_is_needed_outside_strict_documents() -> None:
    """The check ``plain`` skips is a real one: infinity is no number to jsonschema-rs."""
    schema = {"type": "number", "maximum": 5}
    assert _FAST.verdict(schema, float("inf")) is None
    assert _FAST.verdict(schema, float("inf"), plain=True) is not None  # not asked of python
    assert _strict(float("inf")) is None  # the strict loader never returns it


def test_the_shipped_manifests_actions() -> None:
    for _, action in actions(ORIGINAL):
        _memo_is_what_node_finds(action)
        assert input_schema(action) == reference_input_schema(action)
