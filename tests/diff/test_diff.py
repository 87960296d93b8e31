"""The classifier: every change kind's own example, its mirror, identity and an oracle."""

from __future__ import annotations

import ast
import copy
import importlib
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from hubtool.core.registry import BASE_MANIFEST, BUMPS, ChangeKind, apply_patch
from hubtool.diff.classify import canonical, diff
from hubtool.diff.kinds import OLD
from hubtool.registry import CHANGE_KINDS, CHANGE_KINDS_TABLE, RULES, _index_kinds
from hubtool.report.markdown import kinds_markdown


def _pair(kind: ChangeKind) -> tuple[dict[str, Any], dict[str, Any]]:
    return apply_patch(BASE_MANIFEST, kind.before), apply_patch(BASE_MANIFEST, kind.after)


def _resolve(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def _patched_pointers(kind: ChangeKind, old: dict, new: dict) -> set[str]:
    """The patch pointers with a final '-' replaced by the index the value got."""
    pointers = set()
    for pointer in [*kind.before, *kind.after]:
        if pointer.endswith("/-"):
            array = pointer[:-2]
            length = max(len(_resolve(old, array)), len(_resolve(new, array)))
            pointer = f"{array}/{length - 1}"
        pointers.add(pointer)
    return pointers


@pytest.mark.parametrize("kind", CHANGE_KINDS_TABLE, ids=lambda k: k.id)
def test_example_is_classified_as_its_kind(kind: ChangeKind) -> None:
    old, new = _pair(kind)
    changes = [c for c in diff(old, new) if c.kind == kind.id]
    assert changes, [c.kind for c in diff(old, new)]
    patched = _patched_pointers(kind, old, new)
    for change in changes:
        assert change.bump == kind.bump
        _resolve(old if change.side == OLD else new, change.pointer)  # the pointer exists
        assert any(p.startswith(change.pointer) or change.pointer.startswith(p) for p in patched)


@pytest.mark.parametrize("kind", CHANGE_KINDS_TABLE, ids=lambda k: k.id)
def test_reverse_gives_the_mirror(kind: ChangeKind) -> None:
    old, new = _pair(kind)
    assert (kind.mirror or kind.id) in {c.kind for c in diff(new, old)}


@pytest.mark.parametrize("kind", CHANGE_KINDS_TABLE, ids=lambda k: k.id)
def test_comparing_a_version_with_itself_finds_nothing(kind: ChangeKind) -> None:
    old, new = _pair(kind)
    assert diff(old, copy.deepcopy(old)) == [] and diff(new, copy.deepcopy(new)) == []


def test_every_kind_has_an_example_pair_that_differs() -> None:
    for kind in CHANGE_KINDS_TABLE:
        old, new = _pair(kind)
        assert old != new, kind.id


def test_kind_ids_are_unique_and_distinct_from_rule_ids() -> None:
    assert not set(CHANGE_KINDS) & set(RULES)
    with pytest.raises(ValueError, match="duplicate"):
        _index_kinds((CHANGE_KINDS_TABLE[0], CHANGE_KINDS_TABLE[0]))
    assert {k.bump for k in CHANGE_KINDS_TABLE} <= set(BUMPS)


def _defined_kinds(root: Path, package: str) -> list[tuple[str, str]]:
    """(module, constant) of every ``ChangeKind(...)`` call in the .py files under ``root``;
    one that is not a module-level ``NAME = ChangeKind(...)`` is an error."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join((package, *parts)).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {
            id(node.value): node.targets[0].id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        }
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            if getattr(func, "id", getattr(func, "attr", None)) == "ChangeKind":
                assert id(node) in top, f"{module}:{node.lineno}: not a module-level constant"
                found.append((module, top[id(node)]))
    return found


def _unregistered(defined: list[tuple[str, str]], table: tuple[ChangeKind, ...]) -> list[str]:
    """Problems: a defined kind missing from ``table``, or an id defined twice."""
    problems, seen = [], {}
    for module, name in defined:
        kind = getattr(importlib.import_module(module), name)
        if not any(kind is registered for registered in table):
            problems.append(f"{module}.{name} ({kind.id}) is not in CHANGE_KINDS_TABLE")
        if kind.id in seen:
            problems.append(f"{module}.{name}: id {kind.id!r} is also {seen[kind.id]}")
        seen[kind.id] = f"{module}.{name}"
    return problems


def test_every_defined_kind_is_registered_once() -> None:
    defined = _defined_kinds(REPO / "hubtool", "hubtool")
    assert len(defined) == len(CHANGE_KINDS_TABLE)
    assert _unregistered(defined, CHANGE_KINDS_TABLE) == []


def test_an_unregistered_or_duplicate_kind_is_refused(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "extra_kinds"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "late.py").write_text(
        "from hubtool.core.registry import MAJOR, ChangeKind\n"
        "LATE = ChangeKind('late-kind', MAJOR, 'metadata', 'T', 'D', {}, {})\n"
        "AGAIN = ChangeKind('action-removed', MAJOR, 'actions', 'T', 'D', {}, {})\n"
    )
    (package / "nested.py").write_text(
        "from hubtool.core.registry import MAJOR, ChangeKind\n"
        "KINDS = [ChangeKind('hidden', MAJOR, 'metadata', 'T', 'D', {}, {})]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AssertionError, match="nested:2: not a module-level constant"):
        _defined_kinds(package, "extra_kinds")
    (package / "nested.py").unlink()
    defined = [("hubtool.diff.kinds.actions", "ACTION_REMOVED")]
    defined += _defined_kinds(package, "extra_kinds")
    assert _unregistered(defined, CHANGE_KINDS_TABLE) == [
        "extra_kinds.late.LATE (late-kind) is not in CHANGE_KINDS_TABLE",
        "extra_kinds.late.AGAIN (action-removed) is not in CHANGE_KINDS_TABLE",
        "extra_kinds.late.AGAIN: id 'action-removed' is also "
        "hubtool.diff.kinds.actions.ACTION_REMOVED",
    ]


def test_added_kinds_have_removed_mirrors() -> None:
    """oasdiff's audit: every *-added kind has a mirror that removes it."""
    for kind in CHANGE_KINDS_TABLE:
        if "-added" in kind.id:
            assert kind.mirror and "removed" in kind.mirror, kind.id


def test_changes_doc_is_generated_and_fresh() -> None:
    out = io.StringIO()
    kinds_markdown(out)
    committed = (REPO / "docs/CHANGES.md").read_text(encoding="utf-8")
    assert committed == out.getvalue(), "docs/CHANGES.md is stale: run `make docs`"


def test_sentry_against_itself_is_unchanged(sentry_data: dict) -> None:
    assert diff(sentry_data, copy.deepcopy(sentry_data)) == []


def test_reordering_keys_actions_and_parameters_is_no_change(sentry_data: dict) -> None:
    shuffled = json.loads(json.dumps(sentry_data, sort_keys=True))
    shuffled["actionTemplates"].reverse()
    for action in shuffled["actionTemplates"]:
        action["inputs"]["parameters"].reverse()
    assert diff(sentry_data, shuffled) == []
    assert canonical(sentry_data) == canonical(shuffled)


def test_version_alone_is_no_change(sentry_data: dict) -> None:
    assert diff(sentry_data, {**sentry_data, "version": "9.9.9"}) == []


def test_rename_is_one_change_not_a_removal_and_an_addition(sentry_data: dict) -> None:
    new = copy.deepcopy(sentry_data)
    new["actionTemplates"][1]["slug"] = "list-org-issues"
    assert [c.kind for c in diff(sentry_data, new)] == ["action-slug-changed"]


def test_new_write_action_needs_review_and_new_read_does_not(sentry_data: dict) -> None:
    new = copy.deepcopy(sentry_data)
    write = dict(new["actionTemplates"][2], slug="resolve-issue-copy")
    read = dict(new["actionTemplates"][0], slug="list-projects-copy", path="/api/0/x/")
    new["actionTemplates"] += [write, read]
    review = {c.action: c.review for c in diff(sentry_data, new) if c.kind == "action-added"}
    assert review == {"resolve-issue-copy": True, "list-projects-copy": False}


def test_widening_on_a_write_action_needs_review(sentry_data: dict) -> None:
    new = copy.deepcopy(sentry_data)
    status = new["actionTemplates"][2]["inputs"]["body"]["properties"]["status"]
    status["enum"].append("ignored")
    [change] = diff(sentry_data, new)
    assert (change.kind, change.bump, change.review) == ("constraint-widened", "minor", True)


def test_changed_values_are_redacted(sentry_data: dict) -> None:
    token = "sntrys_" + "eyJ" + "A1b2C3d4" * 5
    new = copy.deepcopy(sentry_data)
    new["portTemplates"][0]["authTokenPrefix"] = token
    [change] = diff(sentry_data, new)
    assert change.kind == "port-auth-changed" and change.review
    assert token not in json.dumps([change.message, change.old, change.new])


# --- an oracle: deepdiff's view of "something changed" ---------------------------------------

_MUTATIONS = (
    ("/actionTemplates/{a}/description", "Changed."),
    ("/actionTemplates/{a}/label", "Changed"),
    ("/actionTemplates/{a}/approvalMode", "automatic"),
    ("/actionTemplates/{a}/method", "PATCH"),
    ("/actionTemplates/{a}/inputs/parameters/0/schema/maxLength", 7),
    ("/actionTemplates/{a}/inputs/parameters/0/description", "Changed."),
    ("/actionTemplates/{a}/examples", []),
    ("/tags/0", "changed"),
    ("/compatibility/notes", "Changed."),
    ("/compatibility/harborNode", ">=0.2.0"),
    ("/requiredPlan", "pro"),
    ("/portTemplates/0/label", "Changed"),
    ("/publisher/websiteUrl", "https://example.com/"),
)


def test_nothing_is_silently_dropped(sentry_data: dict) -> None:
    """Whenever deepdiff sees a difference (ignoring order), the classifier reports one."""
    from deepdiff import DeepDiff

    rng = random.Random(7)
    for _ in range(150):
        new = copy.deepcopy(sentry_data)
        for pointer, value in rng.sample(_MUTATIONS, rng.randint(1, 3)):
            pointer = pointer.format(a=rng.randrange(3))
            new = apply_patch(new, {pointer: value})
        differs = DeepDiff(sentry_data, new, ignore_order=True)
        changes = diff(sentry_data, new)
        assert bool(changes) == bool(differs) or (changes and not differs), differs
