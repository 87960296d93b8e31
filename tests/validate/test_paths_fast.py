"""The ``bounded-path`` check (its fast path: a document's path parameter schemas judged once
per content, ``paths.judged_once``) against the reference, which judges every parameter's
schema (differential, issue 11): same findings, same order, for mutated manifests and for
actions that repeat schemas equal in repr or not (1, 1.0 and true; keys in another order)."""

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
from hubtool.core.manifest import actions
from hubtool.load.strict import Document, parse
from hubtool.validate.rules import paths


def reference(doc: Document) -> Iterator[Finding]:
    """The check with every path parameter's schema judged anew."""

    class Fresh(dict[str, Any]):
        def __contains__(self, key: object) -> bool:
            return False

    for pointer, action in actions(doc.data):
        path = action.get("path")
        if isinstance(path, str):
            yield from paths._check_action(doc, pointer, action, path, Fresh())


def assert_same(data: Any) -> None:
    doc = parse(json.dumps(data, indent=2))
    if isinstance(doc, Document):
        assert list(paths.check(doc)) == list(reference(doc))


@budget("validate-structure", ci=80)
@given(data=mutated())
def test_mutated_manifests(data: Any) -> None:
    assert_same(data.data)


SCHEMAS = st.one_of(
    st.sampled_from(
        [
            {"enum": [1]},
            {"enum": [1.0]},
            {"enum": [True]},
            {"enum": ["a/b"]},
            {"type": "integer"},
            {"type": "string", "pattern": "^[a-z]{1,9}$"},
            {"pattern": "^[a-z]{1,9}$", "type": "string"},
            {"type": "string", "pattern": "^[a-z]{0,9}$"},
            {"type": "string", "pattern": "^[a-z/]{1,9}$"},
            {"type": "string", "pattern": "^[a-z.]{1,9}$", "minLength": 3},
            {"type": "string", "pattern": "^[a-z.]{1,9}$"},
            {"type": "string", "pattern": "(", "maxLength": 3},
        ]
    ),
    json_values,
)


@budget("validate-structure", ci=150)
@given(schemas=st.lists(SCHEMAS, min_size=1, max_size=6), picks=st.lists(st.integers(0, 5)))
def test_repeated_and_near_equal_schemas(schemas: list[Any], picks: list[int]) -> None:
    data = copy.deepcopy(ORIGINAL)
    template = data["actionTemplates"][0]
    data["actionTemplates"] = []
    for index, pick in enumerate([*range(len(schemas)), *picks]):
        action = copy.deepcopy(template)
        action["slug"] = f"a{index}"
        action["path"] = "/v1/{id}"
        action["inputs"]["parameters"] = [
            {"name": "id", "in": "path", "required": True, "schema": schemas[pick % len(schemas)]}
        ]
        data["actionTemplates"].append(action)
    assert_same(data)


def test_equal_reprs_only_share_a_verdict() -> None:
    judged: dict[bytes | str, str | None] = {}
    schemas = ({"enum": [1]}, {"enum": [True]}, {"enum": [1.0]}, {"enum": [True]})
    found = [paths.judged_once(schema, judged) for schema in schemas]
    assert found == [paths.value_schema_problem(schema) for schema in schemas]
    assert found[1] and found[3] and not found[0] and not found[2] and len(judged) == 3


ROUTE_PARTS = st.sampled_from(
    ["/", "//", "{id}", "{a b}", "..", ".", "v1", "%2e", "?", "#", "\\", " ", "://", "x{y}", "é"]
)


@budget("validate-structure", ci=100)
@given(parts=st.lists(ROUTE_PARTS, max_size=8))
def test_cached_path_problems_equal_the_reference(parts: list[str]) -> None:
    """``path_problems_once`` (cached by the route's text) against ``path_problems``, asked
    twice (the second answer from the cache), for short routes and one past the cache."""
    for path in ("".join(parts), "".join(parts) + "/a" * 300):
        for _ in range(2):
            assert paths.path_problems_once(path) == tuple(paths.path_problems(path))


def test_long_schema_reprs_are_judged_each_time() -> None:
    judged: dict[bytes | str, str | None] = {}
    schema = {"type": "string", "pattern": "^[a-z]{1,9}$", "description": "d" * 3000}
    assert paths.judged_once(schema, judged) == paths.value_schema_problem(schema)
    assert judged == {}
