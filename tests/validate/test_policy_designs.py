"""The policy against real designs (issue 12, item 5), without loosening it.

- Traversal is a whole ``.`` or ``..`` value, or ``/``, ``\\`` or ``%`` anywhere in one: a dot
  inside a name (``next.js``, ``.github``) passes; the boundary is checked with hypothesis
  through the ECMA-262 engine hubtool matches with.
- PUT or PATCH on one resource's placeholder and then one action verb (``/pulls/{n}/merge``)
  is not bulk; every other shape that does not end with a placeholder still is; DELETE always.
- (A POST that only reads: ``test_declared_reads.py``.)
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from hubtool.core.ecma import compile_error, search
from hubtool.core.registry import BASE_MANIFEST
from hubtool.load.strict import Document, parse
from hubtool.validate.pipeline import validate
from hubtool.validate.rules import approval, paths
from hubtool.validate.rules.approval import ACTION_VERBS, addresses_one_resource
from hubtool.validate.rules.paths import DOTTED_NAME, value_schema_problem

NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
"""The reference for DOTTED_NAME, in Python: a name of 1 to 100 of these characters..."""
TRAVERSAL = (".", "..")
"""...that is not a whole traversal segment."""
APPROVED = "require_approval"
LOOKAHEAD = r"^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$"
"""The pattern the issue suggested: right in JavaScript, but not matchable in linear time."""


def doc_of(data: dict[str, Any], name: str = "m.json") -> Document:
    doc = parse(json.dumps(data), name)
    assert isinstance(doc, Document)
    return doc


def actions_doc(*actions: dict[str, Any]) -> Document:
    return doc_of({"actionTemplates": list(actions)})


def rules_of(findings: Any) -> list[str]:
    return [f.rule for f in findings]


# --- traversal: what it means, and its boundary ----------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="._-aZ9/%\\\u00e9\n", max_size=103))
def test_dotted_name_is_the_lookahead_pattern_without_lookahead(value: str) -> None:
    """hubtool's linear matcher, ECMA-262's own reading (regress, backtracking: the pattern is
    unambiguous) and the lookahead form all agree with the Python reference."""
    expected = NAME.fullmatch(value) is not None and value not in TRAVERSAL
    assert search(DOTTED_NAME, value) is expected
    assert (regress.Regex(DOTTED_NAME, "u").find(value) is not None) is expected
    assert (regress.Regex(LOOKAHEAD, "u").find(value) is not None) is expected


@pytest.mark.parametrize(
    ("value", "admitted"),
    [
        (".", False),
        ("..", False),
        ("", False),
        ("...", True),
        (".github", True),
        ("..a", True),
        ("next.js", True),
        ("a.", True),
        ("a" * 100, True),
        ("a" * 101, False),
        ("." + "a" * 99, True),
        (".." + "a" * 98, True),
        (".." + "a" * 99, False),
        ("a/b", False),
        ("%2e", False),
        ("next.js\n", False),
    ],
)
def test_dotted_name_at_its_edges(value: str, admitted: bool) -> None:
    assert search(DOTTED_NAME, value) is admitted


def test_the_recipe_passes_every_check_and_the_lookahead_is_refused() -> None:
    schema = {"type": "string", "pattern": DOTTED_NAME}
    assert value_schema_problem(schema) is None
    assert compile_error(DOTTED_NAME) is None
    assert "lookaround" in (compile_error(LOOKAHEAD) or "")


CLASS_CHARS = {"a": "a", ".": "\\.", "-": "\\-", "%": "%", "/": "/", "\\": "\\\\"}


@st.composite
def class_schemas(draw: st.DrawFn) -> tuple[dict[str, Any], set[str], int, int, int]:
    chars = draw(st.sets(st.sampled_from(sorted(CLASS_CHARS)), min_size=1))
    low = draw(st.integers(0, 3))
    high = draw(st.integers(max(low, 1), 4))
    min_length = draw(st.integers(0, 3))
    klass = "".join(CLASS_CHARS[c] for c in sorted(chars))
    schema: dict[str, Any] = {"type": "string", "pattern": f"^[{klass}]{{{low},{high}}}$"}
    if min_length:
        schema["minLength"] = min_length
    return schema, chars, low, high, min_length


@settings(max_examples=300, deadline=None)
@given(class_schemas())
def test_a_class_pattern_is_refused_exactly_when_it_admits_a_non_segment(
    case: tuple[dict[str, Any], set[str], int, int, int],
) -> None:
    """Refused iff the value can hold '/', '\\' or '%', or be '', '.' or '..' as a whole."""
    schema, chars, low, high, min_length = case

    def admits_length(n: int) -> bool:
        return low <= n <= high and n >= min_length

    expected = (
        bool(chars & {"/", "\\", "%"})
        or admits_length(0)
        or ("." in chars and (admits_length(1) or admits_length(2)))
    )
    problem = value_schema_problem(schema)
    assert (problem is not None) is expected, (schema, problem)
    if problem and "traversal segment" in problem:
        assert DOTTED_NAME in problem.replace("\\\\", "\\")  # the recipe is in the message


ATOMS = ["a", "\\.", "[a.]", "[a-z]", "(?:a|\\.)", "(?:\\.\\.)", "[^/\\\\%]"]
QUANTIFIERS = ["", "?", "+", "*", "{1,2}", "{0,3}", "{2}"]


@st.composite
def dotted_patterns(draw: st.DrawFn) -> str:
    part = st.tuples(st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS))
    parts = draw(st.lists(part, min_size=1, max_size=3))
    body = "".join(atom + quantifier for atom, quantifier in parts)
    if draw(st.booleans()):
        other = draw(st.sampled_from(ATOMS)) + draw(st.sampled_from(QUANTIFIERS))
        body = f"{body}|{other}"
    return f"^(?:{body})$"


@settings(max_examples=300, deadline=None)
@given(dotted_patterns())
def test_traversal_is_what_ecma_262_matches(pattern: str) -> None:
    """For patterns that can hold no '/', '\\' or '%', refused exactly when ECMA-262 itself
    (regress) matches the whole value '', '.' or '..': the same answer as the linear matcher."""
    ecma = regress.Regex(pattern, "u")
    admitted = [v for v in ("", ".", "..") if ecma.find(v) is not None]
    assert [v for v in ("", ".", "..") if search(pattern, v)] == admitted
    problem = value_schema_problem({"type": "string", "pattern": pattern})
    assert (problem is not None) is bool(admitted), (pattern, problem)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^[A-Za-z0-9%._-]{1,100}$"},
        {"type": "string", "pattern": "^(?:[a-z]{1,9}|%2[eE]){1,3}$"},
        {"enum": ["main", "%2e%2e"]},
        {"enum": ["main", "a%2fb"]},
    ],
)
def test_a_percent_encoding_is_refused(schema: dict[str, Any]) -> None:
    problem = value_schema_problem(schema) or ""
    assert ("%" in problem and "remove it" in problem) or "leave '%' out" in problem


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$"}, "'.', a traversal"),
        ({"type": "string", "pattern": "^[a.]{2,5}$"}, "'..', a traversal"),
        ({"type": "string", "pattern": "^[^/]{1,9}$"}, "can match '/' or '\\'"),
        ({"type": "string", "pattern": "^[a-z]{1,9}"}, "must be anchored"),
        ({"enum": ["main", ".."]}, "could change the route"),
    ],
)
def test_what_was_refused_still_is(schema: dict[str, Any], words: str) -> None:
    assert words in (value_schema_problem(schema) or "")


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$", "minLength": 3},
        {"type": "string", "pattern": "^[a-z][a-z0-9.-]{0,38}$"},
        {"enum": ["next.js", ".github"]},
    ],
)
def test_a_dot_inside_a_value_is_not_traversal(schema: dict[str, Any]) -> None:
    assert value_schema_problem(schema) is None


def github_merge() -> dict[str, Any]:
    """BASE_MANIFEST whose write is GitHub's PUT .../pulls/{pull_number}/merge."""
    data = copy.deepcopy(BASE_MANIFEST)
    merge = data["actionTemplates"][1]
    merge.update(slug="merge-pull-request", label="Merge Pull Request", method="PUT")
    merge["path"] = "/repos/{owner}/{repo}/pulls/{pull_number}/merge"
    merge["description"] = "Merge one pull request."
    owner = {"type": "string", "pattern": "^[A-Za-z0-9-]{1,39}$"}
    number = {"type": "integer", "minimum": 1, "maximum": 2147483647}
    merge["inputs"]["parameters"] = [
        {"name": name, "in": "path", "required": True, "schema": schema, "description": name}
        for name, schema in (
            ("owner", owner),
            ("repo", {"type": "string", "pattern": DOTTED_NAME}),
            ("pull_number", number),
        )
    ]
    merge["inputs"]["body"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"commit_title": {"type": "string", "maxLength": 200}},
    }
    merge["examples"] = [
        {"name": name, "input": {"path": {"owner": "vercel", "repo": repo, "pull_number": 7}}}
        for name, repo in (("next", "next.js"), ("dot-github", ".github"))
    ]
    for example in merge["examples"]:
        example["input"]["body"] = {"commit_title": "Merge"}
    return data


def test_githubs_merge_action_validates_clean(tmp_path: Path) -> None:
    path = tmp_path / "github.json"
    path.write_text(json.dumps(github_merge(), indent=2), encoding="utf-8")
    assert validate([path]).findings == []


def test_an_example_with_a_traversal_value_is_refused_by_the_recipe(tmp_path: Path) -> None:
    data = github_merge()
    data["actionTemplates"][1]["examples"][0]["input"]["path"]["repo"] = ".."
    path = tmp_path / "github.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert rules_of(validate([path]).findings) == ["examples-valid"]


def test_a_literal_dot_segment_in_the_route_names_its_fix() -> None:
    doc = actions_doc({"slug": "s", "method": "GET", "path": "/v1/./x"})
    (finding,) = paths.check(doc)
    assert "path traversal" in finding.message and "resolve to" in finding.message


# --- bulk: decided from the path's shape -----------------------------------------------------

SEGMENTS = ["{id}", "{owner}", "issues", "labels", "widgets", "Merge", "merge-all", "{id}x"]


@st.composite
def routes(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from([*SEGMENTS, *sorted(ACTION_VERBS)]), max_size=5))
    return "/" + "/".join(parts) + draw(st.sampled_from(["", "/", "//"]))


def one_resource(path: str) -> bool:
    """The reference: the last segment is a placeholder, or a verb right after one."""
    parts = [p for p in path.split("/") if p]
    is_placeholder = [re.fullmatch(r"\{[A-Za-z_][A-Za-z0-9_]*\}", p) is not None for p in parts]
    if parts and is_placeholder[-1]:
        return True
    return len(parts) >= 2 and parts[-1] in ACTION_VERBS and is_placeholder[-2]


@settings(max_examples=300, deadline=None)
@given(routes(), st.sampled_from(["PUT", "PATCH", "patch", "DELETE", "POST"]))
def test_bulk_is_decided_from_the_path_shape(path: str, verb: str) -> None:
    assert addresses_one_resource(path) is one_resource(path)
    doc = actions_doc(
        {"slug": "s", "method": verb, "path": path, "approvalMode": "require_approval"}
    )
    bulk = "no-bulk-or-delete" in rules_of(approval.check(doc))
    if verb == "DELETE":
        assert bulk  # every DELETE, one resource or not
    elif verb == "POST":
        assert not bulk
    else:
        assert bulk is not one_resource(path)


@pytest.mark.parametrize(
    ("verb", "path", "bulk"),
    [
        ("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", False),
        ("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/lock", False),
        ("PATCH", "/v1/widgets/{widgetId}/archive/", False),
        ("PUT", "/repos/{owner}/{repo}/labels", True),
        ("PATCH", "/v1/widgets", True),
        ("PUT", "/merge", True),
        ("PUT", "/pulls/merge", True),
        ("PUT", "/pulls/{pull_number}/merge/now", True),
        ("PUT", "/pulls/{pull_number}/Merge", True),
        ("PUT", "/pulls/{pull_number}x/merge", True),
        ("DELETE", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", True),
    ],
)
def test_bulk_at_the_edges(verb: str, path: str, bulk: bool) -> None:
    doc = actions_doc(
        {"slug": "s", "method": verb, "path": path, "approvalMode": "require_approval"}
    )
    found = [f for f in approval.check(doc) if f.rule == "no-bulk-or-delete"]
    assert bool(found) is bulk
    for finding in found:  # each message names its way out
        assert "waiver" in finding.message
