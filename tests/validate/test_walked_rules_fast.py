"""``defaults-valid``, ``valid-pattern``, ``safe-pattern`` and ``bounded-body`` (their fast path:
the schemas walked without pointers, ``inputs.sub_schemas``, a pointer built for a finding
only, ``inputs.SchemaPointers``) against the reference, which walks with every pointer
(``walk_schemas``), differentially (issue 11): same findings, same order, for mutated
manifests and hostile nested schemas with defaults, patterns and open objects at any depth."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from fuzzkit import budget, json_values, mutated
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import ORIGINAL

from hubtool.core.findings import Finding
from hubtool.core.inputs import value_problems, walk_schemas
from hubtool.core.manifest import (
    READ_METHODS,
    action_name,
    actions,
    body_schema,
    parameters,
    schema_types,
)
from hubtool.core.registry import finding
from hubtool.core.secrets import safe_repr
from hubtool.load.strict import Document, parse, pointer_of
from hubtool.validate.rules import body, inputs


def reference_inputs(doc: Document) -> Iterator[Finding]:
    """``defaults-valid`` and the two pattern rules over ``walk_schemas`` (the reference)."""
    for pointer, action in actions(doc.data):
        name = action_name(action, pointer)
        params = list(parameters(action, pointer))
        yield from inputs._typed_query(doc, pointer, action, params)
        schemas = [
            s for p, param in params for s in walk_schemas(param.get("schema"), f"{p}/schema")
        ]
        schemas += walk_schemas(body_schema(action), f"{pointer}/inputs/body")
        yield from inputs._defaults(doc, pointer, action, params, [])
        for at, schema in schemas:
            if "default" in schema:
                for problem in value_problems(schema, schema["default"], plain=True):
                    yield finding(
                        doc,
                        inputs.DEFAULTS_VALID,
                        f"{at}/default{pointer_of(*problem.path)}",
                        f"{name}: default: {problem.message}",
                    )
        for at, schema in schemas:
            pattern = schema.get("pattern")
            if not isinstance(pattern, str):
                continue
            error = inputs.compile_error(pattern)
            if error:
                fix = inputs._SYNTAX_FIX if error.startswith("not an ECMA-262") else ""
                message = f"invalid regular expression {safe_repr(pattern, limit=80)}: {error}"
                yield finding(doc, inputs.VALID_PATTERN, f"{at}/pattern", f"{name}: {message}{fix}")
                continue
            slow = inputs.backtracking_problem(pattern)
            if slow:
                fix = inputs._BACKTRACKING_FIX if slow.startswith("can backtrack") else ""
                message = f"pattern {safe_repr(pattern, limit=80)} {slow}"
                yield finding(doc, inputs.SAFE_PATTERN, f"{at}/pattern", f"{name}: {message}{fix}")


def reference_body(doc: Document) -> Iterator[Finding]:
    """``bounded-body`` as it was: the body walked with every pointer (``walk_schemas``)."""
    for pointer, action in actions(doc.data):
        name, mode, schema = (
            action_name(action, pointer),
            action.get("requestBodyMode"),
            body_schema(action),
        )
        method = str(action.get("method")).upper() if isinstance(action.get("method"), str) else ""
        if mode == "json" and method in READ_METHODS:
            message = f"{name}: {method} requests carry no body; use requestBodyMode 'none'"
            yield finding(doc, body.BOUNDED_BODY, f"{pointer}/requestBodyMode", message)
        if mode == "none" and schema is not None:
            message = (
                f"{name}: requestBodyMode is 'none' but inputs.body is declared; "
                "remove inputs.body or use requestBodyMode 'json'"
            )
            yield finding(doc, body.BOUNDED_BODY, f"{pointer}/inputs/body", message)
        if mode != "json":
            continue
        if not isinstance(schema, dict):
            message = (
                f"{name}: requestBodyMode 'json' needs inputs.body, a closed object schema "
                "of the fields the action supports"
            )
            yield finding(doc, body.BOUNDED_BODY, f"{pointer}/requestBodyMode", message)
            continue
        if schema_types(schema) != {"object"}:
            message = f"{name}: inputs.body must be an object schema (type 'object')"
            yield finding(doc, body.BOUNDED_BODY, f"{pointer}/inputs/body", message)
            continue
        for at, sub in walk_schemas(schema, f"{pointer}/inputs/body"):
            problem = body._schema_problem(sub)
            if problem:
                where, message = problem
                yield finding(doc, body.BOUNDED_BODY, at + where, f"{name}: body {message}")


def assert_same(data: Any) -> None:
    doc = parse(json.dumps(data, indent=2))
    if not isinstance(doc, Document):
        return
    assert list(inputs.check(doc)) == list(reference_inputs(doc))
    assert list(body.check(doc)) == list(reference_body(doc))


@budget("validate-structure", ci=80)
@given(data=mutated())
def test_mutated_manifests(data: Any) -> None:
    assert_same(data.data)


LEAF = st.sampled_from(
    [
        {"type": "string", "maxLength": 5, "default": "toolong"},
        {"type": "string", "pattern": "^(a+)+$", "maxLength": 9},
        {"type": "string", "pattern": "[", "maxLength": 9},
        {"type": "integer", "default": 1},
        {"type": "string"},
        {},
    ]
)
NAMES = st.sampled_from(["a", "b/c", "~", "items", "x"])
SCHEMAS = st.recursive(
    st.one_of(LEAF, json_values),
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {"type": st.just("object"), "properties": st.dictionaries(NAMES, inner, max_size=3)},
            optional={"additionalProperties": st.one_of(st.just(False), inner)},
        ),
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
    ),
    max_leaves=8,
)


@budget("validate-structure", ci=150)
@given(params=st.lists(SCHEMAS, max_size=3), schema=SCHEMAS)
def test_hostile_nested_schemas(params: list[Any], schema: Any) -> None:
    data = copy.deepcopy(ORIGINAL)
    action = data["actionTemplates"][-1]
    action["method"] = "POST"
    action["requestBodyMode"] = "json"
    action["inputs"] = {
        "parameters": [{"name": f"p{i}", "in": "query", "schema": s} for i, s in enumerate(params)],
        "body": schema,
    }
    assert_same(data)
