"""Exact change lists for the diff classification (``hubtool/changes``), so a mutant is noticed.

Each case applies a patch to the registry's base manifest (``list-widgets``: a GET, index 0;
``rename-widget``: a PATCH, index 1) and compares the *whole* list of changes: kind, action,
pointer, side, review flag, message and the old/new values. A duplicated, dropped or reordered
change, a pointer from the wrong version or a swapped label fails here. ``make mutate`` measures
it; docs/MUTATION.md lists the survivors that are equivalent.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from hubtool.core.registry import BASE_MANIFEST, REMOVE, apply_patch
from hubtool.diff.canonical import (
    accepts_type,
    by_value,
    canonical_document,
    declared_types,
    type_list,
    value_key,
    value_set,
)
from hubtool.diff.canonical import schema as canonical_schema
from hubtool.diff.classify import diff
from hubtool.diff.kinds import (
    NEW,
    OLD,
    Change,
    Scope,
    differing,
    other_changes,
    redact,
    short,
)
from hubtool.diff.kinds.actions import ACTION_ADDED, ACTION_REMOVED
from hubtool.diff.kinds.port import PORT_ADDED, _normal
from hubtool.diff.kinds.schemas import compare as compare_schema

A0, A1 = "/actionTemplates/0", "/actionTemplates/1"
PORT = "/portTemplates/0"
LIMIT = f"{A0}/inputs/parameters/0/schema"
"""The schema of list-widgets' query parameter ``limit`` (integer, 1..100)."""
BODY = f"{A1}/inputs/body"
"""rename-widget's body: closed object, required ``name`` (string, 1..80 chars)."""
LIST_NAME = "action 'list-widgets' query parameter 'limit'"
NEW_READ = {"slug": "get-widget", "method": "GET", "path": "/v1/widgets/{widgetId}"}
NEW_WRITE = {"slug": "make-gadget", "method": "POST", "path": "/v1/gadgets"}
TOKEN = "sntrys_" + "eyJ" + "A1b2C3d4" * 5
"""A fake Sentry org token, assembled at run time."""

Row = tuple[str, Any, str, str, bool, str, Any, Any]


def rows(changes: list[Change]) -> list[Row]:
    return [
        (c.kind, c.action, c.pointer, c.side, c.review, c.message, c.old, c.new) for c in changes
    ]


def between(old_patch: dict[str, Any], new_patch: dict[str, Any]) -> list[Row]:
    old = apply_patch(BASE_MANIFEST, old_patch)
    new = apply_patch(BASE_MANIFEST, new_patch)
    return rows(diff(old, new))


def shifted(patch: dict[str, Any]) -> dict[str, Any]:
    """The patched base manifest with a read action inserted first: new index = old index + 1."""
    data = apply_patch(BASE_MANIFEST, patch)
    data["actionTemplates"].insert(0, copy.deepcopy(NEW_READ))
    return data


def w(text: str) -> str:
    return f"action 'rename-widget': {text}"


def b(text: str) -> str:
    """A message about rename-widget's body (the label ends in "body")."""
    return f"action 'rename-widget' body: {text}"


def anchors(changes: list[Change]) -> list[tuple[str, str]]:
    """(kind, anchor) of each change: where a removal sits in the new version."""
    return [(c.kind, c.anchor) for c in changes]


# --- actions: added, removed, renamed ---------------------------------------------------------


def test_removal_plus_unrelated_addition_is_not_a_rename() -> None:
    assert between({}, {A0: REMOVE, "/actionTemplates/-": NEW_WRITE}) == [
        ("action-removed", "list-widgets", A0, OLD, False, "action 'list-widgets': removed",
         None, None),
        ("action-added", "make-gadget", A1, NEW, True, "action 'make-gadget': added (write action)",
         None, None),
    ]  # fmt: skip


def test_added_read_action_is_labelled_read_and_needs_no_review() -> None:
    assert between({}, {"/actionTemplates/-": NEW_READ}) == [
        ("action-added", "get-widget", "/actionTemplates/2", NEW, False,
         "action 'get-widget': added (read action)", None, None),
    ]  # fmt: skip


def test_rename_keeps_method_and_path_and_is_one_change() -> None:
    assert between({}, {f"{A1}/slug": "rename-gadget"}) == [
        ("action-slug-changed", "rename-gadget", f"{A1}/slug", NEW, False,
         "action 'rename-gadget': renamed from 'rename-widget'", "rename-widget", "rename-gadget"),
    ]  # fmt: skip


def test_two_renames_on_one_route_pair_each_removed_slug_once() -> None:
    route = {f"{A0}/method": "PATCH", f"{A0}/path": "/v1/widgets/{widgetId}"}
    new = {**route, f"{A0}/slug": "a", f"{A1}/slug": "b"}
    assert [(r[0], r[2], r[6], r[7]) for r in between(route, new)] == [
        ("action-slug-changed", f"{A0}/slug", "list-widgets", "a"),
        ("action-slug-changed", f"{A1}/slug", "rename-widget", "b"),
    ]


def test_renamed_action_is_compared_with_its_new_self() -> None:
    assert between({}, {f"{A1}/slug": "rename-gadget", f"{A1}/label": "R"}) == [
        ("action-slug-changed", "rename-gadget", f"{A1}/slug", NEW, False,
         "action 'rename-gadget': renamed from 'rename-widget'", "rename-widget", "rename-gadget"),
        ("metadata-changed", "rename-gadget", f"{A1}/label", NEW, False,
         "action 'rename-gadget': label changed", "Rename Widget", "R"),
    ]  # fmt: skip


def test_a_duplicate_slug_keeps_the_first_action() -> None:
    assert between({}, {f"{A1}/slug": "list-widgets"}) == [
        ("action-removed", "rename-widget", A1, OLD, False, "action 'rename-widget': removed",
         None, None),
    ]  # fmt: skip


def test_removed_action_pointer_is_on_the_old_side_and_kept_actions_on_the_new() -> None:
    old = apply_patch(BASE_MANIFEST, {})
    new = shifted({f"{A1}/label": "R", f"{A0}/label": "L", f"{A1}/inputs/parameters/0": REMOVE})
    new["actionTemplates"].pop(1)  # list-widgets goes
    assert rows(diff(old, new)) == [
        ("action-removed", "list-widgets", A0, OLD, False, "action 'list-widgets': removed",
         None, None),
        ("action-added", "get-widget", A0, NEW, False, "action 'get-widget': added (read action)",
         None, None),
        ("input-removed", "rename-widget", f"{A1}/inputs/parameters/0", OLD, False,
         w("path parameter 'widgetId' removed"), None, None),
        ("metadata-changed", "rename-widget", f"{A1}/label", NEW, False, w("label changed"),
         "Rename Widget", "R"),
    ]  # fmt: skip
    assert anchors(diff(old, new))[0] == ("action-removed", "/actionTemplates")


def test_changes_inside_a_moved_action_point_into_the_right_version() -> None:
    old = apply_patch(BASE_MANIFEST, {f"{BODY}/properties/gone": {"type": "string"}})
    new = shifted(
        {
            f"{A1}/inputs/parameters/0/description": "Id.",
            f"{A1}/inputs/parameters/0/schema/maximum": 9,
            f"{BODY}/properties/name/maxLength": 81,
        }
    )
    moved = "/actionTemplates/2"
    assert rows(diff(old, new)) == [
        ("action-added", "get-widget", A0, NEW, False, "action 'get-widget': added (read action)",
         None, None),
        ("constraint-narrowed", "rename-widget", f"{moved}/inputs/parameters/0/schema/maximum",
         NEW, False, "action 'rename-widget' path parameter 'widgetId': maximum 2147483647 → 9",
         2147483647, 9),
        ("metadata-changed", "rename-widget", f"{moved}/inputs/parameters/0/description", NEW,
         False, "action 'rename-widget' path parameter 'widgetId': description changed",
         "Widget ID.", "Id."),
        ("body-property-removed", "rename-widget", f"{BODY}/properties/gone", OLD, False,
         b("property 'gone' removed"), None, None),
        ("constraint-widened", "rename-widget", f"{moved}/inputs/body/properties/name/maxLength",
         NEW, True, b("name: maxLength 80 → 81"), 80, 81),
    ]  # fmt: skip
    assert anchors(diff(old, new)) == [
        ("action-added", ""),
        ("constraint-narrowed", ""),
        ("metadata-changed", ""),
        ("body-property-removed", f"{moved}/inputs/body/properties"),
        ("constraint-widened", ""),
    ]


# --- actions: route, approval, examples, other keys -------------------------------------------


def test_route_changes_one_each_with_both_values() -> None:
    patch = {
        f"{A0}/method": "POST",
        f"{A0}/path": "/v2/w",
        f"{A0}/requestBodyMode": "json",
        f"{A0}/resultMode": "text",
    }
    name = "action 'list-widgets': "
    assert between({}, patch) == [
        ("action-method-changed", "list-widgets", f"{A0}/method", NEW, True,
         name + "method changed from 'GET' to 'POST'", "GET", "POST"),
        ("action-path-changed", "list-widgets", f"{A0}/path", NEW, True,
         name + "path changed from '/v1/widgets' to '/v2/w'", "/v1/widgets", "/v2/w"),
        ("request-body-mode-changed", "list-widgets", f"{A0}/requestBodyMode", NEW, False,
         name + "requestBodyMode changed from 'none' to 'json'", "none", "json"),
        ("result-mode-changed", "list-widgets", f"{A0}/resultMode", NEW, False,
         name + "resultMode changed from 'json_summary' to 'text'", "json_summary", "text"),
    ]  # fmt: skip


def test_approval_tightened_and_loosened() -> None:
    patch = {
        f"{A0}/approvalMode": "require_approval",
        f"{A1}/approvalMode": "automatic",
    }
    assert between({}, patch) == [
        ("approval-tightened", "list-widgets", f"{A0}/approvalMode", NEW, False,
         "action 'list-widgets': approval tightened from 'automatic' to 'require_approval'",
         "automatic", "require_approval"),
        ("approval-loosened", "rename-widget", f"{A1}/approvalMode", NEW, True,
         w("approval loosened from 'require_approval' to 'automatic'"), "require_approval",
         "automatic"),
    ]  # fmt: skip


def test_approval_change_between_two_other_values_is_a_loosening_to_review() -> None:
    assert between({f"{A0}/approvalMode": "manual"}, {f"{A0}/approvalMode": REMOVE}) == [
        ("approval-loosened", "list-widgets", f"{A0}/approvalMode", NEW, True,
         "action 'list-widgets': approval mode changed from 'manual' to none", "manual", None),
    ]  # fmt: skip


def test_examples_label_and_other_inputs_keys() -> None:
    patch = {f"{A0}/examples": [], f"{A0}/label": "L", f"{A0}/inputs/extra": 1}
    assert between({}, patch) == [
        ("examples-changed", "list-widgets", f"{A0}/examples", NEW, False,
         "action 'list-widgets': examples changed", None, None),
        ("metadata-changed", "list-widgets", f"{A0}/label", NEW, False,
         "action 'list-widgets': label changed", "List Widgets", "L"),
        ("metadata-changed", "list-widgets", f"{A0}/inputs/extra", NEW, False,
         "action 'list-widgets': extra changed", None, 1),
    ]  # fmt: skip


def test_a_read_action_that_becomes_a_write_is_reviewed_as_a_write() -> None:
    got = between({}, {f"{A0}/method": "POST", f"{LIMIT}/maximum": 200})
    assert [(r[0], r[4]) for r in got] == [
        ("action-method-changed", True),
        ("constraint-widened", True),
    ]
    back = between({f"{A0}/method": "POST"}, {f"{LIMIT}/maximum": 200})
    assert [(r[0], r[4]) for r in back] == [
        ("action-method-changed", True),
        ("constraint-widened", True),
    ]


# --- parameters ------------------------------------------------------------------------------


def test_added_parameters_say_required_or_optional() -> None:
    patch = {
        f"{A0}/inputs/parameters/-": {"name": "q", "in": "query", "required": True},
        f"{A1}/inputs/parameters/-": {"name": "v", "in": "header", "required": "yes"},
    }
    assert between({}, patch) == [
        ("input-added-required", "list-widgets", f"{A0}/inputs/parameters/1", NEW, False,
         "action 'list-widgets': required query parameter 'q' added", None, None),
        ("input-added-optional", "rename-widget", f"{A1}/inputs/parameters/1", NEW, False,
         w("optional header parameter 'v' added"), None, None),
    ]  # fmt: skip


def test_parameter_made_required_and_optional() -> None:
    assert between({}, {f"{A0}/inputs/parameters/0/required": True}) == [
        ("input-made-required", "list-widgets", f"{A0}/inputs/parameters/0/required", NEW, False,
         f"{LIST_NAME}: is now required", None, None),
    ]  # fmt: skip
    name = "action 'rename-widget' path parameter 'widgetId'"
    assert between({}, {f"{A1}/inputs/parameters/0/required": False}) == [
        ("input-made-optional", "rename-widget", f"{A1}/inputs/parameters/0/required", NEW, False,
         f"{name}: is now optional", None, None),
    ]  # fmt: skip
    assert between({}, {f"{A1}/inputs/parameters/0/required": REMOVE}) == [
        ("input-made-optional", "rename-widget", f"{A1}/inputs/parameters/0", NEW, False,
         f"{name}: is now optional", None, None),
    ]  # fmt: skip


def test_parameter_default_and_other_keys() -> None:
    patch = {f"{A0}/inputs/parameters/0/default": 50, f"{A0}/inputs/parameters/0/x": 1}
    assert between({}, patch) == [
        ("input-default-changed", "list-widgets", f"{A0}/inputs/parameters/0/default", NEW, False,
         f"{LIST_NAME}: default changed from 25 to 50", 25, 50),
        ("metadata-changed", "list-widgets", f"{A0}/inputs/parameters/0/x", NEW, False,
         f"{LIST_NAME}: x changed", None, 1),
    ]  # fmt: skip


def test_parameters_match_by_location_and_name() -> None:
    moved = {f"{A0}/inputs/parameters/0/in": "header"}
    assert [(r[0], r[2], r[3]) for r in between({}, moved)] == [
        ("input-removed", f"{A0}/inputs/parameters/0", OLD),
        ("input-added-optional", f"{A0}/inputs/parameters/0", NEW),
    ]


# --- value schemas ---------------------------------------------------------------------------


def _schema_rows(old_patch: dict[str, Any], new_patch: dict[str, Any]) -> list[tuple]:
    """(kind, pointer under LIMIT, message after the parameter name, old, new)."""
    out = []
    for kind, action, pointer, side, review, message, old, new in between(old_patch, new_patch):
        assert (action, side, review) == ("list-widgets", NEW, False)
        assert pointer.startswith(LIMIT) and message.startswith(f"{LIST_NAME}: ")
        out.append((kind, pointer[len(LIMIT) :], message[len(LIST_NAME) + 2 :], old, new))
    return out


def test_type_change_is_one_change_and_stops_there() -> None:
    assert _schema_rows({}, {f"{LIMIT}/type": "string", f"{LIMIT}/maximum": 5}) == [
        ("input-type-changed", "/type", "type changed: 'integer' → 'string'", ["integer"],
         ["string"]),
    ]  # fmt: skip


def test_bounds_lowered_raised_added_removed() -> None:
    got = _schema_rows(
        {f"{LIMIT}/minLength": 1, f"{LIMIT}/maxItems": 4, f"{LIMIT}/minItems": 2},
        {f"{LIMIT}/maximum": 50, f"{LIMIT}/minimum": 2, f"{LIMIT}/maxLength": 3,
         f"{LIMIT}/maxItems": 9, f"{LIMIT}/minItems": 1},
    )  # fmt: skip
    assert got == [
        ("constraint-narrowed", "/maximum", "maximum 100 → 50", 100, 50),
        ("constraint-narrowed", "/maxLength", "maxLength 3 added", None, 3),
        ("constraint-widened", "/maxItems", "maxItems 4 → 9", 4, 9),
        ("constraint-narrowed", "/minimum", "minimum 1 → 2", 1, 2),
        ("constraint-widened", "/minLength", "minLength 1 removed", 1, None),
        ("constraint-widened", "/minItems", "minItems 2 → 1", 2, 1),
    ]


def test_bounds_that_are_not_two_numbers_count_as_narrowed() -> None:
    got = _schema_rows(
        {f"{LIMIT}/minimum": "a"},
        {
            f"{LIMIT}/maximum": REMOVE,
            f"{LIMIT}/minimum": "b",
            f"{LIMIT}/exclusiveMinimum": 0,
        },
    )
    assert got == [
        ("constraint-widened", "/maximum", "maximum 100 removed", 100, None),
        ("constraint-narrowed", "/minimum", "minimum 'a' → 'b'", "a", "b"),
        (
            "constraint-narrowed",
            "/exclusiveMinimum",
            "exclusiveMinimum 0 added",
            None,
            0,
        ),
    ]
    assert _schema_rows({f"{LIMIT}/maximum": True}, {f"{LIMIT}/maximum": 3}) == [
        ("constraint-narrowed", "/maximum", "maximum True → 3", True, 3),
    ]


def test_enum_added_removed_and_values() -> None:
    assert _schema_rows({}, {f"{LIMIT}/enum": [1, 2]}) == [
        ("constraint-narrowed", "/enum", "enum added: 1, 2", None, [1, 2]),
    ]
    assert _schema_rows({f"{LIMIT}/enum": [1, 2]}, {}) == [
        ("constraint-widened", "/enum", "enum removed: 1, 2", [1, 2], None),
    ]
    assert _schema_rows({f"{LIMIT}/enum": [1, 2, 3]}, {f"{LIMIT}/enum": [2, 3, 4, 5]}) == [
        ("constraint-narrowed", "/enum", "enum value 1 removed", [1], None),
        ("constraint-widened", "/enum", "enum values 4, 5 added", None, [4, 5]),
    ]
    assert _schema_rows({f"{LIMIT}/enum": [1, 2]}, {f"{LIMIT}/enum": [1]}) == [
        ("constraint-narrowed", "/enum", "enum value 2 removed", [2], None),
    ]
    assert _schema_rows({f"{LIMIT}/const": 1}, {f"{LIMIT}/enum": [1, 2]}) == [
        ("constraint-widened", "/enum", "enum value 2 added", None, [2]),
    ]


def test_exact_keywords_and_unique_items() -> None:
    got = _schema_rows(
        {f"{LIMIT}/format": "int32", f"{LIMIT}/multipleOf": 2},
        {
            f"{LIMIT}/pattern": "^a$",
            f"{LIMIT}/format": "int64",
            f"{LIMIT}/uniqueItems": True,
        },
    )
    assert got == [
        ("constraint-narrowed", "/pattern", "pattern '^a$' added", None, "^a$"),
        (
            "constraint-narrowed",
            "/format",
            "format 'int32' → 'int64'",
            "int32",
            "int64",
        ),
        ("constraint-widened", "/multipleOf", "multipleOf 2 removed", 2, None),
        ("constraint-narrowed", "/uniqueItems", "uniqueItems added", None, True),
    ]
    # canonical form: uniqueItems false is its absence, so the new value is None
    assert _schema_rows({f"{LIMIT}/uniqueItems": True}, {f"{LIMIT}/uniqueItems": False}) == [
        ("constraint-widened", "/uniqueItems", "uniqueItems removed", True, None),
    ]
    same = compare_schema({"uniqueItems": 0}, {"uniqueItems": False}, ("/o", "/n"), Scope())
    assert list(same) == []


def test_default_items_and_other_schema_keys() -> None:
    got = _schema_rows(
        {f"{LIMIT}/items": {"type": "integer", "maximum": 3}},
        {f"{LIMIT}/default": 1, f"{LIMIT}/items": {"type": "integer", "maximum": 4},
         f"{LIMIT}/title": "t"},
    )  # fmt: skip
    assert got == [
        ("input-default-changed", "/default", "default none → 1", None, 1),
        ("constraint-widened", "/items/maximum", "items: maximum 3 → 4", 3, 4),
        ("metadata-changed", "/title", "title changed", None, "t"),
    ]
    # items added: any item -> integers only, a narrowing of what the items accept
    assert _schema_rows({}, {f"{LIMIT}/items": {"type": "integer"}}) == [
        ("constraint-narrowed", "/items/type", "items: type narrowed: any type → 'integer'", None,
         ["integer"]),
    ]  # fmt: skip


def test_closedness_both_ways() -> None:
    """additionalProperties is judged by what it accepts: true, {} and absent are all "any"."""
    opened = [
        ("constraint-widened", "rename-widget", f"{BODY}/additionalProperties", NEW, True,
         b("additionalProperties false → any"), False, None),
    ]  # fmt: skip
    assert between({}, {f"{BODY}/additionalProperties": True}) == opened
    assert between({}, {f"{BODY}/additionalProperties": REMOVE}) == opened
    assert between({f"{BODY}/additionalProperties": True}, {}) == [
        ("constraint-narrowed", "rename-widget", f"{BODY}/additionalProperties", NEW, False,
         b("additionalProperties any → false"), None, False),
    ]  # fmt: skip


def test_body_properties_removed_added_and_required() -> None:
    old = {f"{BODY}/properties/old": {"type": "string"}, f"{BODY}/properties/opt": {}}
    new = {
        f"{BODY}/properties/nreq": {"type": "string"},
        f"{BODY}/properties/nopt": {},
        f"{BODY}/properties/opt": {},
        f"{BODY}/required": ["name", "nreq", "opt"],
    }
    assert between(old, new) == [
        ("body-property-removed", "rename-widget", f"{BODY}/properties/old", OLD, False,
         b("property 'old' removed"), None, None),
        ("body-property-added-required", "rename-widget", f"{BODY}/properties/nreq", NEW, True,
         b("required property 'nreq' added"), None, None),
        ("body-property-added-optional", "rename-widget", f"{BODY}/properties/nopt", NEW, True,
         b("optional property 'nopt' added"), None, None),
        ("body-property-made-required", "rename-widget", f"{BODY}/required", NEW, False,
         b("property 'opt' is now required"), None, None),
    ]  # fmt: skip
    got = diff(apply_patch(BASE_MANIFEST, old), apply_patch(BASE_MANIFEST, new))
    assert anchors(got) == [
        ("body-property-removed", f"{BODY}/properties"),
        ("body-property-added-required", ""),
        ("body-property-added-optional", ""),
        ("body-property-made-required", ""),
    ]


def test_body_property_made_optional_points_at_required_or_the_body() -> None:
    assert between({}, {f"{BODY}/required": []}) == [
        ("body-property-made-optional", "rename-widget", f"{BODY}/required", NEW, False,
         b("property 'name' is now optional"), None, None),
    ]  # fmt: skip
    assert between({}, {f"{BODY}/required": REMOVE}) == [
        ("body-property-made-optional", "rename-widget", BODY, NEW, False,
         b("property 'name' is now optional"), None, None),
    ]  # fmt: skip


def test_body_property_schemas_are_compared_with_both_pointers() -> None:
    old = {f"{BODY}/properties/name/properties": {"a": {}}}
    new = shifted({f"{BODY}/properties/name/properties": {}})
    got = rows(diff(apply_patch(BASE_MANIFEST, old), new))
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("action-added", A0, NEW),
        ("body-property-removed", f"{BODY}/properties/name/properties/a", OLD),
    ]


# --- ports -----------------------------------------------------------------------------------


def test_port_origin_normalised_case_and_trailing_slash_is_only_metadata() -> None:
    assert between({}, {f"{PORT}/baseUrl": "HTTPS://API.Acme.example"}) == [
        ("metadata-changed", None, f"{PORT}/baseUrl", NEW, False, "port: baseUrl changed",
         "https://api.acme.example/", "HTTPS://API.Acme.example"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "https://api.other.example/",
        "https://api.acme.example/V1",
        "http://api.acme.example/",
    ],
)
def test_port_origin_changed_once(url: str) -> None:
    assert between({}, {f"{PORT}/baseUrl": url}) == [
        ("port-origin-changed", None, f"{PORT}/baseUrl", NEW, True,
         f"port: baseUrl changed from 'https://api.acme.example/' to {url!r}",
         "https://api.acme.example/", url),
    ]  # fmt: skip


def test_normal_form_of_a_base_url() -> None:
    assert _normal("HTTPS://Api.Acme.EXAMPLE/V1/Path/") == "https://api.acme.example/V1/Path"
    assert _normal("api.acme.example") == "api.acme.example"
    assert _normal(None) is None and _normal(3) == 3


def test_port_kind_auth_and_other_keys() -> None:
    patch = {
        f"{PORT}/kind": "x",
        f"{PORT}/authMode": "none",
        f"{PORT}/authHeaderName": "X-K",
        f"{PORT}/authTokenPrefix": "Token",
        f"{PORT}/label": "L",
    }
    assert between({}, patch) == [
        ("port-kind-changed", None, f"{PORT}/kind", NEW, True,
         "port: kind changed from 'http_api' to 'x'", "http_api", "x"),
        ("port-auth-changed", None, f"{PORT}/authMode", NEW, True,
         "port: authMode changed from 'header_token' to 'none'", "header_token", "none"),
        ("port-auth-changed", None, f"{PORT}/authHeaderName", NEW, True,
         "port: authHeaderName changed from 'Authorization' to 'X-K'", "Authorization", "X-K"),
        ("port-auth-changed", None, f"{PORT}/authTokenPrefix", NEW, True,
         "port: authTokenPrefix changed from 'Bearer' to 'Token'", "Bearer", "Token"),
        ("metadata-changed", None, f"{PORT}/label", NEW, False, "port: label changed",
         "Acme API", "L"),
    ]  # fmt: skip


def test_ports_added_and_removed_by_position() -> None:
    extra = {"baseUrl": "https://a.example"}
    assert between({}, {"/portTemplates/-": extra}) == [
        ("port-added", None, "/portTemplates/1", NEW, True, "port: port template added", None,
         None),
    ]  # fmt: skip
    assert between({"/portTemplates/-": extra}, {PORT: REMOVE}) == [
        ("port-removed", None, "/portTemplates/0", OLD, True, "port: port template removed",
         None, None),
        ("port-removed", None, "/portTemplates/1", OLD, True, "port: port template removed",
         None, None),
    ]  # fmt: skip
    got = diff(apply_patch(BASE_MANIFEST, {"/portTemplates/-": extra}), BASE_MANIFEST)
    assert anchors(got) == [("port-removed", "/portTemplates")]


def test_ports_compared_pairwise() -> None:
    extra = {"baseUrl": "https://a.example", "label": "A"}
    got = between({"/portTemplates/-": extra}, {"/portTemplates/-": {**extra, "label": "B"}})
    assert got == [
        ("metadata-changed", None, "/portTemplates/1/label", NEW, False, "port: label changed",
         "A", "B"),
    ]  # fmt: skip


# --- top-level metadata ----------------------------------------------------------------------


def test_identity_fields() -> None:
    patch = {"/slug": "x", "/formatVersion": "2", "/kind": "k", "/version": "9.9.9"}
    assert between({}, patch) == [
        ("manifest-slug-changed", None, "/slug", NEW, False,
         "manifest: slug changed from 'acme-api' to 'x'", "acme-api", "x"),
        ("format-changed", None, "/formatVersion", NEW, False,
         "manifest: formatVersion changed from '1' to '2'", "1", "2"),
        ("format-changed", None, "/kind", NEW, False,
         "manifest: kind changed from 'dock_integration' to 'k'", "dock_integration", "k"),
    ]  # fmt: skip


def test_metadata_leaves_publisher_and_escaped_keys() -> None:
    patch = {
        "/publisher/slug": "p",
        "/publisher/name": "N",
        "/compatibility/notes": "n",
        "/tags": ["a"],
        "/title": "T",
        "/new~1key": 1,
        "/compatibility/a~1b": 2,
    }
    notes = "Requires local operator-configured auth after import."
    assert between({}, patch) == [
        ("metadata-changed", None, "/title", NEW, False, "manifest: title changed",
         "Acme API", "T"),
        ("publisher-changed", None, "/publisher/slug", NEW, False,
         "manifest: publisher.slug changed from 'acme' to 'p'", "acme", "p"),
        ("metadata-changed", None, "/publisher/name", NEW, False,
         "manifest: publisher.name changed", "Acme", "N"),
        ("metadata-changed", None, "/tags", NEW, False, "manifest: tags changed",
         ["acme", "widgets"], ["a"]),
        ("metadata-changed", None, "/compatibility/notes", NEW, False,
         "manifest: compatibility.notes changed", notes, "n"),
        ("metadata-changed", None, "/compatibility/a~1b", NEW, False,
         "manifest: compatibility.a/b changed", None, 2),
        ("metadata-changed", None, "/new~1key", NEW, False, "manifest: new/key changed", None, 1),
    ]  # fmt: skip


def test_an_object_replaced_by_a_scalar_is_one_change() -> None:
    assert between({}, {"/compatibility": "x"}) == [
        ("metadata-changed", None, "/compatibility", NEW, False,
         "manifest: compatibility changed", BASE_MANIFEST["compatibility"], "x"),
    ]  # fmt: skip


def test_a_credential_named_key_is_redacted_in_the_message_and_values() -> None:
    [change] = diff(BASE_MANIFEST, apply_patch(BASE_MANIFEST, {f"/{TOKEN}": TOKEN}))
    assert change.kind == "metadata-changed" and change.new == "<redacted>"
    assert change.message == "manifest: <redacted> changed"


# --- the shared helpers ----------------------------------------------------------------------


def test_redact_strings_keys_lists_and_other_values() -> None:
    value = {"a": TOKEN, TOKEN: 1, "b": [TOKEN, "plain", 3, None], "c": {"d": TOKEN}}
    assert redact(value) == {
        "a": "<redacted>",
        "<redacted key 1>": 1,
        "b": ["<redacted>", "plain", 3, None],
        "c": {"d": "<redacted>"},
    }
    assert redact("plain") == "plain" and redact(TOKEN) == "<redacted>"
    assert redact(7) == 7 and redact(None) is None and redact(True) is True


def test_scope_change_fields_review_and_redaction() -> None:
    change = Scope(TOKEN, True, "label").change(ACTION_ADDED, "/p", f"m {TOKEN}", TOKEN, [1], OLD)
    assert change.kind == "action-added" and change.pointer == "/p" and change.side == OLD
    assert change.action == "<redacted>" and change.old == "<redacted>" and change.new == [1]
    assert change.review is True and change.bump == "minor"
    assert change.message.startswith("label: m <") and TOKEN not in change.message
    plain = Scope("a").change(ACTION_ADDED, "/p", "m")
    assert (plain.action, plain.message, plain.review, plain.side) == (
        "a",
        "manifest: m",
        False,
        NEW,
    )
    assert (plain.old, plain.new) == (None, None)
    always = Scope().change(PORT_ADDED, "", "m")
    never = Scope(write=True).change(ACTION_REMOVED, "", "m")
    assert (always.review, never.review, always.bump, never.bump) == (True, False, "major", "major")


def test_differing_keeps_order_skips_and_tells_missing_from_null() -> None:
    old = {"a": 1, "b": 2, "c": None, "s": 1}
    new = {"b": 3, "a": 1, "d": 4, "s": 2}
    assert list(differing(old, new, {"s"})) == ["b", "c", "d"]
    assert list(differing({"a": None}, {}, set())) == ["a"]
    assert list(differing({}, {}, set())) == []


def test_other_changes_escape_pointer_and_name_the_key() -> None:
    got = list(other_changes(Scope(), {"a/b": 1, "k": 1}, {"a/b": 2, "k": 1}, "/x", set()))
    assert rows(got) == [
        ("metadata-changed", None, "/x/a~1b", NEW, False, "manifest: a/b changed", 1, 2)
    ]


def test_short_renders_none_and_truncates() -> None:
    assert short(None) == "none"
    assert short("abc") == "'abc'"
    assert short("x" * 150) == repr("x" * 100 + "...")
    assert short("x" * 100) == repr("x" * 100)
    assert short([1, 2]) == "<list of 2>"


def test_a_new_key_holding_null_is_a_difference() -> None:
    assert list(differing({}, {"a": None}, set())) == ["a"]


def test_same_path_other_method_is_not_a_rename() -> None:
    patch = {f"{A0}/slug": "create-widget", f"{A0}/method": "POST"}
    assert [(r[0], r[1], r[2], r[3]) for r in between({}, patch)] == [
        ("action-removed", "list-widgets", A0, OLD),
        ("action-added", "create-widget", A0, NEW),
    ]


def test_parameter_names_equal_as_text_are_one_parameter() -> None:
    """``1`` and ``"1"`` share the key ``query:1``; the name is not compared again."""
    got = between({f"{A0}/inputs/parameters/0/name": 1}, {f"{A0}/inputs/parameters/0/name": "1"})
    assert [(r[0], r[2]) for r in got] == [("metadata-changed", "")]
    moved = between({f"{A0}/inputs/parameters/0/in": 1}, {f"{A0}/inputs/parameters/0/in": "1"})
    assert [(r[0], r[2]) for r in moved] == [("metadata-changed", "")]


def test_an_unchanged_extra_inputs_key_is_no_change() -> None:
    same = {f"{A0}/inputs/extra": 1, f"{A1}/inputs/extra": {"a": 1}}
    assert between(same, same) == []
    changed = {**same, f"{A0}/inputs/extra": 2}
    assert [(r[0], r[2], r[6], r[7]) for r in between(same, changed)] == [
        ("metadata-changed", f"{A0}/inputs/extra", 1, 2),
    ]


def test_a_removed_parameter_of_a_moved_action_points_into_the_old_version() -> None:
    new = shifted({f"{A1}/inputs/parameters/0": REMOVE})
    got = rows(diff(BASE_MANIFEST, new))
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("action-added", A0, NEW),
        ("input-removed", f"{A1}/inputs/parameters/0", OLD),
    ]
    assert anchors(diff(BASE_MANIFEST, new))[1] == (
        "input-removed",
        "/actionTemplates/2/inputs/parameters",
    )


def test_parameters_after_an_added_one_are_still_compared() -> None:
    new = apply_patch(BASE_MANIFEST, {f"{A0}/inputs/parameters/0/default": 50})
    new["actionTemplates"][0]["inputs"]["parameters"].insert(0, {"name": "q", "in": "query"})
    got = rows(diff(BASE_MANIFEST, new))
    assert [(r[0], r[2]) for r in got] == [
        ("input-added-optional", f"{A0}/inputs/parameters/0"),
        ("input-default-changed", f"{A0}/inputs/parameters/1/default"),
    ]


def test_normal_form_keeps_the_path_exactly() -> None:
    assert _normal("https://a.example/AX") == "https://a.example/AX"
    assert _normal("https://A.example/p://Q/") == "https://a.example/p://Q"


def test_schema_default_changed_names_both_values() -> None:
    assert _schema_rows({f"{LIMIT}/default": 1}, {f"{LIMIT}/default": 2}) == [
        ("input-default-changed", "/default", "default 1 → 2", 1, 2),
    ]
    assert _schema_rows({f"{LIMIT}/default": 1}, {f"{LIMIT}/default": 1}) == []


def test_enum_values_removed_are_listed_with_commas() -> None:
    assert _schema_rows({f"{LIMIT}/enum": [1, 2, 3]}, {f"{LIMIT}/enum": [3]}) == [
        ("constraint-narrowed", "/enum", "enum values 1, 2 removed", [1, 2], None),
    ]


def test_items_removed_widens_the_items_to_any_type() -> None:
    """Removing ``items`` accepts every array the old schema did: a widening, not a type change."""
    assert _schema_rows({f"{LIMIT}/items": {"type": "integer"}}, {}) == [
        ("constraint-widened", "/items/type", "items: type widened: 'integer' → any type",
         ["integer"], None),
    ]  # fmt: skip


def test_items_of_a_moved_action_point_into_the_right_version() -> None:
    def tags(*names: str) -> dict[str, Any]:
        items = {"type": "object", "properties": {n: {} for n in names}}
        return {f"{BODY}/properties/tags": {"type": "array", "items": items}}

    got = rows(diff(apply_patch(BASE_MANIFEST, tags("a", "b")), shifted(tags("b", "c"))))
    items = "inputs/body/properties/tags/items/properties"
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("action-added", A0, NEW),
        ("body-property-removed", f"{A1}/{items}/a", OLD),
        ("body-property-added-optional", f"/actionTemplates/2/{items}/c", NEW),
    ]


def test_exact_keywords_after_an_unchanged_one_are_compared() -> None:
    old = {
        f"{LIMIT}/pattern": "^a$",
        f"{LIMIT}/format": "int32",
        f"{LIMIT}/uniqueItems": True,
    }
    assert _schema_rows(old, {f"{LIMIT}/pattern": "^a$"}) == [
        ("constraint-widened", "/format", "format 'int32' removed", "int32", None),
        ("constraint-widened", "/uniqueItems", "uniqueItems removed", True, None),
    ]


# --- value schemas: types and enums by accepted values, closedness, nested field names --------


def _direct(old: Any, new: Any, name: str = "", canonical: bool = True) -> list[tuple]:
    """(kind, pointer, message, old, new) of ``compare`` on two schemas at ("/o", "/n")."""
    if canonical:
        old, new = canonical_schema(old), canonical_schema(new)
    got = compare_schema(old, new, ("/o", "/n"), Scope(), name)
    return [(c.kind, c.pointer, c.message, c.old, c.new) for c in got]


def test_type_widened_or_narrowed_by_the_values_it_accepts() -> None:
    assert _schema_rows({}, {f"{LIMIT}/type": "number"}) == [
        ("constraint-widened", "/type", "type widened: 'integer' → 'number'", ["integer"],
         ["number"]),
    ]  # fmt: skip
    assert _schema_rows({f"{LIMIT}/type": "number"}, {}) == [
        ("constraint-narrowed", "/type", "type narrowed: 'number' → 'integer'", ["number"],
         ["integer"]),
    ]  # fmt: skip
    assert _schema_rows({}, {f"{LIMIT}/type": ["null", "integer"]}) == [
        ("constraint-widened", "/type", "type widened: 'integer' → 'integer' | 'null'",
         ["integer"], ["integer", "null"]),
    ]  # fmt: skip
    assert _schema_rows({f"{LIMIT}/type": ["integer", "null"]}, {}) == [
        ("constraint-narrowed", "/type", "type narrowed: 'integer' | 'null' → 'integer'",
         ["integer", "null"], ["integer"]),
    ]  # fmt: skip


def test_type_text_names_five_types_then_how_many_more() -> None:
    five = ["array", "boolean", "integer", "null", "object"]
    shown = "'array' | 'boolean' | 'integer' | 'null' | 'object'"
    for extra, more in (
        ([], ""),
        (["string"], " and 1 more"),
        (["string", "zz"], " and 2 more"),
    ):
        assert _schema_rows({}, {f"{LIMIT}/type": [*five, *extra]}) == [
            ("constraint-widened", "/type", f"type widened: 'integer' → {shown}{more}",
             ["integer"], sorted([*five, *extra])),
        ]  # fmt: skip


def test_with_enums_on_both_sides_the_values_decide_not_the_type() -> None:
    # the same accepted values: no change, whatever the type says
    assert (
        _direct(
            {"type": "string", "enum": ["a"]},
            {"type": ["integer", "string"], "enum": ["a"]},
        )
        == []
    )
    # an enum on one side only: the type is compared, and a type change is the only change
    changed = [("input-type-changed", "/n/type", "manifest: type changed: 'string' → 'integer'",
                ["string"], ["integer"])]  # fmt: skip
    assert _direct({"type": "string", "enum": ["a"]}, {"type": "integer"}) == changed
    assert _direct({"type": "string"}, {"type": "integer", "enum": [1]}) == changed


def test_compare_reads_a_const_as_a_one_value_enum_of_its_type() -> None:
    """Outside diff (which rewrites ``const`` first), ``compare`` still reads a raw ``const``."""
    raw: dict[str, Any] = {"canonical": False}
    const, enum = (
        {"type": "string", "const": "a"},
        {"type": "string", "enum": ["a", "b"]},
    )
    assert _direct(const, enum, **raw) == [
        (
            "constraint-widened",
            "/n/enum",
            "manifest: enum value 'b' added",
            None,
            ["b"],
        ),
    ]
    # a const the type rejects admits nothing: the same as an empty enum
    assert _direct({"type": "string", "const": 1}, {"type": "string", "enum": []}, **raw) == []


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (4, 2, "constraint-widened"),  # every multiple of 4 is one of 2
        (4, 1, "constraint-widened"),
        (2, 3, "constraint-narrowed"),
        (4, 0, "constraint-narrowed"),  # not a valid multipleOf: the safe side
        (0.5, 0.25, "constraint-narrowed"),  # integers only are judged
        (2, True, "constraint-narrowed"),
    ],
)
def test_multiple_of_widened_only_when_the_new_one_divides_the_old(
    old: Any, new: Any, kind: str
) -> None:
    assert _schema_rows({f"{LIMIT}/multipleOf": old}, {f"{LIMIT}/multipleOf": new}) == [
        (kind, "/multipleOf", f"multipleOf {old} → {new}", old, new),
    ]


def test_enum_values_listed_five_then_how_many_more() -> None:
    for count, more in ((5, ""), (6, " and 1 more"), (7, " and 2 more")):
        values = list(range(1, count + 1))
        assert _schema_rows({}, {f"{LIMIT}/enum": values}) == [
            (
                "constraint-narrowed",
                "/enum",
                f"enum added: 1, 2, 3, 4, 5{more}",
                None,
                values,
            ),
        ]


def test_enum_values_in_json_spelling() -> None:
    types = ["boolean", "null", "string"]
    assert _direct({"type": types}, {"type": types, "enum": ["a", None, True]}) == [
        ("constraint-narrowed", "/n/enum", "manifest: enum added: null, true, 'a'", None,
         [None, True, "a"]),
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["", "meta"])
def test_additional_properties_judged_by_what_it_accepts(name: str) -> None:
    def closed(value: Any) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": value}

    strings = {"type": "string"}
    field = f"{name}: " if name else ""
    ptr, typed = "/n/additionalProperties", {"type": ["string"]}
    assert _direct(closed(False), closed(strings), name) == [
        ("constraint-widened", ptr, f"manifest: {field}additionalProperties false → <dict of 1>",
         False, typed),
    ]  # fmt: skip
    assert _direct(closed(strings), closed(False), name) == [
        ("constraint-narrowed", ptr, f"manifest: {field}additionalProperties <dict of 1> → false",
         typed, False),
    ]  # fmt: skip
    assert _direct({"type": "object"}, closed(strings), name) == [
        ("constraint-narrowed", ptr, f"manifest: {field}additionalProperties any → <dict of 1>",
         None, typed),
    ]  # fmt: skip
    assert _direct(closed(strings), closed({}), name) == [
        ("constraint-widened", ptr, f"manifest: {field}additionalProperties <dict of 1> → any",
         typed, None),
    ]  # fmt: skip
    assert _direct(closed({"maxLength": 5}), closed({"maxLength": 3}), name) == [
        ("constraint-narrowed", f"{ptr}/maxLength", f"manifest: {name}{{*}}: maxLength 5 → 3", 5,
         3),
    ]  # fmt: skip


def test_additional_properties_schemas_are_compared_with_both_pointers() -> None:
    extra = f"{BODY}/additionalProperties"
    old = {extra: {"type": "object", "properties": {"a": {}, "b": {"maxLength": 5}}}}
    new = shifted({extra: {"type": "object", "properties": {"b": {"maxLength": 3}}}})
    got = diff(apply_patch(BASE_MANIFEST, old), new)
    a2 = "/actionTemplates/2"
    assert rows(got) == [
        ("action-added", "get-widget", A0, NEW, False, "action 'get-widget': added (read action)",
         None, None),
        ("body-property-removed", "rename-widget",
         f"{A1}/inputs/body/additionalProperties/properties/a", OLD, False,
         b("property '{*}.a' removed"), None, None),
        ("constraint-narrowed", "rename-widget",
         f"{a2}/inputs/body/additionalProperties/properties/b/maxLength", NEW, False,
         b("{*}.b: maxLength 5 → 3"), 5, 3),
    ]  # fmt: skip
    assert anchors(got)[1] == (
        "body-property-removed",
        f"{a2}/inputs/body/additionalProperties/properties",
    )


def test_nested_fields_are_named_by_their_path() -> None:
    meta = f"{BODY}/properties/meta"
    old = {meta: {"type": "object", "properties": {
        "gone": {}, "sub": {"type": "string", "enum": ["a", "b"], "default": "a"},
        "kind": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 9}},
    }}}  # fmt: skip
    new = {meta: {"type": "object", "additionalProperties": False, "required": ["more"],
                  "properties": {
        "sub": {"type": "string", "enum": ["a", "c"], "default": "c", "pattern": "^[ac]$"},
        "kind": {"type": "string", "enum": ["x"]},
        "tags": {"type": "array", "uniqueItems": True,
                 "items": {"type": "string", "maxLength": 5}},
        "more": {},
    }}}  # fmt: skip
    at = f"{meta}/properties"
    assert between(old, new) == [
        ("constraint-narrowed", "rename-widget", f"{meta}/additionalProperties", NEW, False,
         b("meta: additionalProperties any → false"), None, False),
        ("body-property-removed", "rename-widget", f"{at}/gone", OLD, False,
         b("property 'meta.gone' removed"), None, None),
        ("constraint-narrowed", "rename-widget", f"{at}/sub/enum", NEW, False,
         b("meta.sub: enum value 'b' removed"), ["b"], None),
        ("constraint-widened", "rename-widget", f"{at}/sub/enum", NEW, True,
         b("meta.sub: enum value 'c' added"), None, ["c"]),
        ("constraint-narrowed", "rename-widget", f"{at}/sub/pattern", NEW, False,
         b("meta.sub: pattern '^[ac]$' added"), None, "^[ac]$"),
        ("input-default-changed", "rename-widget", f"{at}/sub/default", NEW, False,
         b("meta.sub: default 'a' → 'c'"), "a", "c"),
        ("constraint-narrowed", "rename-widget", f"{at}/kind/enum", NEW, False,
         b("meta.kind: enum added: 'x'"), None, ["x"]),
        ("constraint-narrowed", "rename-widget", f"{at}/tags/uniqueItems", NEW, False,
         b("meta.tags: uniqueItems added"), None, True),
        ("constraint-narrowed", "rename-widget", f"{at}/tags/items/maxLength", NEW, False,
         b("meta.tags[]: maxLength 9 → 5"), 9, 5),
        ("body-property-added-required", "rename-widget", f"{at}/more", NEW, True,
         b("required property 'meta.more' added"), None, None),
    ]  # fmt: skip


def test_a_removed_property_is_anchored_at_properties_or_the_schema() -> None:
    removed = ("body-property-removed", "rename-widget", f"{BODY}/properties/name", OLD, False,
               b("property 'name' removed"), None, None)  # fmt: skip
    for patch, anchor in (({f"{BODY}/properties": {}}, f"{BODY}/properties"),
                          ({f"{BODY}/properties": REMOVE}, BODY)):  # fmt: skip
        got = diff(apply_patch(BASE_MANIFEST, {}), apply_patch(BASE_MANIFEST, patch))
        assert rows(got) == [removed]
        assert anchors(got) == [("body-property-removed", anchor)]


# --- canonical form --------------------------------------------------------------------------


def test_by_value_turns_integral_floats_into_ints_everywhere() -> None:
    got = by_value({"a": [1.0, 1.5, True, {"b": -0.0}], "c": 2.0, "d": "1.0"})
    assert got == {"a": [1, 1.5, True, {"b": 0}], "c": 2, "d": "1.0"}
    assert [type(v) for v in got["a"]] == [int, float, bool, dict]
    assert type(got["c"]) is int and type(got["a"][3]["b"]) is int
    assert by_value(float("inf")) == float("inf") and math.isnan(by_value(float("nan")))


def test_canonical_document_rewrites_only_action_input_schemas() -> None:
    param = {"name": "p", "in": "query", "schema": {"type": "string", "minLength": 0}}
    data = {
        "x": {"minLength": 0, "n": 1.0},
        "actionTemplates": [
            "not an action",
            {"slug": "no-inputs", "minLength": 0},
            {"slug": "odd-inputs", "inputs": ["x"]},
            {"inputs": {"parameters": [param, "odd", {"name": "q", "minLength": 0}],
                        "body": {"type": "object", "uniqueItems": False}, "other": 2.0}},
            {"inputs": {"parameters": {"not": "a list"}, "body": None}},
        ],
    }  # fmt: skip
    before = copy.deepcopy(data)
    assert canonical_document(data) == {
        "x": {"minLength": 0, "n": 1},
        "actionTemplates": [
            "not an action",
            {"slug": "no-inputs", "minLength": 0},
            {"slug": "odd-inputs", "inputs": ["x"]},
            {"inputs": {"parameters": [{**param, "schema": {"type": ["string"]}}, "odd",
                                       {"name": "q", "minLength": 0}],
                        "body": {"type": ["object"]}, "other": 2}},
            {"inputs": {"parameters": {"not": "a list"}, "body": None}},
        ],
    }  # fmt: skip
    assert data == before  # a copy: the parsed manifest is left as it was
    assert canonical_document([1.0, "x"]) == [1, "x"]
    assert canonical_document({"actionTemplates": {"a": 1.0}}) == {"actionTemplates": {"a": 1}}


def test_canonical_schema_one_spelling_for_each_meaning() -> None:
    assert canonical_schema("x") == "x" and canonical_schema(None) is None
    assert canonical_schema({"const": "a"}) == {"enum": ["a"]}
    assert canonical_schema({"const": "a", "enum": ["b", "a"]}) == {"enum": ["a"]}
    assert canonical_schema({"const": "a", "enum": ["b"]}) == {"enum": []}
    assert canonical_schema({"const": "a", "enum": "odd"}) == {"enum": ["a"]}
    assert canonical_schema({"type": "string", "const": 1}) == {
        "type": ["string"],
        "enum": [],
    }
    zeros = {"minLength": 0, "minItems": 0, "minProperties": 0, "maxLength": 0}
    assert canonical_schema(zeros) == {"maxLength": 0}
    kept = {"minLength": False, "minItems": 1, "minProperties": True, "uniqueItems": 0}
    assert canonical_schema(kept) == kept
    assert canonical_schema({"uniqueItems": False}) == {}
    assert canonical_schema({"uniqueItems": True}) == {"uniqueItems": True}
    assert canonical_schema({"type": ["integer", "string", "integer"]}) == {
        "type": ["integer", "string"]
    }
    assert canonical_schema({"type": "integer", "enum": [2, "a", 1, 2, 1.5, True]}) == {
        "type": ["integer"],
        "enum": [1, 2],
    }
    assert canonical_schema({"enum": ["b", None, "b", 1]}) == {"enum": [None, 1, "b"]}
    assert canonical_schema({"required": ["b", "a", "b"]}) == {"required": ["a", "b"]}
    assert canonical_schema({"required": "a", "enum": "b"}) == {
        "required": "a",
        "enum": "b",
    }


def test_canonical_schema_recurses_into_properties_items_and_additional_properties() -> None:
    inner = {"type": "string", "minLength": 0}
    value = {
        "properties": {"a": inner, "b": {"const": 1}},
        "items": inner,
        "additionalProperties": inner,
    }
    assert canonical_schema(value) == {
        "properties": {"a": {"type": ["string"]}, "b": {"enum": [1]}},
        "items": {"type": ["string"]},
        "additionalProperties": {"type": ["string"]},
    }
    assert inner == {"type": "string", "minLength": 0}
    odd = {"properties": ["a"], "items": [inner], "additionalProperties": False}
    assert canonical_schema(odd) == odd


def test_declared_types_and_type_list() -> None:
    assert declared_types({"type": "string"}) == frozenset({"string"})
    assert declared_types({"type": ["integer", "number", "null"]}) == frozenset({"number", "null"})
    assert declared_types({"type": 5}) == frozenset() and declared_types({}) == frozenset()
    assert declared_types({"type": ["string", 5]}) == frozenset()  # malformed: any type
    assert declared_types({"type": [[None]]}) == frozenset()  # unhashable names: no crash
    assert type_list("string") == ["string"]
    assert type_list(["string", "integer", "string"]) == ["integer", "string"]
    assert type_list(["number", "integer"]) == ["number"]
    assert type_list(["integer"]) == ["integer"]
    assert type_list(["a", 1]) == ["a", 1] and type_list(5) == 5 and type_list(None) is None


@pytest.mark.parametrize(
    ("types", "value", "accepted"),
    [
        ((), object(), True),
        (("integer",), 2.0, True),
        (("number",), 2.0, True),
        (("string",), 2.0, False),
        (("integer",), 2.5, False),
        (("number",), 2.5, True),
        (("integer",), 2, True),
        (("number",), 2, True),
        (("integer",), True, False),
        (("boolean",), True, True),
        (("null",), None, True),
        (("string",), None, False),
        (("string",), "a", True),
        (("array",), [], True),
        (("object",), {}, True),
        (("object",), [], False),
        (("string", "array"), (), False),
    ],
)
def test_accepts_type_by_json_type(types: tuple[str, ...], value: Any, accepted: bool) -> None:
    assert accepts_type(frozenset(types), value) is accepted


def test_value_set_and_value_key() -> None:
    assert value_set(["b", "a", "b"]) == ["a", "b"]
    values = [True, 1, None, "1", 1.5, [1], {"b": 1, "a": "é"}, 1]
    assert value_set(values) == [None, True, [1], {"b": 1, "a": "é"}, 1, 1.5, "1"]
    assert [value_key(v) for v in ("x", True, False, None, 1, 1.5)] == [
        "sx", "btrue", "bfalse", "bnull", "n1", "n1.5",
    ]  # fmt: skip
    assert value_key({"b": 1, "a": "é"}) == 'j{"a": "é", "b": 1}'
    assert value_key([1, "x"]) == 'j[1, "x"]'
    assert value_key(True) != value_key(1) and value_key("1") != value_key(1)
