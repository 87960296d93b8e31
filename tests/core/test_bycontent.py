"""``core.bycontent.ByContent`` (answers kept by a value's content: the query parameters' type
and bound checks, the body fields' checks) against the functions it keeps answers of,
differentially (issue 11): the same answer first and from the cache, for hostile schemas and
for schemas equal by ``==`` but not in content (1, 1.0 and True; keys in another order)."""

from __future__ import annotations

from typing import Any

from fuzzkit import budget, json_values
from hypothesis import given
from hypothesis import strategies as st

from hubtool.core.bycontent import ByContent
from hubtool.validate.rules import body, inputs

NEAR = [
    {"type": "string", "maxLength": 1},
    {"type": "string", "maxLength": 1.0},
    {"type": "string", "maxLength": True},
    {"maxLength": 1, "type": "string"},
    {"type": "integer", "minimum": 0, "maximum": 2**53},
    {"type": "integer", "minimum": 0, "maximum": 2**53 - 1},
    {"type": "array", "items": {"type": "string", "maxLength": 9000}, "maxItems": 5},
    {"type": ["string", "null"], "pattern": "^[a-z]{1,9}$"},
]
SCHEMAS = st.one_of(
    st.sampled_from(NEAR),
    st.dictionaries(
        st.sampled_from(
            [
                "type",
                "maxLength",
                "maxItems",
                "minimum",
                "maximum",
                "pattern",
                "enum",
                "items",
                "format",
            ]
        ),
        json_values,
        max_size=4,
    ),
    json_values,
)


def judged(cache: ByContent, schema: Any) -> list[Any]:
    found = [cache.answer(inputs.type_problem, schema)]
    if isinstance(schema, dict):
        for cap in (inputs.MAX_COUNT, inputs.MAX_QUERY_LENGTH):
            found.append(cache.answer(inputs.bound_problem, schema, cap))
        found.append(cache.answer(body._schema_problem, schema))
    return found


def reference(schema: Any) -> list[Any]:
    found = [inputs.type_problem(schema)]
    if isinstance(schema, dict):
        for cap in (inputs.MAX_COUNT, inputs.MAX_QUERY_LENGTH):
            found.append(inputs.bound_problem(schema, cap))
        found.append(body._schema_problem(schema))
    return found


@budget("validate-structure", ci=200)
@given(schemas=st.lists(SCHEMAS, max_size=4))
def test_answers_equal_the_functions(schemas: list[Any]) -> None:
    cache = ByContent(limit=3, key_max=200)  # small: emptied and bypassed too
    for schema in [*schemas, *NEAR, *schemas]:
        assert judged(cache, schema) == reference(schema)


def test_near_equal_schemas_are_told_apart() -> None:
    cache = ByContent()
    found = [cache.answer(inputs.bound_problem, schema, inputs.MAX_COUNT) for schema in NEAR[:3]]
    assert found[0] is None and found[1] is None and found[2] is not None
    assert found == [inputs.bound_problem(schema, inputs.MAX_COUNT) for schema in NEAR[:3]]
