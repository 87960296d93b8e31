"""The ``no-schema-references`` check (its fast path: one look at all of an action's schemas
before walking each with pointers, ``core.schema.may_hold_reference``) against the reference,
which walks every schema (differential, issue 11): same findings, same order, for mutated
manifests and hostile schemas with reference keywords anywhere."""

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
from hubtool.core.manifest import action_name, actions, body_schema, parameters
from hubtool.core.registry import finding
from hubtool.core.schema import KEYWORDS, may_hold_reference, references
from hubtool.load.strict import Document, parse
from hubtool.validate.rules import references as rule


def reference(doc: Document) -> Iterator[Finding]:
    """The check with no fast path: every schema of every action walked with pointers."""
    for pointer, action in actions(doc.data):
        schemas = [(f"{p}/schema", param.get("schema")) for p, param in parameters(action, pointer)]
        schemas.append((f"{pointer}/inputs/body", body_schema(action)))
        for schema_pointer, schema in schemas:
            for at, keyword in references(schema, schema_pointer):
                yield finding(
                    doc,
                    rule.NO_SCHEMA_REFERENCES,
                    at,
                    f"{action_name(action, pointer)}: {keyword} in an input schema; hubtool "
                    "and Harbor Node follow no references: write the schema out in full",
                    at_key=True,
                )


def assert_same(data: Any) -> None:
    """Same findings from the text as written by json (non-ASCII as ``\\u`` escapes), as
    written raw, and when the loader gathered no keys (``texts`` None: the walk)."""
    for ascii_only in (True, False):
        doc = parse(json.dumps(data, indent=2, ensure_ascii=ascii_only))
        if isinstance(doc, Document):
            expected = list(reference(doc))
            assert list(rule.check(doc)) == expected
            if rule.keyword_free(doc):
                assert expected == []
            doc.texts = None
            assert list(rule.check(doc)) == expected


@budget("validate-structure", ci=80)
@given(data=mutated())
def test_mutated_manifests(data: Any) -> None:
    assert_same(data.data)


KEYWORD_KEYS = st.sampled_from([*KEYWORDS, "$", "'$ref'", "definitions", "enum", "properties"])
schemas = st.recursive(
    json_values,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(KEYWORD_KEYS, st.text(max_size=4)), children, max_size=3),
    ),
    max_leaves=12,
)


@budget("validate-structure", ci=150)
@given(params=st.lists(st.one_of(schemas, st.just({"type": "string"})), max_size=4), body=schemas)
def test_hostile_schemas(params: list[Any], body: Any) -> None:
    data = copy.deepcopy(ORIGINAL)
    action = data["actionTemplates"][0]
    action["inputs"] = {
        "parameters": [{"name": f"p{i}", "in": "query", "schema": s} for i, s in enumerate(params)]
        + ["not a parameter"],
        "body": body,
    }
    assert_same(data)
    walked = [*params, body]
    if not may_hold_reference(walked):
        assert not any(list(references(schema)) for schema in walked)


def test_a_reference_anywhere_is_found() -> None:
    data = copy.deepcopy(ORIGINAL)
    action = data["actionTemplates"][-1]
    action["inputs"]["body"] = {"type": "object", "properties": {"a": {"$ref": "#/x"}}}
    doc = parse(json.dumps(data, indent=2))
    assert isinstance(doc, Document)
    found = list(rule.check(doc))
    assert found == list(reference(doc)) and len(found) == 1
    assert found[0].pointer.endswith("/inputs/body/properties/a/$ref")


def test_a_keyword_written_with_escapes_is_found() -> None:
    """``\\u0024ref`` is ``$ref``, ``defin\\u0069tions`` is ``definitions``: no text search
    may clear them."""
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][-1]["inputs"]["body"] = {"type": "object", "properties": {}}
    escaped = '"properties": {"a": {"\\u0024ref": "#/x"}, "b": {"defin\\u0069tions": {}}}'
    text = json.dumps(data, indent=2).replace('"properties": {}', escaped)
    doc = parse(text)
    assert isinstance(doc, Document) and doc.texts and not rule.keyword_free(doc)
    found = list(rule.check(doc))
    assert [f.pointer.rsplit("/", 2)[-2:] for f in found] == [["a", "$ref"], ["b", "definitions"]]


def test_only_what_the_loader_gathered_clears_a_document() -> None:
    """A document built from data (or whose text is another format's) is walked."""
    data = copy.deepcopy(ORIGINAL)
    data["actionTemplates"][-1]["inputs"]["body"] = {"$ref": "#/x"}
    doc = Document("m.json", data, "{}")
    assert not rule.keyword_free(doc)
    assert [f.pointer[-5:] for f in rule.check(doc)] == ["/$ref"]
