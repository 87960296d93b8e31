"""Schema walks against plain reference walks, differentially: ``walk_schemas`` (iterative)
against the recursive walk it replaced, and ``references`` (a repr prefilter, then the walk)
against the walk alone, on generated schema-like trees with reference keywords at any depth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fuzzkit import budget
from hypothesis import given
from hypothesis import strategies as st

from hubtool.core.inputs import SchemaPointers, sub_schemas, walk_schemas
from hubtool.core.manifest import as_dict
from hubtool.core.schema import _references, holds_reference, references


def recursive_walk(schema: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    yield from recursive_walk(schema.get("items"), f"{pointer}/items")
    for name, sub in as_dict(schema.get("properties")).items():
        escaped = name.replace("~", "~0").replace("/", "~1")
        yield from recursive_walk(sub, f"{pointer}/properties/{escaped}")
    yield from recursive_walk(schema.get("additionalProperties"), f"{pointer}/additionalProperties")


KEYS = st.sampled_from(
    ["items", "properties", "additionalProperties", "patternProperties", "enum", "default",
     "a/b", "~", "$ref", "$id", "$defs", "definitions", "$comment", "type", "x"]
)  # fmt: skip
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(["$ref", "'$x'", "s"]))
TREES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=30,
)


@budget("validate-structure", ci=300)
@given(schema=TREES)
def test_schema_walks_equal_the_reference_walks(schema: Any) -> None:
    assert list(walk_schemas(schema, "/p")) == list(recursive_walk(schema, "/p"))
    found = list(_references(schema, "/p"))
    assert list(references(schema, "/p")) == found
    assert holds_reference(schema) == bool(found)


@budget("validate-structure", ci=300)
@given(schema=TREES, asked=st.lists(st.integers(0, 40), max_size=5))
def test_sub_schemas_and_their_pointers_are_the_walk(schema: Any, asked: list[int]) -> None:
    """``sub_schemas`` (no pointers) and ``SchemaPointers`` (built on first ask) give what
    ``walk_schemas`` gives, position by position, the same objects."""
    walked = list(walk_schemas(schema, "/p"))
    subs = sub_schemas(schema)
    assert len(subs) == len(walked)
    assert all(sub is node for sub, (_, node) in zip(subs, walked, strict=True))
    pointers = SchemaPointers(schema, "/p")
    for index in asked:
        if index < len(walked):
            assert pointers[index] == walked[index][0]
