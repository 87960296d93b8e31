"""jsonschema-rs verdicts (``hubtool.core.schema.fast``) against python-jsonschema, differentially.

The property, for the manifest schema, the action-template definition and input schemas (examples
and defaults): wherever the fast engine gives a verdict, it equals "the python validator yields no
error". Inputs are mutated Sentry manifests (fuzzkit) and hostile schemas and values built from
the places the two engines are known to differ: ECMA-262 patterns (``\\d``, ``\\w``, ``$``,
``\\b``, Unicode), 1 against 1.0 in enum/const/uniqueItems, big and odd numbers, formats.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from conftest import SENTRY
from fuzzkit import Mutant, budget, json_values, mutated, numbers
from hypothesis import given
from hypothesis import strategies as st
from test_robustness import ORIGINAL

from hubtool.core.inputs import FORMATS, _value_report, input_schema, value_problems, value_valid
from hubtool.core.manifest import actions, as_list, parameters
from hubtool.core.schema import action_validator, manifest_schema, manifest_validator
from hubtool.core.schema.fast import (
    ValueEngine,
    action_verdict,
    content_key,
    differs,
    manifest_rs,
    manifest_verdict,
)

ENGINE = ValueEngine(FORMATS)
WHOLE = ValueEngine(FORMATS, split=False)
"""Compiles every schema whole: the reference for closed object schemas taken apart."""


def python_ok(schema: Any, value: Any) -> bool:
    """Today's path: python-jsonschema finds no problem (a broken schema counts as none)."""
    return not _value_report(schema, value)[0]


def assert_agrees(schema: Any, value: Any) -> None:
    verdict = ENGINE.verdict(schema, value)
    if verdict is not None:
        assert verdict == python_ok(schema, value), (schema, value)
    assert value_valid(schema, value) == python_ok(schema, value), (schema, value)


# --- hostile schemas and values ----------------------------------------------------------------

PATTERNS = (
    "^\\d+$", "^\\w+$", "^a$", "a$", "^[a-z]+$", "\\bfoo", "foo\\B", "^\\s*$", "^.$", "^[^a]$",
    "(?i)abc", "^(?:[A-Za-z0-9-]{1,8})$", "\\p{L}", "\\p{Lu}+", "^\\u00e9$", "[\\u0600-\\u06ff]",
    "(?<=a)b", "(a)\\1", "^a{4294967296}$", "[", "^\\Z", "\\A", "^(a+)+$", ".", "",
    "^[\\d-]+$", "\\D", "\\W", "^\\S+$", "[\\b]", "\\\\b", "^\ud7ff$", "\U0001f600", "^.{2}$",
)  # fmt: skip
STRINGS = (
    "", "a", "A", "abc", "ABC", "foo", "foobar", "a foo", "\u0663", "\u00b2", "\u00e9", "e\u0301",
    "a\n", "\n", "\u2028", "\u00a0", "\ufeff", " ", "1", "12", "-", "\U0001f600", "\u00e9t\u00e9",
    "2024-02-29", "2023-02-29", "2024-01-01T00:00:00Z", "2024-01-01t00:00:00+01:00", "12:00:00",
    "12:00:00.5z", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f6457174562b3fc2c963f66afa6",
    "a@b.co", "a@b", "@b.co", "https://x.example/a", "x.example", "-x.example", "a" * 64,
    "^[a-z]+$", "(?<=a)b", "[", "127.0.0.1", "::1", "P1D", "/a/b", "*", "\u00e9foo", "foo\u00e9",
)  # fmt: skip
FORMAT_NAMES = (*FORMATS, "ipv4", "ipv6", "uri-reference", "duration", "json-pointer", "foo")
NUMBERS = (
    0, 1, 1.0, -0.0, 0.5, 0.3, 0.07, 4.35, 2**53, 2**53 + 1, float(2**53), 2**64 + 1, 10**300,
    1e308, True, math.inf, -math.inf, math.nan,
)  # fmt: skip

KEYS = ("a", "A", "foo", "\u0663", "\u00e9", "1", "a\n", "", "abc")
ARRAYS = (
    [1, 1.0], [True, 1], [-0.0, 0], [2**53 + 1, float(2**53)], [2**64, 2**64 + 1],
    [{"a": [1]}, {"a": [1.0]}], ["a", "a"], [1, "1"], [], [None, False, 0],
)  # fmt: skip

strings = st.one_of(st.sampled_from(STRINGS), st.text(max_size=6))
plain_numbers = st.one_of(st.sampled_from(NUMBERS), numbers)
values = st.one_of(
    strings,
    plain_numbers,
    st.lists(st.one_of(plain_numbers, strings, st.sampled_from(ARRAYS[0])), max_size=4),
    st.dictionaries(st.sampled_from(KEYS), plain_numbers, max_size=3),
    json_values,
)

leaf_keywords = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(("string", "integer", "number", "array", "object",
              "boolean", "null", ["string", "null"], ["integer", "number"]))),
    st.tuples(st.just("pattern"), st.sampled_from(PATTERNS)),
    st.tuples(st.just("format"), st.sampled_from(FORMAT_NAMES)),
    st.tuples(st.just("enum"), st.lists(st.one_of(plain_numbers, strings, st.none(),
              st.sampled_from(([1], [1.0], {"a": 1.0}, {"a": True}))), min_size=1, max_size=4)),
    st.tuples(st.just("const"), st.one_of(plain_numbers, strings, st.sampled_from(ARRAYS))),
    st.tuples(st.just("uniqueItems"), st.booleans()),
    st.tuples(st.sampled_from(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")),
              plain_numbers),
    st.tuples(st.just("multipleOf"), st.sampled_from((0.1, 0.01, 2, 7, 1.5))),
    st.tuples(st.sampled_from(("minLength", "maxLength", "minItems", "maxItems", "minProperties",
              "maxProperties", "minContains", "maxContains")), st.integers(0, 3)),
    st.tuples(st.just("required"), st.lists(st.sampled_from(("a", "b", "foo")), max_size=2)),
    st.tuples(st.just("dependentRequired"), st.just({"a": ["b"]})),
    st.tuples(st.sampled_from(("$ref", "$schema", "$id", "$defs", "dependencies",
              "unevaluatedProperties", "additionalItems", "nullable", "x-note")),
              st.sampled_from(("#", "#/nowhere", {}, False, {"a": ["b"]}))),
)  # fmt: skip


@st.composite
def schemas(draw: st.DrawFn, depth: int = 2) -> Any:
    """A small JSON Schema of hostile keywords, nested ``depth`` levels at most."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.booleans())
    schema: dict[str, Any] = dict(draw(st.lists(leaf_keywords, max_size=4)))
    if depth:
        sub = schemas(depth=depth - 1)
        nested = st.one_of(
            st.tuples(st.just("properties"), st.dictionaries(st.sampled_from(("a", "b", "foo",
                      "\u0663")), sub, max_size=2)),
            st.tuples(st.just("patternProperties"), st.dictionaries(st.sampled_from(PATTERNS),
                      sub, max_size=2)),
            st.tuples(st.sampled_from(("additionalProperties", "items", "contains", "not",
                      "propertyNames", "if", "then", "else")), sub),
            st.tuples(st.sampled_from(("anyOf", "oneOf", "allOf", "prefixItems")),
                      st.lists(sub, min_size=1, max_size=2)),
            st.tuples(st.just("dependentSchemas"), st.dictionaries(st.just("a"), sub, max_size=1)),
        )  # fmt: skip
        schema.update(draw(st.lists(nested, max_size=2)))
    return schema


@budget("validate-structure", ci=300)
@given(schema=schemas(), value=values)
def test_value_verdicts_equal_python_on_hostile_schemas(schema: Any, value: Any) -> None:
    assert_agrees(schema, value)


@budget("validate-structure", ci=60)
@given(data=mutated())
def test_manifest_verdict_equals_python(data: Mutant) -> None:
    verdict = manifest_verdict(data.data)
    assert verdict is not None  # plain JSON: jsonschema-rs always answers for the manifest
    assert verdict == (not any(True for _ in manifest_validator().iter_errors(data.data)))


@budget("validate-structure", ci=60)
@given(action=mutated(base=ORIGINAL["actionTemplates"][0]))
def test_action_verdict_equals_python(action: Mutant) -> None:
    verdict = action_verdict(action.data)
    assert verdict is not None
    assert verdict == (not any(True for _ in action_validator().iter_errors(action.data)))


@budget("validate-structure", ci=60)
@given(data=mutated())
def test_example_and_default_verdicts_equal_python(data: Mutant) -> None:
    """The schemas and values the examples-valid and defaults-valid rules validate."""
    for pointer, action in actions(data.data):
        schema = input_schema(action)
        for example in as_list(action.get("examples")):
            if isinstance(example, dict):
                assert_agrees(schema, example.get("input"))
                assert_split_as_fast(schema, example.get("input"))
        for _, param in parameters(action, pointer):
            if "default" in param:
                assert_agrees(param.get("schema"), param["default"])


@budget("validate-structure", ci=60)
@given(data=mutated())
def test_a_memo_changes_no_verdict_and_no_problem(data: Mutant) -> None:
    """examples-valid keeps one ``Memo`` per action, bounded-path one per path parameter:
    verdicts and problems are the same without it."""
    for pointer, action in actions(data.data):
        schema, memo = input_schema(action), {}
        inputs = [e.get("input") for e in as_list(action.get("examples")) if isinstance(e, dict)]
        for value in [*inputs, *inputs]:
            assert ENGINE.verdict(schema, value, memo) == ENGINE.verdict(schema, value)
            assert value_problems(schema, value, memo) == value_problems(schema, value)
        for _, param in parameters(action, pointer):  # bounded-path: one memo, three values
            memo = {}
            for value in ("", ".", "..", ""):
                valid = value_valid(param.get("schema"), value, memo)
                assert valid == value_valid(param.get("schema"), value)


def assert_split_as_fast(schema: Any, value: Any) -> None:
    """Taken apart, a closed object schema answers wherever the whole compiled one says valid,
    and says invalid only where that one does (not taken apart; else python-jsonschema decides)."""
    split = ENGINE.verdict(schema, value)
    if split is False:
        assert WHOLE.verdict(schema, value) is False, (schema, value)
    if WHOLE.verdict(schema, value) is True:
        assert split is True, (schema, value)


BOUNDS = st.sampled_from([0, 1, 2, 3, 1.0, True, -1, "1", None])
ANNOTATIONS = st.sampled_from(["x", "", 1, None, ["x"]])
CLOSED_EXTRAS = st.fixed_dictionaries(
    {},
    optional={
        "required": st.sampled_from([[], ["a"], ["a", "b"], ["b", "b"], ["c"], "a", [1]]),
        "minProperties": BOUNDS,
        "maxProperties": BOUNDS,
        "description": ANNOTATIONS,
        "title": ANNOTATIONS,
        "minLength": st.just(1),
    },
)
"""What a closed object schema may hold besides its three keywords, hostile values included
(a float or bool bound, a non-string description), and one keyword it may not."""


@budget("validate-structure", ci=300)
@given(
    first=schemas(),
    second=schemas(),
    value=values,
    extras=CLOSED_EXTRAS,
    extra=st.dictionaries(st.sampled_from(["b", "c"]), values, max_size=2),
)
def test_closed_object_schemas_taken_apart_agree_with_python(
    first: Any, second: Any, value: Any, extras: dict[str, Any], extra: dict[str, Any]
) -> None:
    """The shape ``input_schema`` builds (and bodies often have), around hostile parts: the
    verdict of the parts is python-jsonschema's, and as often given as the whole schema's."""
    closed = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"a": first, "b": second},
        **extras,
    }
    for data in ({"a": value, **extra}, extra, value):
        assert_agrees(closed, data)
        assert_split_as_fast(closed, data)
        outer = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"p": closed},
            "required": ["p"],
        }
        assert_split_as_fast(outer, {"p": data})
        assert_agrees(outer, {"p": data})


# --- a grid: every hostile keyword against every value of its kind ------------------------------

GRID = (
    (
        [{"pattern": p} for p in PATTERNS]
        + [{"format": f} for f in FORMAT_NAMES]
        + [{"minLength": 2}, {"maxLength": 1}],
        [*STRINGS, 1, None],
    ),
    (
        [{"multipleOf": m} for m in (0.1, 0.01, 2, 7, 1.5)]
        + [{k: n} for k in ("minimum", "exclusiveMaximum") for n in NUMBERS]
        + [{"type": "integer"}, {"type": "number"}],
        [*NUMBERS, 1e-7, 5e-324, -(2**63) - 1, 3.0000000000000004],
    ),
    (
        [{"enum": [n]} for n in NUMBERS]
        + [{"const": n} for n in NUMBERS]
        + [{"enum": [[1], {"a": 1}]}, {"const": [1.0]}, {"uniqueItems": True}],
        [*NUMBERS, *ARRAYS, {"a": 1.0}, [1.0], "1"],
    ),
    (
        [{"patternProperties": {p: {"type": "string"}}} for p in PATTERNS]
        + [{"additionalProperties": False, "patternProperties": {p: {}}} for p in PATTERNS]
        + [{"propertyNames": {"pattern": p}} for p in PATTERNS]
        + [
            {"dependencies": {"a": ["b"]}}, {"dependentRequired": {"a": ["b"]}},
            {"unevaluatedProperties": False}, {"$ref": "#/nowhere"}, {"$ref": "#"},
            {"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": ["b"]}},
        ],
        [{key: value} for key in KEYS for value in (1, "x")] + [{"a": 1, "b": 1}, {}],
    ),
)  # fmt: skip
"""(schemas, values): each schema is judged against each value of its row."""


def test_value_verdicts_equal_python_on_the_whole_grid() -> None:
    wrong = []
    for group, pool in GRID:
        for schema in group:
            for value in pool:
                verdict = ENGINE.verdict(schema, value)
                if verdict is not None and verdict != python_ok(schema, value):
                    wrong.append((schema, value, verdict))
    assert wrong == [], wrong[:5]


# --- hand-picked cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"pattern": "^\\d+$"}, "\u0663"),  # ECMA \d is ASCII
        ({"pattern": "^\\w+$"}, "\u00e9"),
        ({"pattern": "^a$"}, "a\n"),  # ECMA $ is the very end
        ({"patternProperties": {"^\\d$": {"type": "string"}}}, {"\u0663": 1, "1": 1}),
        ({"additionalProperties": False, "patternProperties": {"^\\w$": {}}}, {"\u00e9": 1}),
        ({"enum": [1]}, 1.0),
        ({"enum": [1.0]}, 1),
        ({"enum": [True]}, 1),
        ({"enum": [{"a": 1}]}, {"a": 1.0}),
        ({"const": 1}, True),
        ({"const": 2**53 + 1}, float(2**53)),
        ({"enum": [2**64 + 1]}, 2**64),
        ({"uniqueItems": True}, [1, 1.0]),
        ({"uniqueItems": True}, [True, 1]),
        ({"uniqueItems": True}, [-0.0, 0]),
        ({"uniqueItems": True}, [2**53 + 1, float(2**53)]),
        ({"uniqueItems": True}, [{"a": [1]}, {"a": [1.0]}]),
        ({"maximum": 2**53}, 2**53 + 1),
        ({"maximum": float(2**53)}, 2**53 + 1),
        ({"minimum": 10**300}, 1e308),
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, 10**400),
        ({"maxLength": 1}, "\U0001f600"),
        ({"format": "date"}, "2023-02-29"),
        ({"format": "date-time"}, "2024-01-01T00:00:00"),
        ({"format": "email"}, "a@b"),
        ({"format": "regex"}, "(?<=a)b"),
        ({"format": "uri"}, "x.example"),
        ({"format": "hostname"}, "-x.example"),
        ({"format": "uuid"}, "3fa85f6457174562b3fc2c963f66afa6"),
    ],
)
def test_known_differences_agree_or_fall_back(schema: dict[str, Any], value: Any) -> None:
    assert ENGINE.verdict(schema, value) is not None  # decided by jsonschema-rs, and right
    assert_agrees(schema, value)


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"multipleOf": 0.1}, 0.3),  # python: not a multiple; Rust: a multiple
        ({"pattern": "\\b\u00e9"}, "a\u00e9"),  # ECMA (ASCII) and Rust (Unicode) boundaries
        ({"patternProperties": {"(?i)^a$": {"type": "string"}}}, {"b": 1}),  # unusable: all
        ({"pattern": "(?i)abc"}, "xyz"),
        ({"format": "ipv4"}, "x"),  # python asserts no ipv4
        ({"dependencies": {"a": ["b"]}}, {"a": 1}),  # draft 7, ignored under 2020-12
        ({"$ref": "#/nowhere"}, 1),
        ({"$schema": "http://json-schema.org/draft-07/schema#", "items": [{}]}, [1]),
        ({"unevaluatedProperties": False}, {"a": 1}),
        ({"maximum": 5}, math.inf),  # no number to jsonschema-rs
        ({"type": "number"}, math.nan),
        ({"maximum": math.inf}, 1),
        ({"type": "string"}, "\ud800"),  # lone surrogate: refused by jsonschema-rs
        ({"enum": [1, 2]}, {1, 2}),
        ({"items": [{"type": "string"}]}, [1]),  # refused by its meta-schema
    ],
)
def test_differing_cases_fall_back_to_python(schema: dict[str, Any], value: Any) -> None:
    assert ENGINE.verdict(schema, value) is None
    assert value_problems(schema, value) == _value_report(schema, value)[0]


def test_the_shipped_schemas_take_the_fast_path() -> None:
    sentry = json.loads(SENTRY.read_text(encoding="utf-8"))
    assert differs(manifest_schema(), None, trusted=True) is None  # not walked at start-up
    assert manifest_rs() is not None and manifest_rs() is manifest_rs()
    assert manifest_verdict(sentry) is True
    assert action_verdict(sentry["actionTemplates"][0]) is True
    assert manifest_verdict({**sentry, "typo": 1}) is False
    for _, action in actions(sentry):
        assert differs(input_schema(action), FORMATS) is None
        assert ENGINE.validator(input_schema(action)) is ENGINE.validator(input_schema(action))


def test_differs_reads_schema_positions_not_names() -> None:
    named = {"properties": {"multipleOf": {}, "$ref": {}, "pattern": {"type": "string"}}}
    assert differs(named, FORMATS) is None
    assert differs({"enum": [{"$ref": "#"}]}, FORMATS) is None  # data, not a reference
    assert differs({"items": {"multipleOf": 2}}, FORMATS) == "the keyword multipleOf"
    assert differs({"properties": {"a": {"format": "ipv4"}}}, FORMATS) == "the format ipv4"
    assert differs({"const": math.inf}, FORMATS) == "a number that is not finite"


def test_patterns_costly_to_compile_again_take_the_python_path() -> None:
    """jsonschema-rs compiles a pattern once per schema; ``hubtool.core.ecma`` once in all."""
    costly = {"type": "string", "pattern": "^(\\w{0,100}){0,100}$"}
    assert differs(costly, FORMATS) == "a pattern too costly to compile again"
    assert ENGINE.verdict(costly, "a" * 50) is None
    assert differs({"pattern": "^[a-z0-9.-]{1,253}$"}, FORMATS) is None


@budget("validate-structure", ci=200)
@given(left=json_values, right=json_values)
def test_content_keys_are_equal_only_for_equal_content(left: Any, right: Any) -> None:
    """``content_key`` (the compiled-validator cache's key) equal exactly when the reprs are
    (the key it replaced: types and keys' order told apart), for any two JSON values."""
    assert (content_key(left) == content_key(right)) == (repr(left) == repr(right))
    assert content_key(left) == content_key(copy.deepcopy(left))


def test_content_keys_tell_types_apart_and_fall_back() -> None:
    keys = [content_key(v) for v in ({"a": 1}, {"a": 1.0}, {"a": True}, {"a": "1"}, {"a": [1]})]
    assert len(set(keys)) == 5
    assert content_key({"b": 1, "a": 2}) != content_key({"a": 2, "b": 1})

    class Text(str):
        pass

    assert content_key({Text("a"): 1}) == repr({"a": 1})  # marshal refuses a subclass: repr
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    assert content_key(deep) is None
