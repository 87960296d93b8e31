"""``InputPlan.valid`` (the examples' fast path: the input schema taken apart once per action,
each parameter value asked of its own compiled validator) against the reference,
python-jsonschema on ``input_schema(action)`` (differential, issue 11): ``valid`` is True only
for inputs the reference finds no problem in, for hostile actions and inputs, and True for the
shipped manifest's examples (the path is taken)."""

from __future__ import annotations

import copy
import json
from typing import Any

from fuzzkit import budget, json_values, mutated
from hypothesis import given
from hypothesis import strategies as st
from test_input_memo import hostile_actions
from test_robustness import ORIGINAL

from hubtool.core.inputs import InputPlan, _value_report, input_schema
from hubtool.core.manifest import actions, as_dict, as_list
from hubtool.load.strict import Document, parse


def strict(value: Any) -> Any:
    """``value`` as the strict loader returns it (None: refused), as examples are."""
    try:
        doc = parse(json.dumps(value))
    except (ValueError, TypeError, RecursionError):
        return None
    return doc.data if isinstance(doc, Document) else None


def assert_sound(action: dict[str, Any], data: Any) -> None:
    """Asked twice (the second time from the plan's compiled validators)."""
    if not isinstance(data, dict):
        return
    plan = InputPlan(action)
    expected = _value_report(input_schema(action), copy.deepcopy(data))[0]
    for _ in range(2):
        if plan.valid(data):
            assert expected == []


VALUES = st.one_of(
    st.sampled_from(["a", 5, 5.5, True, None, [1], {"a": 1}, "2024-01-01"]), json_values
)
INPUTS = st.dictionaries(
    st.sampled_from(["path", "query", "body", "header", ""]),
    st.one_of(st.dictionaries(st.sampled_from(["id", "org", "q", "limit", ""]), VALUES), VALUES),
    max_size=4,
)


@budget("validate-structure", ci=200)
@given(action=hostile_actions, data=INPUTS)
def test_hostile_actions_and_inputs(action: dict[str, Any], data: dict[str, Any]) -> None:
    data = strict(data)
    if data is not None:
        assert_sound(action, data)


@budget("validate-structure", ci=60)
@given(data=mutated())
def test_mutated_manifests(data: Any) -> None:
    for _, action in actions(data.data):
        for example in as_list(action.get("examples")):
            assert_sound(action, strict(as_dict(as_dict(example).get("input"))))


def test_the_shipped_examples_are_cleared() -> None:
    found = [
        InputPlan(action).valid(as_dict(example["input"]))
        for _, action in actions(ORIGINAL)
        for example in as_list(action.get("examples"))
    ]
    assert found and all(found)
    action = copy.deepcopy(ORIGINAL["actionTemplates"][0])
    action.setdefault("examples", [])
    assert not InputPlan(action).valid({"query": {"not-a-parameter": 1}})


FIELDS = st.sampled_from(
    [
        {"type": "integer", "maximum": 5},
        {"type": "boolean"},
        {"type": "string", "maxLength": 3, "pattern": "^[a-z]+$"},
        {"type": "object", "additionalProperties": False, "properties": {"n": {"type": "number"}}},
        {"type": "array", "items": {"type": "integer"}, "maxItems": 2},
        {"type": "string", "pattern": "\\\\bx"},
        True,
        False,
        {},
    ]
)
BODIES = st.builds(
    lambda properties, required, bounds: {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": required,
        **bounds,
    },
    st.dictionaries(st.sampled_from(["a", "b", "c"]), FIELDS, max_size=3),
    st.lists(st.sampled_from(["a", "b", "z"]), max_size=2),
    st.sampled_from([{}, {"minProperties": 1}, {"maxProperties": 1}, {"description": "d"}]),
)
BODY_VALUES = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(
        st.sampled_from([1, 1.0, True, 7, "ab", "ABC", {"n": 1}, {"n": "x"}, [1], []]), VALUES
    ),
    max_size=3,
)


@budget("validate-structure", ci=200)
@given(body=BODIES, value=st.one_of(BODY_VALUES, VALUES))
def test_closed_bodies(body: dict[str, Any], value: Any) -> None:
    action = {"method": "POST", "requestBodyMode": "json", "inputs": {"body": body}}
    data = strict({"body": value})
    if data is not None:
        assert_sound(action, data)
